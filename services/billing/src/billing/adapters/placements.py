"""Placement attempts (B2): committed before a voucher is redeemed, settled with the order.

A placement is 'pending' from just before the redemption until the order's transaction marks
it 'placed'; a refused redemption marks it 'abandoned'. One left pending (the order never
committed) is abandoned by the sweep, whose event gives the voucher back. Every change is a
conditional UPDATE on 'pending', so the order and the sweep can never both settle one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import exists, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import orders, placements

PlacementState = Literal["pending", "placed", "abandoned"]
STATES: dict[str, PlacementState] = {
    "pending": "pending",
    "placed": "placed",
    "abandoned": "abandoned",
}


@dataclass(frozen=True)
class Placement:
    shop_id: UUID
    idempotency_key: str
    order_id: UUID
    cart_id: UUID
    customer_id: UUID | None
    voucher_code: str | None
    state: PlacementState
    created_at: datetime


def _placement(row: Any) -> Placement:
    return Placement(
        shop_id=row.shop_id,
        idempotency_key=row.idempotency_key,
        order_id=row.order_id,
        cart_id=row.cart_id,
        customer_id=row.customer_id,
        voucher_code=row.voucher_code,
        state=STATES[row.state],
        created_at=row.created_at,
    )


async def find_placement(session: AsyncSession, shop_id: UUID, key: str) -> Placement | None:
    row = (
        await session.execute(
            select(placements).where(
                placements.c.shop_id == shop_id, placements.c.idempotency_key == key
            )
        )
    ).first()
    return None if row is None else _placement(row)


async def start_placement(session: AsyncSession, placement: Placement) -> Placement:
    """Insert ``placement`` as pending; when the key has one already, that one is returned."""
    await session.execute(
        insert(placements)
        .values(
            shop_id=placement.shop_id,
            idempotency_key=placement.idempotency_key,
            order_id=placement.order_id,
            cart_id=placement.cart_id,
            customer_id=placement.customer_id,
            voucher_code=placement.voucher_code,
            state="pending",
            created_at=placement.created_at,
        )
        .on_conflict_do_nothing(index_elements=[placements.c.shop_id, placements.c.idempotency_key])
    )
    stored = await find_placement(session, placement.shop_id, placement.idempotency_key)
    assert stored is not None  # inserted now or before, never deleted
    return stored


async def restart_placement(
    session: AsyncSession, pending: Placement, *, order_id: UUID, voucher_code: str, now: datetime
) -> bool:
    """A pending placement tries again under a new order id with another code (the cart's
    voucher changed since); False when it is no longer pending as it was."""
    changed = await session.execute(
        update(placements)
        .where(
            placements.c.shop_id == pending.shop_id,
            placements.c.idempotency_key == pending.idempotency_key,
            placements.c.order_id == pending.order_id,
            placements.c.state == "pending",
        )
        .values(order_id=order_id, voucher_code=voucher_code, created_at=now)
        .returning(placements.c.order_id)
    )
    return changed.first() is not None


async def settle_placement(
    session: AsyncSession,
    shop_id: UUID,
    order_id: UUID,
    state: Literal["placed", "abandoned"],
    now: datetime,
) -> bool:
    """Mark the pending placement of ``order_id``; False when it was settled already (e.g. the
    sweep abandoned it). The row stays locked until the transaction ends."""
    changed = await session.execute(
        update(placements)
        .where(
            placements.c.shop_id == shop_id,
            placements.c.order_id == order_id,
            placements.c.state == "pending",
        )
        .values(state=state, settled_at=now)
        .returning(placements.c.order_id)
    )
    return changed.first() is not None


async def abandon_stale(
    session: AsyncSession, *, created_before: datetime, now: datetime, limit: int
) -> list[Placement]:
    """Abandon up to ``limit`` placements pending since before ``created_before`` whose order
    does not exist. Spans every shop. Rows another transaction holds (an order completing
    now, another replica's sweep) are skipped, and the UPDATE checks 'pending' again."""
    due = (
        select(placements.c.order_id)
        .where(
            placements.c.state == "pending",
            placements.c.created_at < created_before,
            ~exists().where(orders.c.order_id == placements.c.order_id),
        )
        .order_by(placements.c.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = await session.execute(
        update(placements)
        .where(placements.c.order_id.in_(due.scalar_subquery()), placements.c.state == "pending")
        .values(state="abandoned", settled_at=now)
        .returning(*placements.c)
    )
    return [_placement(row) for row in rows]
