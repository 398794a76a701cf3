"""Secret tokens (login sessions, team tokens, invitation links): the holder gets a random token,
the database keeps only its hash, so a leaked database leaks no usable token."""

import hashlib
import secrets


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
