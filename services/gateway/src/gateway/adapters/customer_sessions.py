"""Customer sessions: a ct_ token per login, kept only as its digest, scoped to one shop.

The functions run in the caller's transaction; the caller commits.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.tables import customer_sessions as sessions
from gateway.domain.tokens import new_customer_token, token_digest


@dataclass(frozen=True)
class IssuedToken:
    """The token in clear: shown to the customer once, never stored."""

    token: str
    expires_at: datetime


@dataclass(frozen=True)
class ActiveSession:
    """Who a valid customer token speaks for."""

    shop_id: UUID
    customer_id: UUID
    identity_id: UUID
    token_digest: str
    expires_at: datetime


async def open_session(
    session: AsyncSession,
    *,
    shop_id: UUID,
    customer_id: UUID,
    identity_id: UUID,
    lifetime: timedelta,
    now: datetime | None = None,
) -> IssuedToken:
    """Store a new session; the customer's expired ones go at the same time (indexed, cheap)."""
    now = now or datetime.now(UTC)
    token, expires_at = new_customer_token(), now + lifetime
    await session.execute(
        delete(sessions).where(sessions.c.customer_id == customer_id, sessions.c.expires_at <= now)
    )
    await session.execute(
        insert(sessions).values(
            token_digest=token_digest(token),
            shop_id=shop_id,
            customer_id=customer_id,
            identity_id=identity_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return IssuedToken(token=token, expires_at=expires_at)


async def find_session(
    session: AsyncSession, token: str, now: datetime | None = None
) -> ActiveSession | None:
    """The session of ``token``; None when it is unknown, revoked or expired."""
    row = (
        await session.execute(
            select(sessions).where(
                sessions.c.token_digest == token_digest(token),
                sessions.c.expires_at > (now or datetime.now(UTC)),
            )
        )
    ).first()
    if row is None:
        return None
    return ActiveSession(
        shop_id=row.shop_id,
        customer_id=row.customer_id,
        identity_id=row.identity_id,
        token_digest=row.token_digest,
        expires_at=row.expires_at,
    )


async def revoke_token(session: AsyncSession, digest: str) -> int:
    """Logout: the one session of this token digest."""
    result = await session.execute(delete(sessions).where(sessions.c.token_digest == digest))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def revoke_customers(session: AsyncSession, customer_ids: Collection[UUID]) -> int:
    """Every session of these shop customers (denied or deleted)."""
    if not customer_ids:
        return 0
    result = await session.execute(
        delete(sessions).where(sessions.c.customer_id.in_(list(customer_ids)))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def revoke_identity(
    session: AsyncSession, identity_id: UUID, *, keep_digest: str | None = None
) -> int:
    """Every session of a person in every shop (new password), except ``keep_digest``'s."""
    statement = delete(sessions).where(sessions.c.identity_id == identity_id)
    if keep_digest is not None:
        statement = statement.where(sessions.c.token_digest != keep_digest)
    result = await session.execute(statement)
    return int(result.rowcount)  # type: ignore[attr-defined]


async def purge_expired(session: AsyncSession, now: datetime | None = None) -> int:
    """Housekeeping: sessions past their expiry answer 401 anyway; this frees their rows."""
    result = await session.execute(
        delete(sessions).where(sessions.c.expires_at <= (now or datetime.now(UTC)))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
