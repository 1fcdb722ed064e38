"""One-time links (A4 password reset, P1 invitation): random tokens kept only as a SHA-256 digest.

A digest suffices (unlike passwords) because the token has 256 bits of randomness: nobody can
guess one from its digest, and a fast lookup by digest is what we need.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Literal

TokenPurpose = Literal["password_reset", "invitation"]

LIFETIMES: dict[TokenPurpose, timedelta] = {
    "password_reset": timedelta(hours=1),
    "invitation": timedelta(days=7),
}
RESET_REQUEST_INTERVAL = timedelta(minutes=1)
"""At most one reset email a minute per customer; more requests do nothing."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


def token_problem(*, used_at: datetime | None, expires_at: datetime, now: datetime) -> str | None:
    """Why a stored token can no longer be used, or None."""
    if used_at is not None:
        return "this link was already used: ask for a new one"
    if expires_at <= now:
        return "this link has expired: ask for a new one"
    return None


UNKNOWN_LINK = "this link is not valid (unknown token): ask for a new one"
