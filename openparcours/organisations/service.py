"""Organisations, members' roles and one-time invitation links."""

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, select, update

from openparcours import policy
from openparcours.accounts import service as accounts
from openparcours.accounts.models import User
from openparcours.database import paginate, updated_rows, utcnow
from openparcours.errors import Conflict, Forbidden, Gone, NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.mail import service as mail
from openparcours.notifications.models import Kind
from openparcours.notifications.service import notify
from openparcours.organisations.mails import invite_mail
from openparcours.organisations.models import (
    Invite,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from openparcours.slugs import slugify
from openparcours.tokens import new_token, token_hash


def get_organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("There is no such organisation.")
    return organisation


def _check_school_fields(
    kind: OrganisationKind, school_form, schulnummer: str | None, organisation_id: int | None
) -> None:
    if kind == OrganisationKind.school and school_form is None:
        raise ValidationFailed("school_form", "A school needs its school form.")
    if kind != OrganisationKind.school and school_form is not None:
        raise ValidationFailed("school_form", "Only schools have a school form.")
    if schulnummer is None:
        return
    if kind != OrganisationKind.school:
        raise ValidationFailed("schulnummer", "Only schools have a Schulnummer.")
    if db.session.scalar(
        select(Organisation.id).where(
            Organisation.schulnummer == schulnummer, Organisation.id != organisation_id
        )
    ):
        raise ValidationFailed("schulnummer", "Another organisation has this Schulnummer.")


def unique_slug(name: str) -> str:
    base = slugify(name)
    taken = set(
        db.session.scalars(select(Organisation.slug).where(Organisation.slug.like(f"{base}%")))
    )
    return next(
        c for c in (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3))) if c not in taken
    )


def get_organisation_by_slug(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound(f"There is no organisation {slug!r}.")
    return organisation


def create_organisation(actor: User, **fields) -> Organisation:
    policy.require(actor, "organisation.create")
    _check_school_fields(fields["kind"], fields.get("school_form"), fields.get("schulnummer"), None)
    if fields.get("slug") and db.session.scalar(
        select(Organisation.id).where(Organisation.slug == fields["slug"])
    ):
        raise ValidationFailed("slug", "This short name is taken.")
    fields["slug"] = fields.get("slug") or unique_slug(fields["name"])
    organisation = Organisation(**fields)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def update_organisation(actor: User, organisation: Organisation, **fields) -> Organisation:
    policy.require(actor, "organisation.edit", organisation)
    reclassifies = any(
        name in fields and fields[name] != getattr(organisation, name)
        for name in ("kind", "district", "schulnummer")
    )
    if reclassifies and not policy.can(actor, "organisation.classify"):
        raise Forbidden(
            "Only site admins change an organisation's kind, district and Schulnummer.",
            code="site_admin_only",
        )
    _check_school_fields(
        fields.get("kind", organisation.kind),
        fields.get("school_form", organisation.school_form),
        fields.get("schulnummer", organisation.schulnummer),
        organisation.id,
    )
    for name, value in fields.items():
        setattr(organisation, name, value)
    db.session.commit()
    return organisation


def list_organisations(
    page: int,
    page_size: int,
    *,
    kind: OrganisationKind | None = None,
    district: str | None = None,
) -> tuple[list[Organisation], int]:
    query = select(Organisation)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    if district is not None:
        query = query.where(Organisation.district == district)
    return paginate(query.order_by(Organisation.name, Organisation.id), page, page_size)


@dataclass(frozen=True)
class Member:
    user: User
    roles: list[Role]
    # Mail to the member's address was refused for good: the admin asks for a new one.
    email_failing: bool = False


def _members(organisation_id: int, user_ids: Iterable[int] | None = None):
    query = select(Membership.user_id, Membership.role).where(
        Membership.organisation_id == organisation_id
    )
    if user_ids is not None:
        query = query.where(Membership.user_id.in_(list(user_ids)))
    roles: dict[int, list[Role]] = {}
    for user_id, role in db.session.execute(query):
        roles.setdefault(user_id, []).append(role)
    return roles


def list_members(
    actor: User, organisation: Organisation, page: int, page_size: int
) -> tuple[list[Member], int]:
    policy.require(actor, "organisation.view_members", organisation)
    member_ids = (
        select(Membership.user_id).where(Membership.organisation_id == organisation.id).distinct()
    )
    users, total = paginate(
        select(User).where(User.id.in_(member_ids)).order_by(User.display_name, User.id),
        page,
        page_size,
    )
    roles = _members(organisation.id, [u.id for u in users])
    failing = mail.failing_among(u.email for u in users)
    return [Member(u, sorted(roles[u.id]), u.email in failing) for u in users], total


def _admin_count(organisation_id: int, excluding_user_id: int) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role == Role.admin,
            Membership.user_id != excluding_user_id,
        )
    ).scalar_one()


