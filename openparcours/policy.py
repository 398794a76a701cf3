"""Every permission question — may this user do this to this object — is answered here, and so
is the list it implies: which objects the user may do it to.

Services call `require(user, action, obj)`, which returns the user if they may; list queries
filter by `scope(user, action)`, the rule as SQL for the model the action is about. Rules are
plain functions from (user, obj) to bool, each scope stands next to its rule, and the tests
check for every scope that it lists exactly the rows its rule allows. `user` is None for
anonymous requests; most rules and scopes are wrapped in `_staff` and `_staff_scope`, which
deny them.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true

from openparcours.accounts.models import User
from openparcours.database import local_today
from openparcours.errors import Forbidden, NotAuthenticated
from openparcours.extensions import db
from openparcours.forum.models import Message, News
from openparcours.notifications.models import Notification
from openparcours.organisations.models import Membership, Organisation, OrganisationKind, Role
from openparcours.partnerships.models import AgreementVersion, Partnership, agreements_in_force
from openparcours.trails.models import Trail, Visibility
from openparcours.visits.models import Visit

Scope = ColumnElement[bool]


def roles_in(user: User, organisation_id: int) -> set[Role]:
    return {m.role for m in user.memberships if m.organisation_id == organisation_id}


def _organisations_of(user: User, roles: Iterable[Role] = Role) -> Select:
    """The ids of the organisations where the user holds one of these roles, as SQL."""
    return select(Membership.organisation_id).where(
        Membership.user_id == user.id, Membership.role.in_(list(roles))
    )


# A rule's object is what its action names (an Organisation, a Trail …): Any, for the table.
Rule = Callable[[User | None, Any], bool]


def _staff(rule: Callable[[User, Any], bool]) -> Rule:
    @wraps(rule)
    def logged_in(user: User | None, obj: Any = None) -> bool:
        return user is not None and rule(user, obj)

    return logged_in


def _staff_scope(scope: Callable[[User], Scope]) -> Callable[[User | None], Scope]:
    @wraps(scope)
    def logged_in(user: User | None) -> Scope:
        return false() if user is None else scope(user)

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


def _edited_trails(user: User) -> Scope:
    if user.is_site_admin:
        return true()
    institutions = (
        _organisations_of(user, {Role.educator, Role.admin})
        .join(Membership.organisation)
        .where(Organisation.kind != OrganisationKind.school)
    )
    return Trail.organisation_id.in_(institutions)


def _partner_institutions(user: User) -> Select:
    """The institutions with an agreement in force with a school of the user: a draft or an
    unsigned proposal makes no partners."""
    schools = (
        _organisations_of(user)
        .join(Membership.organisation)
        .where(Organisation.kind == OrganisationKind.school)
    )
    return (
        agreements_in_force()
        .with_only_columns(Partnership.institution_id)
        .where(Partnership.school_id.in_(schools))
    )


def _is_partner_school_member(user: User, institution_id: int) -> bool:
    if not any(m.organisation.is_school for m in user.memberships):
        return False  # no school, no partners: spares the query
    partners = _partner_institutions(user).where(Partnership.institution_id == institution_id)
    return db.session.execute(select(partners.exists())).scalar_one()


def _offered_trail(user: User | None, trail: Trail) -> bool:
    """Published and not archived, and public or by an institution that is a partner of one of
    the user's schools."""
    if not trail.versions or trail.archived_at is not None:
        return False
    if trail.visibility == Visibility.public:
        return True
    return user is not None and _is_partner_school_member(user, trail.organisation_id)


def _offered_trails(user: User | None) -> Scope:
    by_partner = Trail.organisation_id.in_(_partner_institutions(user)) if user else false()
    return and_(
        Trail.versions.any(),
        Trail.archived_at.is_(None),
        or_(Trail.visibility == Visibility.public, by_partner),
    )


def _views_trail(user: User | None, trail: Trail) -> bool:
    """Authors see drafts; others see the trails offered to them."""
    return (user is not None and _edits_trail(user, trail)) or _offered_trail(user, trail)


def _viewed_trails(user: User | None) -> Scope:
    return or_(_edited_trails(user), _offered_trails(user)) if user else _offered_trails(None)


def _opens_visit(user: User, trail: Trail) -> bool:
    """Teachers open visits of trails offered to them; authors of their own trails."""
    if _edits_trail(user, trail):
        return True
    teaches = any(
        m.organisation.is_school and m.role in (Role.teacher, Role.admin) for m in user.memberships
    )
    return teaches and _offered_trail(user, trail)


def _visit_home(visit: Visit) -> int:
    """The organisation a visit belongs to: the class's school, else the trail's institution
    (its own group)."""
    return visit.school_id if visit.school_id is not None else visit.trail.organisation_id


