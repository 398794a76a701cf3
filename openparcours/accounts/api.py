from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts import service
from openparcours.accounts.schemas import LoginSchema, MeSchema, PasswordChangeSchema
from openparcours.errors import ErrorSchema

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Staff login and account")


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