def _guard_last_admin(organisation: Organisation, user_id: int, new_roles: set[Role]) -> None:
    if Role.admin not in new_roles and _admin_count(organisation.id, user_id) == 0:
        raise Conflict(
            "An organisation needs at least one admin: name another admin first.",
            code="last_admin",
        )


def _require_member(organisation: Organisation, user_id: int) -> set[Role]:
    roles = set(_members(organisation.id, [user_id]).get(user_id, []))
    if not roles:
        raise NotFound("This person is not a member of the organisation.")
    return roles


def set_member_roles(
    actor: User, organisation: Organisation, user_id: int, roles: Iterable[Role]
) -> Member:
    policy.require(actor, "organisation.manage_members", organisation)
    new_roles = set(roles)
    if not new_roles:
        raise ValidationFailed("roles", "Choose at least one role, or remove the member.")
    old_roles = _require_member(organisation, user_id)
    if Role.admin in old_roles:
        _guard_last_admin(organisation, user_id, new_roles)
    _assign_roles(organisation, user_id, new_roles - old_roles)
    db.session.execute(
        delete(Membership).where(
            Membership.organisation_id == organisation.id,
            Membership.user_id == user_id,
            Membership.role.in_(old_roles - new_roles),
        )
    )
    db.session.commit()
    return Member(db.session.get_one(User, user_id), sorted(new_roles))


def _assign_roles(organisation: Organisation, user_id: int, roles: Iterable[Role]) -> None:
    for role in roles:
        db.session.add(Membership(organisation_id=organisation.id, user_id=user_id, role=role))


def remove_member(actor: User, organisation: Organisation, user_id: int) -> None:
    policy.require(actor, "organisation.manage_members", organisation)
    if Role.admin in _require_member(organisation, user_id):
        _guard_last_admin(organisation, user_id, set())
    db.session.execute(
        delete(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user_id
        )
    )
    db.session.commit()


def add_member(organisation: Organisation, user: User, roles: Iterable[Role]) -> None:
    """Give `user` these roles (keeping any they have); used by invites, the demo and the CLI."""
    existing = set(_members(organisation.id, [user.id]).get(user.id, []))
    _assign_roles(organisation, user.id, set(roles) - existing)
    db.session.flush()


# --- Invitations -------------------------------------------------------------------------


def invite_url(token: str) -> str:
    # In the fragment: browsers do not send it, so no access log keeps the token.
    return f"{current_app.config['PUBLIC_URL']}/invite#{token}"


def create_invite(
    actor: User, organisation: Organisation, role: Role, email: str | None = None
) -> tuple[Invite, str | None]:
    """Return the invite and its token to hand on; only the token's hash is kept. An invite
    for an address goes there by mail, and its token to no one else: that the link arrived in
    that mailbox proves the address (None is returned)."""
    policy.require(actor, "organisation.invite", organisation)
    invite = Invite(
        organisation=organisation,
        role=role,
        email=accounts.normalise_email(email) if email else None,
        created_by_id=actor.id,
    )
    token = _renew(invite)
    db.session.add(invite)
    if invite.email:
        _mail_invite(actor, invite, invite.email, token)
    db.session.commit()
    return invite, None if invite.email else token