def _manages_visit(user: User, visit: Visit) -> bool:
    """The school's admins, and whoever opened the visit while they belong to its organisation:
    staff who leave lose the visits they opened."""
    if user.is_site_admin:
        return True
    if visit.school_id is not None and Role.admin in roles_in(user, visit.school_id):
        return True
    return visit.opened_by_id == user.id and bool(roles_in(user, _visit_home(visit)))


def _managed_visits(user: User) -> Scope:
    if user.is_site_admin:
        return true()
    trail_home = select(Trail.organisation_id).where(Trail.id == Visit.trail_id).scalar_subquery()
    home = func.coalesce(Visit.school_id, trail_home)
    return or_(
        Visit.school_id.in_(_organisations_of(user, {Role.admin})),
        and_(Visit.opened_by_id == user.id, home.in_(_organisations_of(user))),
    )


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


def _read_partnerships(user: User) -> Scope:
    if user.is_site_admin:
        return true()
    mine = _organisations_of(user)
    sides = or_(Partnership.school_id.in_(mine), Partnership.institution_id.in_(mine))
    district = user.network_office_district
    if district is None:
        return sides
    return or_(
        sides,
        Partnership.school.has(Organisation.district == district),
        Partnership.institution.has(Organisation.district == district),
    )


def _acts_for(user: User, organisation: Organisation) -> bool:
    """Only an admin of the organisation signs for it and hands over its contacts: not even a
    site admin acts for others."""
    return Role.admin in roles_in(user, organisation.id)


def admins_of(organisation: Organisation) -> Select:
    """Its admins, as SQL: who sign for it (`agreement.sign`) and, site admins aside, who
    manage its members; they are told what needs their signature and who joined."""
    admins = select(Membership.user_id).where(
        Membership.organisation_id == organisation.id, Membership.role == Role.admin
    )
    return select(User).where(User.id.in_(admins)).order_by(User.id)


def _reads_notification(user: User, notification: Notification) -> bool:
    """Each notification is its user's alone: not even a site admin reads another's."""
    return notification.user_id == user.id


def _read_notifications(user: User) -> Scope:
    return Notification.user_id == user.id


# --- The partnership's thread and the institutions' news ---------------------------------

CONTACTS_OF_SIDE = {"school_id": "contacts_school", "institution_id": "contacts_institution"}


def thread_sides(user: User, partnership: Partnership) -> list[int]:
    """The sides (organisation ids) the user speaks for in the partnership's thread: where they
    are an admin, or a named contact of the agreement (by their address, while they belong to
    that side). Neither the network office nor a site admin reads it."""
    sides = []
    contacts = None
    for side, key in CONTACTS_OF_SIDE.items():
        organisation_id = getattr(partnership, side)
        roles = roles_in(user, organisation_id)
        if Role.admin in roles:
            sides.append(organisation_id)
            continue
        if not roles:
            continue
        if contacts is None:  # the agreement's contacts: of the versions not superseded
            contacts = db.session.scalars(
                select(AgreementVersion.content).where(
                    AgreementVersion.partnership_id == partnership.id,
                    AgreementVersion.superseded_at.is_(None),
                )
            ).all()
        email = user.email.lower()
        if any(
            (contact.get("email") or "").lower() == email
            for content in contacts
            for contact in content.get(key) or []
        ):
            sides.append(organisation_id)
    return sides


def thread_members(partnership: Partnership, organisation_id: int) -> list[User]:
    """Who speaks for this side in the thread: its members that `thread_sides` names it for."""
    members = db.session.scalars(
        select(User).where(
            User.id.in_(
                select(Membership.user_id).where(Membership.organisation_id == organisation_id)
            )
        )
    )
    return [user for user in members if organisation_id in thread_sides(user, partnership)]


def _in_thread(user: User, partnership: Partnership) -> bool:
    return bool(thread_sides(user, partnership))


def _edits_message(user: User, message: Message) -> bool:
    """Its author, while they still have a role in the thread."""
    return message.author_id == user.id and message.organisation_id in thread_sides(
        user, message.partnership
    )


def _reads_news_early(user: User, news: News) -> bool:
    """The institution's own staff and the staff of its partner schools."""
    return _is_member_of(user, news.institution) or _is_partner_school_member(
        user, news.institution_id
    )


def _news_read_early(user: User) -> Scope:
    if user.is_site_admin:
        return true()
    return or_(
        News.institution_id.in_(_organisations_of(user)),
        News.institution_id.in_(_partner_institutions(user)),
    )


def _views_news(user: User | None, news: News) -> bool:
    """Partners at once, everyone from the day it is public."""
    if news.public_from is not None and news.public_from <= local_today():
        return True
    return user is not None and _reads_news_early(user, news)


