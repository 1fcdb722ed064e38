"""Six-digit codes sent by email (A2 verification, A5 email change): kept only as an HMAC,
short-lived, a few wrong tries, resent at most once a minute."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from uuid import UUID

CODE_LIFETIME = timedelta(minutes=15)
MAX_WRONG_TRIES = 5
RESEND_INTERVAL = timedelta(minutes=1)


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_digest(secret: str, customer_id: UUID, code: str, *, scope: str | None = None) -> str:
    """Bound to the customer (and ``scope``, e.g. the new email) so that a leaked digest table
    cannot be matched across customers or reused for another purpose."""
    message = f"{customer_id}:{code}" if scope is None else f"{scope}:{customer_id}:{code}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def code_matches(
    secret: str, customer_id: UUID, code: str, digest: str, *, scope: str | None = None
) -> bool:
    return hmac.compare_digest(code_digest(secret, customer_id, code.strip(), scope=scope), digest)


def code_problem(wrong_tries: int, expired: bool) -> str | None:
    """Why a stored code cannot be tried any more, or None."""
    if wrong_tries >= MAX_WRONG_TRIES:
        return "too many wrong codes: ask for a new code"
    if expired:
        return "the code has expired: ask for a new code"
    return None


def wrong_code_reason(wrong_tries_before: int) -> str:
    """The refusal of a wrong code, counting the try just made."""
    left = MAX_WRONG_TRIES - wrong_tries_before - 1
    return f"wrong code ({left} tries left)"
