from datetime import timedelta

from flask_smorest import Blueprint

from openparcours.core import schedule
from openparcours.mail import delivery

blp = Blueprint("mail", __name__, url_prefix="/api/v1", description="The outbox of mails")


@blp.record_once
def schedule_jobs(state) -> None:
    # Every minute: a reset link should arrive while the person still waits for it.
    schedule.job(state.app, "mail", timedelta(minutes=1), delivery.scheduled_delivery)
