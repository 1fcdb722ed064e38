"""Email verification codes (A2): six digits, kept only as an HMAC, short-lived, few tries."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from uuid import UUID

CODE_LIFETIME = timedelta(minutes=15)
MAX_WRONG_TRIES = 5


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_digest(secret: str, customer_id: UUID, code: str) -> str:
    """Bound to the customer so a leaked digest table cannot be matched across customers."""
    return hmac.new(secret.encode(), f"{customer_id}:{code}".encode(), hashlib.sha256).hexdigest()


def code_matches(secret: str, customer_id: UUID, code: str, digest: str) -> bool:
    return hmac.compare_digest(code_digest(secret, customer_id, code.strip()), digest)
