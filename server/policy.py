"""Every permission question — may this user do this to this object — is answered here.

Views and services call `require(user, action, obj)`; tests call `can(...)` for every role.
Rules are plain functions from (user, obj) to bool; `user` is None for anonymous requests,
and most rules are wrapped in `_staff`, which denies anonymous users.
"""

from collections.abc import Callable
from functools import wraps

from sqlalchemy import select

from server.accounts.models import User
from server.errors import Forbidden, NotAuthenticated
from server.extensions import db
from server.organisations.models import Organisation, Role
from server.partnerships.models import Partnership, agreements_in_force
from server.trails.models import Trail, Visibility


def roles_in(user: User, organisation_id: int) -> set[Role]:
    return {m.role for m in user.memberships if m.organisation_id == organisation_id}


def _staff(rule: Callable[[User, object], bool]) -> Callable[[User | None, object], bool]:
    @wraps(rule)
    def logged_in(user: User | None, obj: object = None) -> bool:
        return user is not None and rule(user, obj)

    return logged_in


def _is_admin_of(user: User, organisation: Organisation) -> bool:
    return user.is_site_admin or Role.admin in roles_in(user, organisation.id)


def _is_member_of(user: User, organisation: Organisation) -> bool:
    return user.is_site_admin or bool(roles_in(user, organisation.id))


def _site_admin(user: User, _obj=None) -> bool:
    return user.is_site_admin


def _anyone_logged_in(user: User, _obj=None) -> bool:
    return True


def _authors_for(user: User, organisation: Organisation) -> bool:
    """Educators and admins of an institution author its trails."""
    if user.is_site_admin:
        return True
    return not organisation.is_school and bool(
        roles_in(user, organisation.id) & {Role.educator, Role.admin}
    )


def _edits_trail(user: User, trail: Trail) -> bool:
    return _authors_for(user, trail.organisation)


def _is_partner_school_member(user: User, institution_id: int) -> bool:
    """A member of a school whose agreement with the institution is in force: a draft or an
    unsigned proposal makes no partners."""
    school_ids = {m.organisation_id for m in user.memberships if m.organisation.is_school}
    if not school_ids:
        return False
    partners = agreements_in_force().where(
        Partnership.institution_id == institution_id, Partnership.school_id.in_(school_ids)
    )
    return db.session.scalar(select(partners.exists()))


def _views_trail(user: User | None, trail: Trail) -> bool:
    """Authors see drafts; others see published trails that are public or offered to them."""
    if user is not None and _edits_trail(user, trail):
        return True
    if not trail.versions or trail.archived_at is not None:
        return False
    if trail.visibility == Visibility.public:
        return True
    return user is not None and _is_partner_school_member(user, trail.organisation_id)


def _opens_visit(user: User, trail: Trail) -> bool:
    """Teachers open visits of trails offered to them; authors of their own trails."""
    if _edits_trail(user, trail):
        return True
    teaches = any(
        m.organisation.is_school and m.role in (Role.teacher, Role.admin) for m in user.memberships
    )
    return teaches and _views_trail(user, trail)


def _visit_home(visit) -> int:
    """The organisation a visit belongs to: the class's school, else the trail's institution
    (its own group)."""
    return visit.school_id if visit.school_id is not None else visit.trail.organisation_id


def _manages_visit(user: User, visit) -> bool:
    """The school's admins, and whoever opened the visit while they belong to its organisation:
    staff who leave lose the visits they opened."""
    if user.is_site_admin:
        return True
    if visit.school_id is not None and Role.admin in roles_in(user, visit.school_id):
        return True
    return visit.opened_by_id == user.id and bool(roles_in(user, _visit_home(visit)))


def _a_side_of(user: User, partnership: Partnership, roles: set[Role]) -> bool:
    return any(
        roles_in(user, side) & roles for side in (partnership.school_id, partnership.institution_id)
    )


def _edits_agreement(user: User, partnership: Partnership) -> bool:
    """The admins of both sides write the agreement together."""
    return user.is_site_admin or _a_side_of(user, partnership, {Role.admin})


def _reads_partnership(user: User, partnership: Partnership) -> bool:
    """Both sides' staff, and the network office of either side's district."""
    if user.is_site_admin or _a_side_of(user, partnership, set(Role)):
        return True
    districts = {partnership.school.district, partnership.institution.district} - {None}
    return user.network_office_district in districts


def _signs_for(user: User, organisation: Organisation) -> bool:
    """Only an admin of the organisation signs for it: not even a site admin signs for others."""
    return Role.admin in roles_in(user, organisation.id)


def _reads_district(user: User, district: str) -> bool:
    return user.is_site_admin or user.network_office_district == district


RULES: dict[str, Callable[[User | None, object], bool]] = {
    "account.use": _staff(_anyone_logged_in),
    "organisation.create": _staff(_site_admin),
    "organisation.edit": _staff(_is_admin_of),
    # What an organisation is (school or institution) and its district decide what it sees
    # and which network office reads its reports: not for its own admins to change.
    "organisation.classify": _staff(_site_admin),
    "organisation.view_members": _staff(_is_member_of),
    "organisation.manage_members": _staff(_is_admin_of),
    "organisation.invite": _staff(_is_admin_of),
    "trail.create": _staff(_authors_for),
    "trail.edit": _staff(_edits_trail),
    "trail.view": _views_trail,
    "media.upload": _staff(_authors_for),
    "visit.open": _staff(_opens_visit),
    "visit.manage": _staff(_manages_visit),
    "partnership.create": _staff(_is_admin_of),  # obj: the organisation acting
    "partnership.view": _staff(_reads_partnership),
    "agreement.edit": _staff(_edits_agreement),
    "agreement.sign": _staff(_signs_for),
    "district.view": _staff(_reads_district),
}


def can(user: User | None, action: str, obj: object = None) -> bool:
    return RULES[action](user, obj)  # an unknown action is a programming error, not a denial


def require(user: User | None, action: str, obj: object = None) -> None:
    if not can(user, action, obj):
        if user is None:
            raise NotAuthenticated("Please log in.")
        raise Forbidden("You may not do this.")
