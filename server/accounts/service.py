"""Accounts: passwords, login sessions (signed cookie) and CSRF tokens."""

import hashlib
import hmac
import secrets

from flask import current_app, request, session
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from server.accounts.models import User
from server.database import utcnow
from server.errors import Conflict, Forbidden, NotAuthenticated, ValidationFailed
from server.extensions import db, failure_limiter

PASSWORD_MIN_LENGTH = 10
# scrypt's cost grows with the input; a bound keeps a login from becoming a denial of service.
PASSWORD_MAX_LENGTH = 200
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Compared against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


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


def _fingerprint(user: User) -> str:
    # Part of the session: a password change ends every other session of the user.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def start_session(user: User) -> None:
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["auth"] = _fingerprint(user)
    session["csrf"] = secrets.token_urlsafe(32)
    user.last_login_at = utcnow()
    db.session.commit()


def end_session() -> None:
    session.clear()


def current_user() -> User | None:
    """The user of this request's session; repeated calls hit the session's identity map."""
    user_id = session.get("user_id")
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not hmac.compare_digest(session.get("auth", ""), _fingerprint(user)):
        session.clear()
        return None
    return user


def csrf_token() -> str:
    return session["csrf"]


def check_csrf() -> None:
    """Cookie-authenticated writes must echo the session's CSRF token in a header.

    Runs before every request. Requests with a bearer token (teams) carry no cookie authority.
    """
    if request.method in SAFE_METHODS or "user_id" not in session:
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
    db.session.commit()
    session["auth"] = _fingerprint(user)


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
        "is_site_admin": user.is_site_admin,
        "network_office_district": user.network_office_district,
        "memberships": list(groups.values()),
        "csrf_token": csrf_token(),
    }