def _viewed_news(user: User | None) -> Scope:
    public = and_(News.public_from.is_not(None), News.public_from <= local_today())
    return or_(public, _news_read_early(user)) if user else public


def _writes_news(user: User, news: News) -> bool:
    return _authors_for(user, news.institution)


def _reads_district(user: User, district: str) -> bool:
    return user.is_site_admin or user.network_office_district == district


def _edits_template(user: User, district: str | None) -> bool:
    """A network office writes its district's Mustervereinbarung; a site admin any, and the
    state's (district None)."""
    return user.is_site_admin or (district is not None and user.network_office_district == district)


def _reads_good_practice(user: User, district: str) -> bool:
    """The examples are for schools and institutions: the staff of any organisation, and the
    district's network office (not another district's)."""
    return _reads_district(user, district) or bool(user.memberships)


def _plans_with(user: User, partnership: Partnership) -> bool:
    return user.is_site_admin or _a_side_of(user, partnership, set(Role))


def _reads_lernweg(user: User, school: Organisation) -> bool:
    return school.is_school and _is_member_of(user, school)


def _imports_school_list(user: User, _obj=None) -> bool:
    """Site admins for the state; a network office for its district (the service keeps its
    rows to that district)."""
    return user.is_site_admin or user.network_office_district is not None


RULES: dict[str, Rule] = {
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
    "trail.offered": _offered_trail,
    "trail.view": _views_trail,
    "media.upload": _staff(_authors_for),
    "visit.open": _staff(_opens_visit),
    "visit.manage": _staff(_manages_visit),
    "partnership.create": _staff(_is_admin_of),  # obj: the organisation acting
    "partnership.view": _staff(_reads_partnership),
    "agreement.edit": _staff(_edits_agreement),
    "agreement.sign": _staff(_acts_for),
    "contact.hand_over": _staff(_acts_for),  # obj: the side whose contact leaves
    "thread.read": _staff(_in_thread),
    "thread.post": _staff(_in_thread),
    "message.edit": _staff(_edits_message),
    "news.post": _staff(_authors_for),  # obj: the institution
    "news.delete": _staff(_writes_news),
    "news.read_early": _staff(_reads_news_early),
    "news.view": _views_news,
    "district.view": _staff(_reads_district),
    "template.edit": _staff(_edits_template),  # obj: the template's district, None the state's
    # Mustervereinbarungen are published for everyone who writes an agreement.
    "template.view": _staff(_anyone_logged_in),
    # The state's school list is open data: any staff member may look a school up in it.
    "registry.view": _staff(_anyone_logged_in),
    # A school's Lernweg is its own planning: its staff read it (a school's, not a partner's).
    "lernweg.view": _staff(_reads_lernweg),
    # The annual plan is the partners' own: both sides' staff, not the network office.
    "plan.view": _staff(_plans_with),
    "plan.edit": _staff(_plans_with),
    "registry.import": _staff(_imports_school_list),
    # Sharing a partnership's offers or reflection as good practice: an admin for their side
    # (obj: the side's organisation), as they sign for it.
    "practice.share": _staff(_acts_for),
    # Who consented and when: the partners' own, as their annual plan.
    "practice.consents": _staff(_plans_with),
    "practice.view": _staff(_reads_good_practice),  # obj: the district
    # Failed mails show addresses of every organisation: for those who run the mail server.
    "mail.view_failed": _staff(_site_admin),
    "notification.read": _staff(_reads_notification),
}

# The rows of the action's model that its rule allows, for list queries.
SCOPES: dict[str, Callable[[User | None], Scope]] = {
    "trail.edit": _staff_scope(_edited_trails),
    "trail.offered": _offered_trails,
    "trail.view": _viewed_trails,
    "visit.manage": _staff_scope(_managed_visits),
    "partnership.view": _staff_scope(_read_partnerships),
    "notification.read": _staff_scope(_read_notifications),
    "news.read_early": _staff_scope(_news_read_early),
    "news.view": _viewed_news,
}


def can(user: User | None, action: str, obj: object = None) -> bool:
    return RULES[action](user, obj)  # an unknown action is a programming error, not a denial


def scope(user: User | None, action: str) -> Scope:
    """The condition on the action's model that holds for exactly the rows `can` allows."""
    return SCOPES[action](user)


def check(user: User | None, action: str, obj: object = None) -> None:
    """Refuse unless the user may, for actions open to anonymous users too: those who are not
    logged in are asked to (401), others are refused (403)."""
    if not can(user, action, obj):
        if user is None:
            raise NotAuthenticated("Please log in.")
        raise Forbidden("You may not do this.")


def require(user: User | None, action: str, obj: object = None) -> User:
    """The user, logged in and allowed to do this."""
    check(user, action, obj)
    if user is None:  # a rule that anonymous users pass still needs a login here
        raise NotAuthenticated("Please log in.")
    return user
