"""Billing's order events give voucher codes back (V4): a cancelled order, or a placement
that redeemed a code and never became an order (the compensating step of B2)."""

from __future__ import annotations

from contracts.billing import OrderPlacementAbandoned, OrderStatusChanged
from service_runtime.database import UnitOfWork
from vouchers.adapters.redemption_records import release_order


async def release_for_cancelled_order(event: OrderStatusChanged, uow: UnitOfWork) -> None:
    """Only cancellations matter here; an order that held no code releases nothing."""
    if event.status != "cancelled" or event.voucher_code is None:
        return
    await release_order(uow.session, event.shop_id, event.order_id, event.changed_at)


async def release_for_abandoned_placement(event: OrderPlacementAbandoned, uow: UnitOfWork) -> None:
    """Idempotent: the redemption may never have been taken (the call timed out first)."""
    await release_order(uow.session, event.shop_id, event.order_id, event.abandoned_at)
