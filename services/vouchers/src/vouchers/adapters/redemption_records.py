"""Redemptions and the use count, changed only by statements that hold under concurrency."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.vouchers import Redemption
from vouchers.adapters.tables import redemptions, vouchers


async def live_redemption(
    session: AsyncSession, shop_id: UUID, order_id: UUID
) -> Redemption | None:
    """The code the order holds now, if any."""
    row = (
        await session.execute(
            select(
                redemptions.c.order_id,
                redemptions.c.voucher_id,
                vouchers.c.code,
                redemptions.c.customer_id,
                redemptions.c.redeemed_at,
            )
            .join(vouchers, vouchers.c.voucher_id == redemptions.c.voucher_id)
            .where(
                redemptions.c.shop_id == shop_id,
                redemptions.c.order_id == order_id,
                redemptions.c.released_at.is_(None),
            )
        )
    ).first()
    if row is None:
        return None
    return Redemption(
        order_id=row.order_id,
        voucher_id=row.voucher_id,
        code=row.code,
        customer_id=row.customer_id,
        redeemed_at=row.redeemed_at,
    )


async def claim_order(
    session: AsyncSession,
    shop_id: UUID,
    order_id: UUID,
    voucher_id: UUID,
    customer_id: UUID | None,
    now: datetime,
) -> bool:
    """Insert or revive the order's redemption; False when the order holds a live one already."""
    statement = insert(redemptions).values(
        shop_id=shop_id,
        order_id=order_id,
        voucher_id=voucher_id,
        customer_id=customer_id,
        redeemed_at=now,
        released_at=None,
    )
    claimed = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[redemptions.c.shop_id, redemptions.c.order_id],
            set_={
                "voucher_id": statement.excluded.voucher_id,
                "customer_id": statement.excluded.customer_id,
                "redeemed_at": statement.excluded.redeemed_at,
                "released_at": None,
            },
            where=redemptions.c.released_at.is_not(None),
        ).returning(redemptions.c.order_id)
    )
    return claimed.first() is not None


async def take_use(session: AsyncSession, voucher_id: UUID) -> bool:
    """One atomic UPDATE: of N concurrent takers of a code with L uses left, exactly L win."""
    taken = await session.execute(
        update(vouchers)
        .where(
            vouchers.c.voucher_id == voucher_id,
            vouchers.c.use_count < vouchers.c.redemption_limit,
            vouchers.c.active.is_(True),
        )
        .values(use_count=vouchers.c.use_count + 1)
        .returning(vouchers.c.use_count)
    )
    return taken.first() is not None


async def release_order(
    session: AsyncSession, shop_id: UUID, order_id: UUID, now: datetime
) -> bool:
    """Mark the order's live redemption released and give its use back; False when none."""
    voucher_id = (
        await session.execute(
            update(redemptions)
            .where(
                redemptions.c.shop_id == shop_id,
                redemptions.c.order_id == order_id,
                redemptions.c.released_at.is_(None),
            )
            .values(released_at=now)
            .returning(redemptions.c.voucher_id)
        )
    ).scalar_one_or_none()
    if voucher_id is None:
        return False
    await session.execute(
        update(vouchers)
        .where(vouchers.c.voucher_id == voucher_id, vouchers.c.use_count > 0)
        .values(use_count=vouchers.c.use_count - 1)
    )
    return True
