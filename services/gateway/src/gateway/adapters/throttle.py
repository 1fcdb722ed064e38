"""Fixed-window attempt counters in the rate_limits table, shared by every gateway replica.

One hit is one statement: an upsert that starts a new window when the stored one is over,
otherwise adds one, and returns the count, so concurrent hits never lose a count.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import case, delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.tables import rate_limits
from gateway.config import ThrottleLimit


@dataclass(frozen=True)
class Verdict:
    """The count of this window after the hit, and whether the hit stays within the limit."""

    hits: int
    allowed: bool
    retry_after: int = 0
    """Seconds until the window ends (0 when allowed)."""


def ip_bucket(action: str, shop_id: UUID, ip: str) -> str:
    return f"{action}:ip:{shop_id}:{ip}"


def account_bucket(action: str, shop_id: UUID, account: str) -> str:
    """Emails are hashed so the counters hold no address; case and spaces do not count."""
    key = hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]
    return f"{action}:account:{shop_id}:{key}"


def seconds_left(window_started_at: datetime, limit: ThrottleLimit, now: datetime) -> int:
    """Whole seconds until the window ends, at least 1 (a Retry-After of 0 invites a retry storm)."""
    return max(1, math.ceil((window_started_at + limit.window - now).total_seconds()))


async def hit(
    session: AsyncSession, bucket: str, limit: ThrottleLimit, now: datetime | None = None
) -> Verdict:
    """Count one attempt in ``bucket``; runs in the caller's transaction (commit it at once)."""
    now = now or datetime.now(UTC)
    window_over = rate_limits.c.window_started_at <= now - limit.window
    statement = (
        insert(rate_limits)
        .values(bucket=bucket, window_started_at=now, hits=1)
        .on_conflict_do_update(
            index_elements=[rate_limits.c.bucket],
            set_={
                "hits": case((window_over, 1), else_=rate_limits.c.hits + 1),
                "window_started_at": case(
                    (window_over, now), else_=rate_limits.c.window_started_at
                ),
            },
        )
        .returning(rate_limits.c.hits, rate_limits.c.window_started_at)
    )
    hits, started = (await session.execute(statement)).one()
    if hits <= limit.hits:
        return Verdict(hits=hits, allowed=True)
    return Verdict(hits=hits, allowed=False, retry_after=seconds_left(started, limit, now))


async def purge_stale(session: AsyncSession, older_than: datetime) -> int:
    """Housekeeping: drop counters whose window started before ``older_than``."""
    result = await session.execute(
        delete(rate_limits).where(rate_limits.c.window_started_at < older_than)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
