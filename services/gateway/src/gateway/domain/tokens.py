"""Bearer tokens: random, shown once, stored only as a digest."""

import hashlib
import secrets

PARTNER_TOKEN_PREFIX = "pt_"  # noqa: S105 - a prefix, not a secret


def new_partner_token() -> str:
    return PARTNER_TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 suffices: tokens carry 256 random bits, so no slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
