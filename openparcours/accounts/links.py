"""Links mailed to a user that prove the mailbox: setting a new password without the old one,
and confirming a new e-mail address."""

from flask import current_app
from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash

from openparcours.accounts import mails
from openparcours.accounts.models import (
    LinkPurpose,
    LoginSession,
    MailedLink,
    PasswordResetRequest,
    User,
)
from openparcours.accounts.service import (
    PASSWORD_MAX_LENGTH,
    find_user_by_email,
    hash_password,
    normalise_email,
    validate_new_password,
)
from openparcours.database import updated_rows, utcnow
from openparcours.errors import Conflict, Gone, NotFound, ValidationFailed
from openparcours.extensions import db, failure_limiter
from openparcours.mail import service as mail
from openparcours.mail.service import language_of
from openparcours.tokens import new_token, token_hash


def _app_url(path: str) -> str:
    return f"{current_app.config['PUBLIC_URL']}{path}"


def _link(path: str, token: str) -> str:
    # The token in the fragment: browsers do not send it, so no access log keeps the link.
    return _app_url(f"{path}#{token}")


def _new_token() -> tuple[str, str]:
    """A token for a link and the hash that is stored of it."""
    token = new_token()
    return token, token_hash(token)


def _store_link(
    user: User, purpose: LinkPurpose, hashed: str, lifetime, new_email: str | None = None
) -> None:
    now = utcnow()
    db.session.add(
        MailedLink(
            user=user,
            purpose=purpose,
            token_hash=hashed,
            new_email=new_email,
            created_at=now,
            expires_at=now + lifetime,
        )
    )


def _use_link(token: str, purpose: LinkPurpose) -> MailedLink:
    """The link behind the token, marked used: of two requests with one link, one wins."""
    link = db.session.scalar(
        select(MailedLink).where(
            MailedLink.token_hash == token_hash(token), MailedLink.purpose == purpose
        )
    )
    if link is None:
        raise NotFound("This link is not valid.", code="link_invalid")
    if link.used_at is not None:
        raise Gone("This link has been used already.", code="link_used")
    if link.expires_at <= utcnow():
        raise Gone("This link has expired. Ask for a new one.", code="link_expired")
    claimed = updated_rows(
        update(MailedLink)
        .where(MailedLink.id == link.id, MailedLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed != 1:
        db.session.rollback()
        raise Gone("This link has been used already.", code="link_used")
    return link


def request_password_reset(email: str) -> None:
    """Note that someone asks for a new password for the address. The answer is the same for
    every address, and so is the work: the limits are counted and the address is written down;
    the next round of delivery looks it up and mails the link (`mail_reset_links`)."""
    account = normalise_email(email)
    failure_limiter.spend("password_reset", account, anywhere=True)
    failure_limiter.spend("password_reset_address")
    db.session.add(PasswordResetRequest(email=account))
    db.session.commit()


def mail_reset_links() -> None:
    """Mail a link to each address of an account that a new password was asked for (before
    each round of the mails' delivery)."""
    for request_id, email in db.session.execute(
        select(PasswordResetRequest.id, PasswordResetRequest.email)
        .order_by(PasswordResetRequest.id)
        .limit(500)
    ).all():
        # Deleting the request claims it: of two processes, one mails the link.
        if not updated_rows(
            delete(PasswordResetRequest).where(PasswordResetRequest.id == request_id)
        ):
            db.session.rollback()
            continue
        user = find_user_by_email(email)
        if user is not None:
            token, hashed = _new_token()
            lifetime = current_app.config["PASSWORD_RESET_LIFETIME"]
            _store_link(user, LinkPurpose.PASSWORD_RESET, hashed, lifetime)
            link = _link("/password-reset", token)
            reset = mails.password_reset(language_of(user), user.display_name, link)
            # Whoever asks for the link says the mailbox works: it is tried once more.
            mail.queue_mail(user, reset, despite_failing=True)
        db.session.commit()


def reset_password(token: str, new_password: str) -> None:
    """Set the new password from a reset link: every login of the user ends, every other reset
    link of theirs stops working, and a notice goes to the address."""
    validate_new_password(new_password)
    link = _use_link(token, LinkPurpose.PASSWORD_RESET)
    user = link.user
    user.password_hash = hash_password(new_password)
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.execute(
        update(MailedLink)
        .where(
            MailedLink.user_id == user.id,
            MailedLink.purpose == LinkPurpose.PASSWORD_RESET,
            MailedLink.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    # The link arrived: the address works, whatever a mail server said of it before.
    mail.forget_failure(user.email)
    mail.queue_mail(
        user, mails.password_was_reset(language_of(user), user.display_name, _app_url("/login"))
    )
    db.session.commit()


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Mail a confirmation link to the new address; the address changes when it is opened."""
    if not check_password_hash(user.password_hash, password[: PASSWORD_MAX_LENGTH + 1]):
        raise ValidationFailed("password", "The password is wrong.", code="wrong_password")
    new_email = mail.checked_address(new_email, "new_email")
    if new_email == user.email:
        raise ValidationFailed("new_email", "This is the address already.", code="same_email")
    if find_user_by_email(new_email):
        raise Conflict("An account with this e-mail address exists already.", code="email_in_use")
    token, hashed = _new_token()
    lifetime = current_app.config["EMAIL_CHANGE_LIFETIME"]
    _store_link(user, LinkPurpose.EMAIL_CHANGE, hashed, lifetime, new_email)
    link = _link("/email-confirm", token)
    confirmation = mails.confirm_new_email(language_of(user), user.display_name, new_email, link)
    mail.queue_mail(new_email, confirmation)
    db.session.commit()


def confirm_email_change(token: str) -> User:
    """The new address, proven by the link mailed to it, becomes the account's; a notice goes to
    the old one."""
    link = _use_link(token, LinkPurpose.EMAIL_CHANGE)
    user, new_email = link.user, link.new_email
    assert new_email is not None  # every e-mail change link names its address
    if find_user_by_email(new_email):
        db.session.rollback()
        raise Conflict("An account with this e-mail address exists already.", code="email_in_use")
    old_email = user.email
    notice = mails.email_was_changed(
        language_of(user), user.display_name, new_email, _app_url("/login")
    )
    mail.queue_mail(old_email, notice)
    user.email = new_email
    mail.forget_failure(new_email)
    db.session.commit()
    return user
