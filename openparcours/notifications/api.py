from datetime import timedelta

from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import logged_in_user
from openparcours.core import schedule
from openparcours.errors import ErrorSchema
from openparcours.notifications import digest, reminders, service
from openparcours.notifications.schemas import (
    NotificationSchema,
    PreferencesSchema,
    UnreadCountSchema,
)

blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1",
    description="Notifications and how each user wants to receive them",
)

blp.DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}


@blp.record_once
def schedule_jobs(state) -> None:
    # Reminders by the clock are looked for every ten minutes: grading waits an hour after a
    # visit, not much more. Digests are looked at hourly; each user gets one a day.
    schedule.job(
        state.app, "notification_reminders", timedelta(minutes=10), reminders.scheduled_reminders
    )
    schedule.job(state.app, "notification_digests", timedelta(hours=1), digest.scheduled_digests)


@blp.route("/notifications")
class Notifications(MethodView):
    @blp.response(200, NotificationSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """My notifications, the latest first"""
        items, pagination_parameters.item_count = service.list_notifications(
            logged_in_user(), pagination_parameters.page, pagination_parameters.page_size
        )
        return items


@blp.route("/notifications/unread")
class Unread(MethodView):
    @blp.response(200, UnreadCountSchema)
    def get(self):
        """How many of my notifications are unread (cheap enough to poll)"""
        return {"unread": service.unread_count(logged_in_user())}


@blp.route("/notifications/read")
class ReadAll(MethodView):
    @blp.response(204)
    def post(self):
        """Mark all my notifications read"""
        service.mark_all_read(logged_in_user())


@blp.route("/notifications/<int:notification_id>/read")
class ReadOne(MethodView):
    @blp.response(200, NotificationSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such notification")
    def post(self, notification_id):
        """Mark one of my notifications read"""
        return service.mark_read(logged_in_user(), notification_id)


@blp.route("/me/notification-preferences")
class Preferences(MethodView):
    @blp.response(200, PreferencesSchema)
    def get(self):
        """How I receive each kind of notification"""
        return {"preferences": service.preferences(logged_in_user())}

    @blp.arguments(PreferencesSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, fields):
        """Choose how I receive kinds of notification (the kinds not given stay as they are)"""
        chosen = {p["kind"]: p["delivery"] for p in fields["preferences"]}
        return {"preferences": service.set_preferences(logged_in_user(), chosen)}
