from datetime import timedelta

from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import current_user
from openparcours.core import schedule
from openparcours.mail import delivery, service
from openparcours.mail.schemas import OutboxMailSchema

blp = Blueprint("mail", __name__, url_prefix="/api/v1", description="The outbox of mails")
blp.DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}


@blp.record_once
def schedule_jobs(state) -> None:
    # Every minute: a reset link should arrive while the person still waits for it.
    schedule.job(state.app, "mail", timedelta(minutes=1), delivery.scheduled_delivery)


@blp.route("/mail/failed")
class FailedMails(MethodView):
    @blp.response(200, OutboxMailSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Mails given up after 48 hours or refused by the server, newest first (site admins)"""
        items, pagination_parameters.item_count = service.list_failed(
            current_user(), pagination_parameters.page, pagination_parameters.page_size
        )
        return items
