"""Password hashing: argon2id with OWASP parameters, off the event loop (about 24 ms a hash)."""

import asyncio
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP: m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_LENGTH = 10
MAX_LENGTH = 128


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"must have at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must have at most {MAX_LENGTH} characters"
    return None


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(HASHER.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return HASHER.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than ours (upgrade it at login)."""
    return HASHER.check_needs_rehash(password_hash)


@cache
def _stand_in_hash() -> str:
    return HASHER.hash("stand-in password of no account")


async def spend_verification_time(password: str) -> None:
    """Verify against a stand-in hash so that an unknown email takes as long as a known one."""
    stand_in = await asyncio.to_thread(_stand_in_hash)
    await verify_password(stand_in, password)
