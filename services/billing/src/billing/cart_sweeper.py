"""The background worker that abandons carts left alone for the shop's abandonment time.

Each pass marks up to ``batch_size`` due carts and writes one ``CartAbandoned`` each to the
outbox in the same transaction, so an event leaves exactly when its cart changed state.
Two replicas may sweep at once: locked carts are skipped and each is marked once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import structlog

from billing.adapters.abandoned_carts import mark_abandoned
from contracts.billing import CartAbandoned
from service_runtime.database import UnitOfWork
from service_runtime.pass_loop import repeat_passes

log = structlog.get_logger(__name__)

STOP_GRACE_SECONDS = 30.0


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


class CartSweeper:
    """Runs ``sweep_once`` every ``interval`` seconds, at once again after a full batch."""

    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], *, interval: float, batch_size: int = 500
    ) -> None:
        self.unit_of_work = unit_of_work
        self.interval = interval
        self.batch_size = batch_size
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="cart-sweeper")

    async def stop(self) -> None:
        """Let the pass in flight commit; the runtime closes the engine afterwards."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, STOP_GRACE_SECONDS)
            except TimeoutError:
                log.warning("cart_sweeper_stop_timeout")
            except Exception:
                log.exception("cart_sweeper_crashed")
            self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def sweep(self) -> int:
        return await sweep_once(self.unit_of_work, batch_size=self.batch_size)

    async def _run(self) -> None:
        await repeat_passes(
            self.sweep,
            name="cart_sweeper",
            batch_size=self.batch_size,
            poll_interval=self.interval,
            wake=self._wake,
            stopping=self._stopping,
        )
