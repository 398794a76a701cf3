"""The partners' forum: a partnership's message thread, the institutions' news to their
partner schools, and named contacts who hand over to a successor. Who reads and writes what
is the policy's (`thread.*`, `message.edit`, `news.*`, `contact.hand_over`)."""

import re
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import paginate, utcnow
from openparcours.downloads import Download, entry_name
from openparcours.errors import Conflict, NotFound, ValidationFailed
from openparcours.extensions import db, failure_limiter
from openparcours.forum.models import Attachment, ContactHandover, Message, News
from openparcours.media.service import storage, store_document
from openparcours.notifications.models import Kind
from openparcours.notifications.service import notify
from openparcours.organisations.models import Membership, Organisation
from openparcours.partnerships.models import AgreementVersion, Partnership, agreements_in_force

# --- The thread -----------------------------------------------------------------------------


def thread(actor: User, partnership: Partnership, page: int, page_size: int):
    """The partnership's messages, newest first (a long thread's first page is its latest),
    and their number."""
    policy.require(actor, "thread.read", partnership)
    query = (
        select(Message).where(Message.partnership_id == partnership.id).order_by(Message.id.desc())
    )
    return paginate(query, page, page_size)


def _limits() -> dict:
    return current_app.config["FORUM_LIMITS"]


def post_message(actor: User, partnership: Partnership, body: str) -> Message:
    """A message for the author's side (the school's first, for someone of both sides); the
    other side's admins and named contacts are told."""
    policy.require(actor, "thread.post", partnership)
    failure_limiter.spend("message", str(actor.id), anywhere=True)
    message = Message(
        partnership_id=partnership.id,
        organisation_id=policy.thread_sides(actor, partnership)[0],
        author_id=actor.id,
        author_name=actor.display_name,
        body=body,
    )
    db.session.add(message)
    other_side = (
        partnership.institution_id
        if message.organisation_id == partnership.school_id
        else partnership.school_id
    )
    notify(
        policy.thread_members(partnership, other_side),
        Kind.forum_message,
        params={
            "author": actor.display_name,
            "school": partnership.school.name,
            "institution": partnership.institution.name,
        },
        link=f"/partners/partnerships/{partnership.id}",
    )
    db.session.commit()
    return message


