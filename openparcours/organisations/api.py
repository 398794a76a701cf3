from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.schemas import MeSchema
from openparcours.accounts.service import current_user, logged_in_user, profile, start_session
from openparcours.errors import ErrorSchema
from openparcours.organisations import service
from openparcours.organisations.schemas import (
    CreatedInviteSchema,
    InviteAcceptSchema,
    InviteCreateSchema,
    InvitePreviewSchema,
    InviteSchema,
    InviteTokenSchema,
    MemberRolesSchema,
    MemberSchema,
    OrganisationQuerySchema,
    OrganisationSchema,
    OrganisationUpdateSchema,
)

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1",
    description="Schools and institutions, their members and invitations",
)


blp.DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}


@blp.route("/organisations")
class Organisations(MethodView):
    @blp.arguments(OrganisationQuerySchema, location="query")
    @blp.response(200, OrganisationSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Schools and institutions (public directory)"""
        items, pagination_parameters.item_count = service.list_organisations(
            pagination_parameters.page, pagination_parameters.page_size, **filters
        )
        return items

    @blp.arguments(OrganisationSchema)
    @blp.response(201, OrganisationSchema)
    def post(self, fields):
        """Create an organisation (site admins)"""
        return service.create_organisation(logged_in_user(), **fields)


@blp.route("/organisations/<int:organisation_id>")
class OrganisationById(MethodView):
    @blp.response(200, OrganisationSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such organisation")
    def get(self, organisation_id):
        """One organisation's public profile"""
        return service.get_organisation(organisation_id)

    @blp.arguments(OrganisationUpdateSchema(partial=True))
    @blp.response(200, OrganisationSchema)
    def patch(self, fields, organisation_id):
        """Change an organisation's profile (its admins)"""
        organisation = service.get_organisation(organisation_id)
        return service.update_organisation(logged_in_user(), organisation, **fields)


@blp.route("/organisations/<int:organisation_id>/members")
class Members(MethodView):
    @blp.response(200, MemberSchema(many=True))
    @blp.paginate()
    def get(self, organisation_id, pagination_parameters):
        """Members and their roles (members of the organisation)"""
        organisation = service.get_organisation(organisation_id)
        items, pagination_parameters.item_count = service.list_members(
            logged_in_user(),
            organisation,
            pagination_parameters.page,
            pagination_parameters.page_size,
        )
        return items


@blp.route("/organisations/<int:organisation_id>/members/<int:user_id>")
class MemberById(MethodView):
    @blp.arguments(MemberRolesSchema)
    @blp.response(200, MemberSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Would remove the last admin")
    def put(self, roles, organisation_id, user_id):
        """Set a member's roles (org admins)"""
        organisation = service.get_organisation(organisation_id)
        return service.set_member_roles(logged_in_user(), organisation, user_id, roles["roles"])

    @blp.response(204)
    @blp.alt_response(409, schema=ErrorSchema, description="Would remove the last admin")
    def delete(self, organisation_id, user_id):
        """Remove a member from the organisation (org admins)"""
        organisation = service.get_organisation(organisation_id)
        service.remove_member(logged_in_user(), organisation, user_id)


@blp.route("/organisations/<int:organisation_id>/invites")
class Invites(MethodView):
    @blp.response(200, InviteSchema(many=True))
    @blp.paginate()
    def get(self, organisation_id, pagination_parameters):
        """Open invitations (org admins)"""
        organisation = service.get_organisation(organisation_id)
        items, pagination_parameters.item_count = service.list_open_invites(
            logged_in_user(),
            organisation,
            pagination_parameters.page,
            pagination_parameters.page_size,
        )
        return items

    @blp.arguments(InviteCreateSchema)
    @blp.response(201, CreatedInviteSchema)
    def post(self, fields, organisation_id):
        """Invite someone for a role (org admins): by mail to the address given, or as a
        one-time link to hand on"""
        organisation = service.get_organisation(organisation_id)
        invite, token = service.create_invite(logged_in_user(), organisation, **fields)
        invite.url = service.invite_url(token) if token else None  # shown now only
        return invite


@blp.route("/organisations/<int:organisation_id>/invites/<int:invite_id>")
class InviteById(MethodView):
    @blp.response(204)
    def delete(self, organisation_id, invite_id):
        """Revoke an open invitation (org admins)"""
        organisation = service.get_organisation(organisation_id)
        service.revoke_invite(logged_in_user(), organisation, invite_id)


@blp.route("/organisations/<int:organisation_id>/invites/<int:invite_id>/resend")
class ResendInvite(MethodView):
    @blp.response(200, InviteSchema)
    @blp.alt_response(
        409, schema=ErrorSchema, description="It names no address (`invite_without_email`)"
    )
    @blp.alt_response(410, schema=ErrorSchema, description="Used already (`invite_used`)")
    def post(self, organisation_id, invite_id):
        """Mail an invitation again, with a new link that lasts from now: the old link stops
        working (org admins)"""
        organisation = service.get_organisation(organisation_id)
        return service.resend_invite(logged_in_user(), organisation, invite_id)


# The token travels in the body: access logs keep paths, and the link carries it in its
# fragment, which browsers do not send.
@blp.route("/invites/preview")
class InvitePreview(MethodView):
    @blp.arguments(InviteTokenSchema)
    @blp.response(200, InvitePreviewSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="Unknown link")
    @blp.alt_response(
        410, schema=ErrorSchema, description="Used (`invite_used`) or expired (`invite_expired`)"
    )
    def post(self, fields):
        """What an invitation link offers (no login needed)"""
        return service.open_invite(fields["token"])


@blp.route("/invites/accept")
class AcceptInvite(MethodView):
    @blp.arguments(InviteAcceptSchema)
    @blp.response(200, MeSchema)
    @blp.alt_response(
        403,
        schema=ErrorSchema,
        description="The invitation names another e-mail address (`invite_email_mismatch`)",
    )
    @blp.alt_response(
        409, schema=ErrorSchema, description="An account with this e-mail exists (`email_taken`)"
    )
    @blp.alt_response(
        410, schema=ErrorSchema, description="Used (`invite_used`) or expired (`invite_expired`)"
    )
    def post(self, fields):
        """Accept an invitation: as the logged-in user, or by creating an account (for the
        invitation's address, if it names one)"""
        actor = current_user()
        user = service.accept_invite(fields.pop("token"), actor, **fields)
        if actor is None:
            start_session(user)
        return profile(user)
