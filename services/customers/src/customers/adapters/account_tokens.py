"""Stores and redeems one-time links (A4 password reset, P1 invitation) by their digest only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from customers.adapters.tables import account_tokens, shop_customers
from customers.domain.account_tokens import (
    LIFETIMES,
    UNKNOWN_LINK,
    TokenPurpose,
    new_token,
    token_digest,
    token_problem,
)


async def issue_token(
    session: AsyncSession,
    *,
    purpose: TokenPurpose,
    customer_id: UUID,
    shop_id: UUID,
    now: datetime,
) -> tuple[str, datetime]:
    """A new token (in clear, for the email only) and its expiry; older unused ones of the same
    purpose stop working."""
    await session.execute(
        delete(account_tokens).where(
            account_tokens.c.customer_id == customer_id,
            account_tokens.c.purpose == purpose,
            account_tokens.c.used_at.is_(None),
        )
    )
    token = new_token()
    expires_at = now + LIFETIMES[purpose]
    await session.execute(
        insert(account_tokens).values(
            token_digest=token_digest(token),
            purpose=purpose,
            customer_id=customer_id,
            shop_id=shop_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return token, expires_at


async def last_issued_at(
    session: AsyncSession, customer_id: UUID, purpose: TokenPurpose
) -> datetime | None:
    issued: datetime | None = await session.scalar(
        select(func.max(account_tokens.c.created_at)).where(
            account_tokens.c.customer_id == customer_id, account_tokens.c.purpose == purpose
        )
    )
    return issued


@dataclass(frozen=True)
class TokenHolder:
    """Whose token was redeemed."""

    customer_id: UUID
    identity_id: UUID


async def redeem_token(
    session: AsyncSession,
    *,
    shop_id: UUID,
    purpose: TokenPurpose,
    token: str,
    now: datetime,
) -> TokenHolder | str:
    """Mark the token used and return its holder, or say why it cannot be used.

    Another shop's token, or one made for another purpose, is unknown here.
    """
    digest = token_digest(token)
    row = (
        await session.execute(
            select(
                account_tokens.c.customer_id,
                account_tokens.c.used_at,
                account_tokens.c.expires_at,
                shop_customers.c.identity_id,
            )
            .join(shop_customers, shop_customers.c.customer_id == account_tokens.c.customer_id)
            .where(
                account_tokens.c.token_digest == digest,
                account_tokens.c.shop_id == shop_id,
                account_tokens.c.purpose == purpose,
            )
            .with_for_update(of=account_tokens)
        )
    ).first()
    if row is None:
        return UNKNOWN_LINK
    if problem := token_problem(used_at=row.used_at, expires_at=row.expires_at, now=now):
        return problem
    await session.execute(
        update(account_tokens).where(account_tokens.c.token_digest == digest).values(used_at=now)
    )
    return TokenHolder(customer_id=row.customer_id, identity_id=row.identity_id)