def get_message(actor: User, message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound("There is no such message.")
    policy.require(actor, "thread.read", message.partnership)
    return message


def _require_editable(actor: User, message: Message) -> None:
    policy.require(actor, "message.edit", message)
    if not message.editable(utcnow()):
        raise Conflict("A message can be changed for 15 minutes only.", code="edit_window_closed")


def edit_message(actor: User, message: Message, body: str) -> Message:
    """The author corrects it within 15 minutes; the thread shows that it was edited."""
    _require_editable(actor, message)
    message.body = body
    message.edited_at = utcnow()
    db.session.commit()
    return message


def attach(actor: User, message: Message, filename: str, data: bytes) -> Attachment:
    """A PDF or an image added by the author within the 15 minutes, checked like uploads."""
    _require_editable(actor, message)
    limits = _limits()
    if len(message.attachments) >= limits["attachments"]:
        raise Conflict(
            f"At most {limits['attachments']} files per message.",
            code="too_many_attachments",
            params={"max": limits["attachments"]},
        )
    stored = store_document(data, limits["attachment_bytes"])
    # The name as its author gave it, with the extension of what is stored (images are WebP).
    base = re.split(r"[\\/]", filename or "")[-1].rsplit(".", 1)[0]
    stem = entry_name(base, 150) if base.strip(" .") else "Anhang"
    extension = stored["file"].rsplit(".", 1)[1]
    attachment = Attachment(filename=f"{stem}.{extension}", **stored)
    message.attachments.append(attachment)
    db.session.commit()
    return attachment


def attachment_file(actor: User, attachment_id: int) -> Download:
    """An attachment for those who read its thread, and for no one else."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("There is no such file.")
    policy.require(actor, "thread.read", attachment.message.partnership)
    if not storage().exists(attachment.file):
        raise NotFound("There is no such file.")
    return Download(storage().read(attachment.file), attachment.mime, attachment.filename)


def thread_counts(partnership_ids: list[int]) -> tuple[int, int]:
    """(threads with messages, messages) of these partnerships: what the network office sees."""
    threads, messages = db.session.execute(
        select(func.count(func.distinct(Message.partnership_id)), func.count(Message.id)).where(
            Message.partnership_id.in_(partnership_ids)
        )
    ).one()
    return threads, messages


# --- News -----------------------------------------------------------------------------------


def post_news(
    actor: User,
    institution: Organisation,
    *,
    title: str,
    text: str,
    link: str | None,
    happens_on: date | None,
    public_from: date | None,
) -> News:
    policy.require(actor, "news.post", institution)
    if institution.is_school:
        raise ValidationFailed("institution", "Institutions post news to their partner schools.")
    failure_limiter.spend("news", str(actor.id), anywhere=True)
    news = News(
        institution_id=institution.id,
        author_id=actor.id,
        title=title,
        text=text,
        link=link,
        happens_on=happens_on,
        public_from=public_from,
    )
    db.session.add(news)
    partner_schools = (
        agreements_in_force()
        .with_only_columns(Partnership.school_id)
        .where(Partnership.institution_id == institution.id)
    )
    staff = select(Membership.user_id).where(Membership.organisation_id.in_(partner_schools))
    notify(
        db.session.scalars(select(User).where(User.id.in_(staff))),
        Kind.partner_news,
        params={"institution": institution.name, "title": title},
        link="/",
    )
    db.session.commit()
    return news


def partner_news(actor: User, page: int, page_size: int):
    """The start page's news: of the institutions of the actor and of their schools' partners,
    newest first."""
    policy.require(actor, "account.use")
    query = (
        select(News)
        .where(policy.scope(actor, "news.read_early"))
        .order_by(News.published_at.desc(), News.id.desc())
    )
    return paginate(query, page, page_size)


def news_of(actor: User | None, institution: Organisation, page: int, page_size: int):
    """An institution's news as the reader may see it: partners all, the public what is due."""
    query = (
        select(News)
        .where(News.institution_id == institution.id, policy.scope(actor, "news.view"))
        .order_by(News.published_at.desc(), News.id.desc())
    )
    return paginate(query, page, page_size)


def delete_news(actor: User, news_id: int) -> None:
    news = db.session.get(News, news_id)
    if news is None:
        raise NotFound("There is no such news.")
    policy.require(actor, "news.delete", news)
    db.session.delete(news)
    db.session.commit()


# --- Contacts hand over ---------------------------------------------------------------------


def hand_over(
    actor: User,
    partnership: Partnership,
    *,
    organisation_id: int,
    predecessor_email: str,
    successor_id: int,
    role: str | None,
) -> ContactHandover:
    """A named contact of one side leaves: an admin of that side names a member as successor,
    who from then on reads the thread with its history. The agreement's contacts section
    follows in the version in force and in one being written (the contacts are no part of what
    was signed; the handover keeps who replaced whom)."""
    sides = {getattr(partnership, side): key for side, key in policy.CONTACTS_OF_SIDE.items()}
    if organisation_id not in sides:
        raise ValidationFailed("organisation_id", "This organisation is not a party.")
    organisation = db.session.get_one(Organisation, organisation_id)
    policy.require(actor, "contact.hand_over", organisation)
    successor = db.session.get(User, successor_id)
    if successor is None or not policy.roles_in(successor, organisation_id):
        raise ValidationFailed("successor_id", "The successor must be a member of the side.")
    key, wanted = sides[organisation_id], predecessor_email.lower()
    versions = db.session.scalars(
        select(AgreementVersion).where(
            AgreementVersion.partnership_id == partnership.id,
            AgreementVersion.superseded_at.is_(None),
        )
    ).all()
    named = [
        contact
        for version in versions
        for contact in version.content.get(key) or []
        if (contact.get("email") or "").lower() == wanted
    ]
    if not named:
        raise ValidationFailed("predecessor_email", "No named contact of this side has it.")
    predecessor = named[0]
    new_contact = {
        "name": successor.display_name,
        "role": role if role is not None else predecessor.get("role", ""),
        "email": successor.email,
        "phone": None,
    }
    for version in versions:
        contacts = [
            new_contact if (c.get("email") or "").lower() == wanted else c
            for c in version.content.get(key) or []
        ]
        # A new dict: the JSON column sees a change only when its value is replaced.
        version.content = {**version.content, key: contacts}
    handover = ContactHandover(
        partnership_id=partnership.id,
        organisation_id=organisation_id,
        predecessor=predecessor,
        successor=new_contact,
        successor_id=successor.id,
        handed_over_by_id=actor.id,
    )
    db.session.add(handover)
    db.session.commit()
    return handover
