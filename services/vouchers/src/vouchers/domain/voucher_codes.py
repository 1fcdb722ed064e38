"""Random voucher codes (V4) that are easy to type from a flyer: no look-alike characters."""

from __future__ import annotations

import random
import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Without 0/O and 1/I, which read alike on paper: 32 characters, so 10 of them give 50 bits."""
RANDOM_LENGTH = 10
PREFIX_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]*")


def generate_code(prefix: str = "", rng: random.SystemRandom | None = None) -> str:
    """Unguessable: the prefix (upper-case, joined with "-") and 10 random characters."""
    choose = rng.choice if rng is not None else secrets.choice
    head = _clean_prefix(prefix)
    tail = "".join(choose(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{head}-{tail}" if head else tail


def generate_codes(prefix: str, count: int) -> list[str]:
    """``count`` distinct codes; the caller still handles collisions with codes already stored."""
    if count < 0:
        raise ValueError("count must not be negative")
    codes: dict[str, None] = {}
    while len(codes) < count:
        codes[generate_code(prefix)] = None
    return list(codes)


def _clean_prefix(prefix: str) -> str:
    head = prefix.strip().upper().rstrip("-")
    if head and not PREFIX_PATTERN.fullmatch(head):
        raise ValueError(f"a code prefix holds letters, digits, '_' and '-' only: {prefix!r}")
    return head
