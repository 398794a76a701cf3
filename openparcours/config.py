"""Configuration from the environment, with defaults that run the embedded setup."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from openparcours.media.storage import bucket_and_prefix

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def _secret_key(instance: Path) -> str:
    """Generate the key once and keep it, so sessions survive restarts and all workers agree."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        key = secrets.token_hex(32)
        f.write(key)
    return key


def _media_url(url: str | None) -> str | None:
    """Checked at start: a mistyped bucket URL must not wait for the first upload to fail."""
    if url is not None:
        bucket_and_prefix(url)
    return url


def from_environment(instance: Path, env=os.environ, *, need_secret_key: bool = True) -> dict:
    instance.mkdir(parents=True, exist_ok=True)
    port = int(env.get("PORT", "5000"))
    public_url = env.get("PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/")
    values = {
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL")
        or f"sqlite:///{instance / 'openparcours.sqlite3'}",
        "MEDIA_DIR": env.get("MEDIA_DIR") or str(instance / "media"),
        # s3://bucket/prefix keeps the media in a bucket instead (boto3 reads AWS_ENDPOINT_URL,
        # AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION itself).
        "MEDIA_URL": _media_url(env.get("MEDIA_URL") or None),
        "PUBLIC_URL": public_url,
        "PORT": port,
        # One file for every worker on this host; several hosts share Redis instead.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI")
        or f"sqlite:///{instance / 'ratelimits.sqlite3'}",
        "TILE_URL": env.get("TILE_URL", DEFAULT_TILE_URL),
        "TILE_ATTRIBUTION": env.get("TILE_ATTRIBUTION", "© OpenStreetMap-Mitwirkende"),
        "PWA_DIST": env.get("PWA_DIST") or str(PROJECT_ROOT / "pwa" / "dist"),
        # Number of proxies in front of the app whose X-Forwarded-* headers are trusted.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465; without
        # it, mails are written as .eml files to MAIL_DIR.
        "MAIL_URL": env.get("MAIL_URL") or None,
        "MAIL_FROM": env.get("MAIL_FROM")
        or f"OpenParcours <openparcours@{urlsplit(public_url).hostname or 'localhost'}>",
        "MAIL_DIR": env.get("MAIL_DIR") or str(instance / "mail"),
    }
    if need_secret_key:
        values["SECRET_KEY"] = env.get("SECRET_KEY") or _secret_key(instance)
    return values


# Settings that are the same everywhere; the environment only picks places and secrets.
FIXED = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # JSON; uploads raise it for their own routes
    "MEDIA_MAX_BYTES": 15 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # A staff login ends after 12 hours without a request and after 7 days in any case.
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "LOGIN_IDLE_TIMEOUT": timedelta(hours=12),
    "LOGIN_MAX_AGE": timedelta(days=7),
    # Failures only, per IPv4 address or IPv6 /64 (openparcours/ratelimit.py). A staff room or a
    # class behind one school address makes 25 typos in 5 minutes and still gets in.
    # Guessing: a join code has 31^8 ≈ 8.5 · 10^11 values (JOIN_CODE_LENGTH). With 5,000 visits
    # open on a statewide morning one guess hits one of them with 1 in 170 million; an address
    # that spends its 50 failures every 5 minutes for 5 hours (3,000 guesses) gets into a
    # stranger's visit with 1 in 57,000 (with the earlier 6 characters: 1 in 59).
    "RATELIMITS": {
        "login": "5 per 5 minutes",  # per address and account
        "login_address": "30 per 5 minutes",
        "join": "50 per 5 minutes",
        # Every request counts: each may mail someone. Per e-mail address from anywhere, so
        # nobody floods a mailbox, and per client address, so nobody tries many addresses.
        "password_reset": "3 per hour",
        "password_reset_address": "20 per hour",
        # Every post, per user: a lively exchange writes a few messages a minute at most.
        "message": "20 per 10 minutes",
        "news": "10 per day",
    },
    # A link to set a new password is valid this long, and once; one to confirm a new e-mail
    # address gives a day to open the mailbox.
    "PASSWORD_RESET_LIFETIME": timedelta(hours=1),
    "EMAIL_CHANGE_LIFETIME": timedelta(days=1),
    # What a message may carry: files (PDF or images), and the bytes of each.
    "FORUM_LIMITS": {"attachments": 5, "attachment_bytes": 10 * 2**20},
    "MAX_RETENTION_DAYS": 90,
    # The retention clock runs from a visit's end, and a visit lasts a school day or an
    # excursion of a few days: its end cannot carry the data past the maximum.
    "MAX_VISIT_DAYS": 3,
    # What one team may store: events per task (answers and hints) and in all, photos and
    # their stored bytes.
    "TEAM_LIMITS": {"task_events": 50, "events": 5000, "photos": 50, "photo_bytes": 100 * 2**20},
    # The schools' calendar day (agreements, reminders, school years) and the dates and times
    # in exports and certificates.
    "TIMEZONE": "Europe/Berlin",
    # Phones that were offline at the end of a visit may still send what they recorded.
    "SYNC_GRACE": timedelta(hours=12),
    # How often the app itself runs its jobs (openparcours/core/schedule.py); 0 checks never.
    "JOB_CHECK_SECONDS": 60,
    "PASSWORD_HASH_METHOD": "scrypt",
    "INVITE_LIFETIME": timedelta(days=14),
    # How often a teacher's live board asks for news (an unchanged board costs a 304).
    "LIVE_BOARD_POLL_SECONDS": 10,
    "API_TITLE": "OpenParcours API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Learning trails for education partnerships. "
            "Errors are JSON objects with `code`, `message` and, for invalid fields, `errors`."
        }
    },
}


def config_for_tests(tmp_path: Path, database_url: str) -> dict:
    """The one test configuration: a fresh instance folder, the given database."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_DIR": str(tmp_path / "media"),
        "MEDIA_URL": None,
        "MAIL_URL": None,
        "MAIL_DIR": str(tmp_path / "mail"),
        "PUBLIC_URL": "http://127.0.0.1:5000",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Hashing is deliberately slow; the tests hash hundreds of passwords.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Tests run the jobs themselves, when they want them.
        "JOB_CHECK_SECONDS": 0,
    }