def _renew(invite: Invite) -> str:
    """A new token and lifetime from now: a link given before stops working."""
    token = new_token(24)
    invite.token_hash = token_hash(token)
    invite.created_at = utcnow()
    invite.expires_at = invite.created_at + current_app.config["INVITE_LIFETIME"]
    return token


def _mail_invite(actor: User, invite: Invite, email: str, token: str) -> None:
    language = mail.language_of(accounts.find_user_by_email(email))
    mail.queue_mail(email, invite_mail(invite, actor.display_name, invite_url(token), language))


def get_invite(organisation: Organisation, invite_id: int) -> Invite:
    invite = db.session.get(Invite, invite_id)
    if invite is None or invite.organisation_id != organisation.id:
        raise NotFound("There is no such invitation.")
    return invite


def resend_invite(actor: User, organisation: Organisation, invite_id: int) -> Invite:
    """Mail the invite again with a new link (the old one stops working) that lasts from now."""
    policy.require(actor, "organisation.invite", organisation)
    invite = get_invite(organisation, invite_id)
    if invite.used_at is not None:
        raise Gone("This invitation has been used already.", code="invite_used")
    if invite.email is None:
        raise Conflict(
            "This invitation names no address; create a new link instead.",
            code="invite_without_email",
        )
    _mail_invite(actor, invite, invite.email, _renew(invite))
    db.session.commit()
    return invite


def list_open_invites(
    actor: User, organisation: Organisation, page: int, page_size: int
) -> tuple[list[Invite], int]:
    policy.require(actor, "organisation.invite", organisation)
    query = select(Invite).where(
        Invite.organisation_id == organisation.id,
        Invite.used_at.is_(None),
        Invite.expires_at > utcnow(),
    )
    return paginate(query.order_by(Invite.created_at.desc(), Invite.id.desc()), page, page_size)


def revoke_invite(actor: User, organisation: Organisation, invite_id: int) -> None:
    policy.require(actor, "organisation.invite", organisation)
    db.session.delete(get_invite(organisation, invite_id))
    db.session.commit()


def open_invite(token: str) -> Invite:
    """The invite behind a link, if it can still be used."""
    invite = db.session.scalar(select(Invite).where(Invite.token_hash == token_hash(token)))
    if invite is None:
        raise NotFound("This invitation link is not valid.")
    if invite.used_at is not None:
        raise Gone("This invitation link has been used already.", code="invite_used")
    if invite.expires_at <= utcnow():
        raise Gone("This invitation link has expired. Ask for a new one.", code="invite_expired")
    return invite


def accept_invite(
    token: str,
    actor: User | None,
    *,
    email: str | None = None,
    display_name: str | None = None,
    password: str | None = None,
) -> User:
    """Make the logged-in user, or a new account from the given fields, a member. An invite
    naming an address is for that address only: a new account gets it."""
    invite = open_invite(token)
    if actor is None:
        email = email or invite.email
        if not (email and display_name and password):
            raise ValidationFailed.for_fields(
                {
                    name: ["Required."]
                    for name, value in (
                        ("email", email),
                        ("display_name", display_name),
                        ("password", password),
                    )
                    if not value
                }
            )
        _require_invited_address(invite, email)
        user = accounts.create_user(email, display_name, password)
    else:
        _require_invited_address(invite, actor.email)
        user = actor
    # Claim the invite atomically: of two simultaneous accepts, exactly one wins.
    claimed = updated_rows(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=utcnow(), used_by_id=user.id)
    )
    if claimed != 1:
        db.session.rollback()
        raise Gone("This invitation link has been used already.", code="invite_used")
    add_member(invite.organisation, user, [invite.role])
    organisation = invite.organisation
    notify(
        [admin for admin in db.session.scalars(policy.admins_of(organisation)) if admin != user],
        Kind.member_joined,
        params={
            "organisation": organisation.name,
            "name": user.display_name,
            "role": invite.role.value,
        },
        link="/partners",
    )
    db.session.commit()
    return user


def _require_invited_address(invite: Invite, email: str) -> None:
    if invite.email and invite.email != accounts.normalise_email(email):
        raise Forbidden(
            "This invitation is meant for another e-mail address.", code="invite_email_mismatch"
        )
