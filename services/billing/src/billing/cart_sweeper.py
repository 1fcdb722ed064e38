"""The background worker that abandons carts left alone for the shop's abandonment time.

Each pass marks up to ``batch_size`` due carts and writes one ``CartAbandoned`` each to the
outbox in the same transaction, so an event leaves exactly when its cart changed state.
Two replicas may sweep at once: locked carts are skipped and each is marked once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import structlog

from billing.adapters.abandoned_carts import mark_abandoned
from contracts.billing import CartAbandoned
from service_runtime.database import UnitOfWork
from service_runtime.pass_loop import PassWorker

log = structlog.get_logger(__name__)


async def sweep_once(
    unit_of_work: Callable[[], UnitOfWork],
    *,
    batch_size: int = 500,
    now: datetime | None = None,
) -> int:
    """One pass in one transaction: how many carts it abandoned (and events it emitted)."""
    at = now or datetime.now(UTC)
    async with unit_of_work() as uow:
        abandoned = await mark_abandoned(uow.session, now=at, limit=batch_size)
        uow.emit(
            *(
                CartAbandoned(
                    shop_id=cart.shop_id,
                    cart_id=cart.cart_id,
                    customer_id=cart.customer_id,
                    line_count=cart.line_count,
                    net_total=cart.net_total,
                    gross_total=cart.gross_total,
                    currency=cart.currency,
                    last_activity_at=cart.last_activity_at,
                    abandoned_at=at,
                )
                for cart in abandoned
            )
        )
        await uow.commit()
    if abandoned:
        log.info("carts_abandoned", count=len(abandoned))
    return len(abandoned)


class CartSweeper(PassWorker):
    """Runs ``sweep_once`` every ``interval`` seconds, at once again after a full batch."""

    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], *, interval: float, batch_size: int = 500
    ) -> None:
        super().__init__(name="cart-sweeper", batch_size=batch_size, poll_interval=interval)
        self.unit_of_work = unit_of_work

    async def run_pass(self) -> int:
        return await sweep_once(self.unit_of_work, batch_size=self.batch_size)
