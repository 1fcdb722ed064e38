"""Bearer tokens: random, shown once, stored only as a digest; the prefix tells their kind."""

import hashlib
import secrets

PARTNER_TOKEN_PREFIX = "pt_"  # noqa: S105 - a prefix, not a secret
CUSTOMER_TOKEN_PREFIX = "ct_"  # noqa: S105 - a prefix, not a secret


def new_partner_token() -> str:
    return PARTNER_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_customer_token() -> str:
    """A customer's session token, scoped to one shop and one customer by its stored row."""
    return CUSTOMER_TOKEN_PREFIX + secrets.token_urlsafe(32)


def is_customer_token(token: str) -> bool:
    """Cheap shape check, so a partner token sent to the storefront costs no database look-up."""
    return token.startswith(CUSTOMER_TOKEN_PREFIX) and len(token) > len(CUSTOMER_TOKEN_PREFIX)


def token_digest(token: str) -> str:
    """SHA-256 suffices: tokens carry 256 random bits, so no slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
