"""Notifications: `notify` tells users of something, in the app's list and by mail as each
chose for its kind; the list, its unread count, and the choices.

Other domains call `notify(recipients, kind, params=…, link=…)` in the transaction of the
change it tells of, and commit both together.
"""

from collections.abc import Iterable

from sqlalchemy import func, select, update

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import paginate, utcnow
from openparcours.errors import NotFound
from openparcours.extensions import db
from openparcours.mail.service import queue_mail
from openparcours.notifications.mails import notification_mail
from openparcours.notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from openparcours.partnerships.models import AgreementVersion
from openparcours.visits.models import Visit


def notify(
    recipients: Iterable[User], kind: Kind, *, params: dict, link: str
) -> list[Notification]:
    """Tell each recipient once (in the app, and by mail at once if they want it so); the
    caller commits. `params` fill the kind's text: names, dates and counts, never a student's
    data. `link` is the app's path of what it is about, e.g. "/partners/partnerships/3"."""
    users = {user.id: user for user in recipients}
    if not users:
        return []
    deliveries = deliveries_of(list(users), kind)
    now = utcnow()
    made = []
    for user in users.values():
        notification = Notification(
            user_id=user.id,
            kind=kind,
            params=params,
            link=link,
            delivery=deliveries[user.id],
            created_at=now,
        )
        if notification.delivery == Delivery.at_once:
            queue_mail(user, notification_mail(notification, user))
            notification.mailed_at = now
        db.session.add(notification)
        made.append(notification)
    db.session.flush()
    return made


def deliveries_of(user_ids: list[int], kind: Kind) -> dict[int, Delivery]:
    """How each of these users wants to hear of `kind`."""
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                NotificationPreference.user_id.in_(user_ids), NotificationPreference.kind == kind
            )
        ).all()
    )
    return {user_id: chosen.get(user_id, DEFAULT_DELIVERY[kind]) for user_id in user_ids}


# --- Who is told what -----------------------------------------------------------------------


def _agreement_params(version: AgreementVersion) -> dict:
    partnership = version.partnership
    return {
        "school": partnership.school.name,
        "institution": partnership.institution.name,
        "number": version.number,
    }


def _agreement_link(version: AgreementVersion) -> str:
    return f"/partners/partnerships/{version.partnership_id}"


def tell_sides(
    version: AgreementVersion,
    kind: Kind,
    *,
    sides: Iterable[int] | None = None,
    actor: User | None = None,
    **params,
) -> list[Notification]:
    """Tell the admins of the agreement's sides (both, or `sides`), except the actor."""
    partnership = version.partnership
    organisations = [partnership.school, partnership.institution]
    if sides is not None:
        organisations = [o for o in organisations if o.id in set(sides)]
    recipients = [
        user
        for organisation in organisations
        for user in db.session.scalars(policy.admins_of(organisation))
        if actor is None or user.id != actor.id
    ]
    return notify(
        recipients,
        kind,
        params=_agreement_params(version) | params,
        link=_agreement_link(version),
    )


def tell_signature(actor: User, version: AgreementVersion, organisation_id: int) -> None:
    """A side signed: the other side hears of it, or, with the second signature, both sides
    hear that the agreement is in force."""
    partnership = version.partnership
    if version.signed_at is not None:
        tell_sides(version, Kind.agreement_in_force, actor=actor)
        return
    other = (
        partnership.institution_id
        if organisation_id == partnership.school_id
        else partnership.school_id
    )
    signed_for = (
        partnership.school if organisation_id == partnership.school_id else partnership.institution
    )
    tell_sides(
        version,
        Kind.agreement_signed,
        sides=[other],
        actor=actor,
        signed_by=signed_for.name,
    )


def visit_opener(visit: Visit) -> list[User]:
    """Who hears of a visit: the teacher (or educator) who opened it, while they manage it."""
    opener = db.session.get(User, visit.opened_by_id) if visit.opened_by_id else None
    return [opener] if opener and policy.can(opener, "visit.manage", visit) else []


def visit_params(visit: Visit) -> dict:
    return {"class_label": visit.class_label, "trail": visit.version.content.get("title", "")}


# --- The list -------------------------------------------------------------------------------


def list_notifications(actor: User, page: int, page_size: int) -> tuple[list[Notification], int]:
    policy.require(actor, "account.use")
    query = select(Notification).where(policy.scope(actor, "notification.read"))
    return paginate(query.order_by(Notification.id.desc()), page, page_size)


def unread_count(actor: User) -> int:
    policy.require(actor, "account.use")
    return db.session.execute(
        select(func.count())
        .select_from(Notification)
        .where(policy.scope(actor, "notification.read"), Notification.read_at.is_(None))
    ).scalar_one()


def mark_read(actor: User, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise NotFound("There is no such notification.")
    policy.require(actor, "notification.read", notification)
    notification.read_at = notification.read_at or utcnow()
    db.session.commit()
    return notification


def mark_all_read(actor: User) -> None:
    policy.require(actor, "account.use")
    db.session.execute(
        update(Notification)
        .where(policy.scope(actor, "notification.read"), Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()


# --- Preferences ------------------------------------------------------------------------------


def preferences(actor: User) -> list[dict]:
    """The user's choice for every kind, the defaults where they chose nothing."""
    policy.require(actor, "account.use")
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == actor.id
            )
        ).all()
    )
    return [
        {"kind": kind, "delivery": chosen.get(kind, default), "default": default}
        for kind, default in DEFAULT_DELIVERY.items()
    ]


def set_preferences(actor: User, chosen: dict[Kind, Delivery]) -> list[dict]:
    """Change the choices for the kinds given; the others stay as they are."""
    policy.require(actor, "account.use")
    for kind, delivery in chosen.items():
        row = db.session.get(NotificationPreference, (actor.id, kind))
        if row is None:
            db.session.add(NotificationPreference(user_id=actor.id, kind=kind, delivery=delivery))
        else:
            row.delivery = delivery
    db.session.commit()
    return preferences(actor)
