from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts import links, service
from openparcours.accounts.schemas import (
    EmailChangedSchema,
    EmailChangeSchema,
    LoginSchema,
    MeSchema,
    MeUpdateSchema,
    PasswordChangeSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
)
from openparcours.errors import ErrorSchema
from openparcours.mail import delivery

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Staff login and account")


@blp.record_once
def queue_mails(state) -> None:
    delivery.before_delivery(state.app, links.mail_reset_links)


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, MeSchema)
    @blp.alt_response(
        401, schema=ErrorSchema, description="Wrong e-mail or password (`invalid_credentials`)"
    )
    @blp.alt_response(
        429, schema=ErrorSchema, description="Too many failed attempts from this address"
    )
    def post(self, credentials):
        """Log in with e-mail and password; sets the session cookie"""
        user = service.authenticate(credentials["email"], credentials["password"])
        service.start_session(user)
        return service.profile(user)


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """Log out (ends the session)"""
        service.end_session()


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="Not logged in")
    def get(self):
        """The logged-in user, their organisations and roles, and the CSRF token"""
        return service.profile(service.logged_in_user())

    @blp.arguments(MeUpdateSchema)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="Not logged in")
    def patch(self, changes):
        """Choose the language of the own mails"""
        user = service.logged_in_user()
        service.set_language(user, changes["language"])
        return service.profile(user)


@blp.route("/me/password")
class Password(MethodView):
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    @blp.alt_response(
        422, schema=ErrorSchema, description="Current password wrong or new password too short"
    )
    def post(self, passwords):
        """Change the own password; other sessions of the user end"""
        user = service.logged_in_user()
        service.change_password(user, passwords["current_password"], passwords["new_password"])


@blp.route("/me/email")
class Email(MethodView):
    @blp.arguments(EmailChangeSchema)
    @blp.response(202)
    @blp.alt_response(422, schema=ErrorSchema, description="Password wrong, or the same address")
    @blp.alt_response(
        409, schema=ErrorSchema, description="Another account has the address (`email_in_use`)"
    )
    def post(self, change):
        """Change the own e-mail address: a link to confirm it goes to the new address, and the
        address changes when it is opened"""
        user = service.logged_in_user()
        links.request_email_change(user, change["new_email"], change["password"])


@blp.route("/auth/email-change/<string:token>")
class EmailConfirmation(MethodView):
    @blp.response(200, EmailChangedSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such link (`link_invalid`)")
    @blp.alt_response(
        410,
        schema=ErrorSchema,
        description="The link was used or expired (`link_used`, `link_expired`)",
    )
    @blp.alt_response(
        409,
        schema=ErrorSchema,
        description="Another account took the address meanwhile (`email_in_use`)",
    )
    def post(self, token):
        """Confirm a new e-mail address with the link mailed to it; a notice goes to the old one"""
        return {"email": links.confirm_email_change(token).email}


@blp.route("/auth/password-reset")
class PasswordResetRequest(MethodView):
    @blp.arguments(PasswordResetRequestSchema)
    @blp.response(202)
    @blp.alt_response(429, schema=ErrorSchema, description="Too many requests for the address")
    def post(self, request):
        """Ask for a link to set a new password; answers 202 whether or not the address has an
        account, and the link goes only to an account's address"""
        links.request_password_reset(request["email"])


@blp.route("/auth/password-reset/<string:token>")
class PasswordReset(MethodView):
    @blp.arguments(PasswordResetSchema)
    @blp.response(204)
    @blp.alt_response(404, schema=ErrorSchema, description="No such link (`link_invalid`)")
    @blp.alt_response(
        410,
        schema=ErrorSchema,
        description="The link was used or expired (`link_used`, `link_expired`)",
    )
    @blp.alt_response(422, schema=ErrorSchema, description="The new password is too short or long")
    def post(self, passwords, token):
        """Set a new password with the link from the mail; every login of the user ends"""
        links.reset_password(token, passwords["new_password"])
