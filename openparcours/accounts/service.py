"""Accounts: passwords, login sessions (a record per login, its id in the signed cookie) and
CSRF tokens."""

import hmac
import secrets
from datetime import timedelta

from flask import current_app, request, session
from sqlalchemy import delete, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from openparcours import policy
from openparcours.accounts.models import LoginSession, User
from openparcours.database import utcnow
from openparcours.errors import Conflict, Forbidden, NotAuthenticated, ValidationFailed
from openparcours.extensions import db, failure_limiter
from openparcours.tokens import new_token, token_hash

PASSWORD_MIN_LENGTH = 10
# scrypt's cost grows with the input; a bound keeps a login from becoming a denial of service.
PASSWORD_MAX_LENGTH = 200
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Compared against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")
# The cookie's key holding the login's random id.
LOGIN_KEY = "login"
# A login's last request is written down at most this often, not with every request.
LAST_SEEN_PRECISION = timedelta(minutes=1)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_new_password(password: str, field: str = "password") -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValidationFailed(
            field, f"Use at least {PASSWORD_MIN_LENGTH} characters.", code="password_too_short"
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValidationFailed(
            field, f"Use at most {PASSWORD_MAX_LENGTH} characters.", code="password_too_long"
        )


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    display_name: str,
    password: str,
    *,
    is_site_admin: bool = False,
    network_office_district: str | None = None,
) -> User:
    validate_new_password(password)
    if find_user_by_email(email):
        raise Conflict("An account with this e-mail address exists already.", code="email_taken")
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        is_site_admin=is_site_admin,
        network_office_district=network_office_district,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User:
    """Return the user for these credentials. Failed attempts are limited per address and
    account, so one colleague's typos do not lock out a staff room behind one school address,
    and, more loosely, per address, so one address cannot try many accounts."""
    account = email.strip().casefold()
    failure_limiter.check("login", account)
    failure_limiter.check("login_address")
    user = find_user_by_email(email)
    password = password[: PASSWORD_MAX_LENGTH + 1]
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
    elif check_password_hash(user.password_hash, password):
        return user
    failure_limiter.record_failure("login", account)
    failure_limiter.record_failure("login_address")
    raise NotAuthenticated("E-mail or password is wrong.", code="invalid_credentials")


def _expired_logins(now):
    config = current_app.config
    return or_(
        LoginSession.last_seen_at <= now - config["LOGIN_IDLE_TIMEOUT"],
        LoginSession.created_at <= now - config["LOGIN_MAX_AGE"],
    )


def _this_login(now) -> LoginSession | None:
    """The record of this browser's login, unless it has expired."""
    token = session.get(LOGIN_KEY)
    if token is None:
        return None
    return db.session.scalar(
        select(LoginSession).where(
            LoginSession.token_hash == token_hash(token), ~_expired_logins(now)
        )
    )


def _delete_this_login() -> None:
    if LOGIN_KEY in session:
        db.session.execute(
            delete(LoginSession).where(LoginSession.token_hash == token_hash(session[LOGIN_KEY]))
        )


def start_session(user: User) -> None:
    """A new login record; the browser's previous one, and every expired one, are deleted."""
    now = utcnow()
    _delete_this_login()
    db.session.execute(delete(LoginSession).where(_expired_logins(now)))
    token = new_token()
    db.session.add(
        LoginSession(
            token_hash=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now
        )
    )
    session.clear()
    session.permanent = True
    session[LOGIN_KEY] = token
    session["csrf"] = secrets.token_urlsafe(32)
    user.last_login_at = now
    db.session.commit()
    request.__dict__.pop("login_user", None)


def end_session() -> None:
    _delete_this_login()
    db.session.commit()
    session.clear()
    request.__dict__.pop("login_user", None)


def current_user() -> User | None:
    """The user of this browser's login while it has not expired; looked up once a request
    (on the request itself: tests run many requests in one application context)."""
    cached = request.__dict__
    if "login_user" not in cached:
        cached["login_user"] = _user_of_this_login()
    return cached["login_user"]


def logged_in_user() -> User:
    """The user of this browser's login, for requests that need one: without it, the answer
    asks to log in (401)."""
    return policy.require(current_user(), "account.use")


def _user_of_this_login() -> User | None:
    now = utcnow()
    login = _this_login(now)
    if login is None:
        if LOGIN_KEY in session:
            session.clear()  # an ended login: the browser forgets it
        return None
    if now - login.last_seen_at >= LAST_SEEN_PRECISION:
        login.last_seen_at = now
        db.session.commit()
    return login.user


def csrf_token() -> str:
    return session["csrf"]


def check_csrf() -> None:
    """Cookie-authenticated writes must echo the session's CSRF token in a header.

    Runs before every request. Requests with a bearer token (teams) carry no cookie authority.
    """
    if request.method in SAFE_METHODS or LOGIN_KEY not in session:
        return
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        raise Forbidden(
            f"Missing or wrong {CSRF_HEADER} header; reload the page.", code="csrf_failed"
        )


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password[: PASSWORD_MAX_LENGTH + 1]):
        raise ValidationFailed(
            "current_password", "The current password is wrong.", code="wrong_password"
        )
    validate_new_password(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    # Whoever knew the old password may be logged in elsewhere: every other login ends.
    db.session.execute(
        delete(LoginSession).where(
            LoginSession.user_id == user.id,
            LoginSession.token_hash != token_hash(session[LOGIN_KEY]),
        )
    )
    db.session.commit()


def set_language(user: User, language: str) -> None:
    user.language = language
    db.session.commit()


def profile(user: User) -> dict:
    """The logged-in user as the PWA needs it: roles grouped per organisation, CSRF token."""
    groups: dict[int, dict] = {}
    for m in sorted(user.memberships, key=lambda m: (m.organisation.name, m.role)):
        group = groups.setdefault(m.organisation_id, {"organisation": m.organisation, "roles": []})
        group["roles"].append(m.role)
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "is_site_admin": user.is_site_admin,
        "network_office_district": user.network_office_district,
        "memberships": list(groups.values()),
        "csrf_token": csrf_token(),
    }
