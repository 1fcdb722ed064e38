"""The SQL of the abandonment sweep: mark due carts abandoned, once each, across replicas.

This query spans every shop on purpose (the worker serves them all); each cart is judged
by its own shop's ``abandon_after_hours``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import DateTime, func, literal, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import carts, shops

MIN_ABANDON_HOURS = 1
"""The shortest setting CartSettings allows: a bound the partial index can use."""

DUE = text("carts.status = 'open' AND carts.line_count > 0")
"""The partial index's predicate as constants, so even a generic (prepared) plan can use it."""


@dataclass(frozen=True)
class AbandonedCart:
    shop_id: UUID
    cart_id: UUID
    customer_id: UUID | None
    line_count: int
    net_total: Decimal
    gross_total: Decimal
    currency: str
    last_activity_at: datetime


async def mark_abandoned(
    session: AsyncSession, *, now: datetime, limit: int
) -> list[AbandonedCart]:
    """Mark up to ``limit`` due carts; SKIP LOCKED and the status check make each mark once."""
    at = literal(now, DateTime(timezone=True))
    due = (
        select(carts.c.cart_id)
        .join(shops, shops.c.shop_id == carts.c.shop_id)
        .where(
            DUE,
            carts.c.last_activity_at < now - timedelta(hours=MIN_ABANDON_HOURS),
            carts.c.last_activity_at
            < at - func.make_interval(0, 0, 0, 0, shops.c.abandon_after_hours),
        )
        .order_by(carts.c.last_activity_at)
        .limit(limit)
        .with_for_update(of=carts, skip_locked=True)
    )
    rows = await session.execute(
        update(carts)
        .where(
            carts.c.cart_id.in_(due.scalar_subquery()),
            carts.c.status == "open",
            shops.c.shop_id == carts.c.shop_id,
        )
        .values(status="abandoned", abandoned_at=now)
        .returning(
            carts.c.shop_id,
            carts.c.cart_id,
            carts.c.customer_id,
            carts.c.line_count,
            carts.c.net_total,
            carts.c.gross_total,
            shops.c.currency,
            carts.c.last_activity_at,
        )
    )
    return [
        AbandonedCart(
            shop_id=row.shop_id,
            cart_id=row.cart_id,
            customer_id=row.customer_id,
            line_count=row.line_count,
            net_total=row.net_total,
            gross_total=row.gross_total,
            currency=row.currency,
            last_activity_at=row.last_activity_at,
        )
        for row in rows
    ]
