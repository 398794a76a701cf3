"""Every permission question — may this user do this to this object — is answered here.

Views and services call `require(user, action, obj)`; tests call `can(...)` for every role.
Rules are plain functions from (user, obj) to bool; `user` is None for anonymous requests.
"""

from collections.abc import Callable

from server.accounts.models import User
from server.errors import Forbidden, NotAuthenticated
from server.organisations.models import Organisation, Role


def roles_in(user: User, organisation_id: int) -> set[Role]:
    return {m.role for m in user.memberships if m.organisation_id == organisation_id}


def _is_admin_of(user: User, organisation: Organisation) -> bool:
    return user.is_site_admin or Role.admin in roles_in(user, organisation.id)


def _is_member_of(user: User, organisation: Organisation) -> bool:
    return user.is_site_admin or bool(roles_in(user, organisation.id))


def _site_admin(user: User, _obj=None) -> bool:
    return user.is_site_admin


def _anyone_logged_in(user: User, _obj=None) -> bool:
    return True


RULES: dict[str, Callable[[User, object], bool]] = {
    "account.use": _anyone_logged_in,
    "organisation.create": _site_admin,
    "organisation.edit": _is_admin_of,
    "organisation.view_members": _is_member_of,
    "organisation.manage_members": _is_admin_of,
    "organisation.invite": _is_admin_of,
}


def can(user: User | None, action: str, obj: object = None) -> bool:
    rule = RULES[action]  # an unknown action is a programming error, not a denial
    return user is not None and rule(user, obj)


def require(user: User | None, action: str, obj: object = None) -> None:
    if user is None:
        raise NotAuthenticated("Please log in.")
    if not RULES[action](user, obj):
        raise Forbidden("You may not do this.")
