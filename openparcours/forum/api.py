from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import current_user, logged_in_user
from openparcours.errors import ErrorSchema
from openparcours.forum import service
from openparcours.forum.schemas import (
    AttachmentSchema,
    AttachmentUploadSchema,
    HandoverCreateSchema,
    HandoverSchema,
    MessageBodySchema,
    MessageSchema,
    NewsCreateSchema,
    NewsSchema,
)
from openparcours.media.service import upload_limit
from openparcours.organisations.service import get_organisation
from openparcours.partnerships.service import get_partnership
from openparcours.responses import attachment

blp = Blueprint(
    "forum",
    __name__,
    url_prefix="/api/v1",
    description="The partners' forum: each partnership's thread, news to partner schools",
)
blp.DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}


@blp.before_request
def allow_uploads():
    request.max_content_length = upload_limit()


@blp.route("/partnerships/<int:partnership_id>/messages")
class Thread(MethodView):
    @blp.response(200, MessageSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters, partnership_id):
        """The partnership's thread, newest first (admins and named contacts of both sides)"""
        actor = logged_in_user()
        items, pagination_parameters.item_count = service.thread(
            actor,
            get_partnership(actor, partnership_id),
            pagination_parameters.page,
            pagination_parameters.page_size,
        )
        return items

    @blp.arguments(MessageBodySchema)
    @blp.response(201, MessageSchema)
    @blp.alt_response(429, schema=ErrorSchema, description="Too many messages (`rate_limited`)")
    def post(self, fields, partnership_id):
        """Write to the other side"""
        actor = logged_in_user()
        return service.post_message(actor, get_partnership(actor, partnership_id), fields["body"])


@blp.route("/messages/<int:message_id>")
class MessageById(MethodView):
    @blp.arguments(MessageBodySchema)
    @blp.response(200, MessageSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Too late (`edit_window_closed`)")
    def patch(self, fields, message_id):
        """Correct my message within 15 minutes; it is shown as edited"""
        actor = logged_in_user()
        return service.edit_message(actor, service.get_message(actor, message_id), fields["body"])


@blp.route("/messages/<int:message_id>/attachments")
class Attachments(MethodView):
    @blp.arguments(AttachmentUploadSchema, location="files")
    @blp.response(201, AttachmentSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Too late, or too many files")
    @blp.alt_response(413, schema=ErrorSchema, description="Too large")
    @blp.alt_response(415, schema=ErrorSchema, description="Neither a PDF nor an image")
    def post(self, upload, message_id):
        """Add a PDF or an image to my message within 15 minutes (images are re-encoded)"""
        actor = logged_in_user()
        file = upload["file"]
        return service.attach(
            actor, service.get_message(actor, message_id), file.filename, file.read()
        )


@blp.route("/attachments/<int:attachment_id>")
class AttachmentFile(MethodView):
    @blp.response(200, content_type="application/octet-stream", description="PDF or WebP")
    def get(self, attachment_id):
        """A message's file, for those who read the thread; never cached on the way"""
        response = attachment(service.attachment_file(logged_in_user(), attachment_id))
        # A file from outside is never a page of this site, whatever a browser makes of it.
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


@blp.route("/partnerships/<int:partnership_id>/handovers")
class Handovers(MethodView):
    @blp.arguments(HandoverCreateSchema)
    @blp.response(201, HandoverSchema)
    def post(self, fields, partnership_id):
        """A named contact leaves: their successor takes their place in the agreement's
        contacts and reads the thread (an admin of that side)"""
        actor = logged_in_user()
        return service.hand_over(actor, get_partnership(actor, partnership_id), **fields)


@blp.route("/news")
class PartnerNews(MethodView):
    @blp.response(200, NewsSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """News of my partners and my institutions, newest first (the start page)"""
        items, pagination_parameters.item_count = service.partner_news(
            logged_in_user(), pagination_parameters.page, pagination_parameters.page_size
        )
        return items


@blp.route("/news/<int:news_id>")
class NewsById(MethodView):
    @blp.response(204)
    def delete(self, news_id):
        """Take a news item back (the institution's authors)"""
        service.delete_news(logged_in_user(), news_id)


@blp.route("/organisations/<int:organisation_id>/news")
class InstitutionNews(MethodView):
    @blp.response(200, NewsSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters, organisation_id):
        """An institution's news: all of it for its partners, what is public for everyone"""
        items, pagination_parameters.item_count = service.news_of(
            current_user(),
            get_organisation(organisation_id),
            pagination_parameters.page,
            pagination_parameters.page_size,
        )
        return items

    @blp.arguments(NewsCreateSchema)
    @blp.response(201, NewsSchema)
    @blp.alt_response(429, schema=ErrorSchema, description="Too many news (`rate_limited`)")
    def post(self, fields, organisation_id):
        """Post news to the partner schools (the institution's educators and admins)"""
        return service.post_news(logged_in_user(), get_organisation(organisation_id), **fields)
