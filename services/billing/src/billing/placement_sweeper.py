"""The background worker that gives up placements left pending (B2's compensating step).

A placement stays pending only when something failed between the voucher's redemption and
the order's commit (a crash, a time-out, an error). Once it is older than any placement
still in flight, and its order does not exist, a pass marks it abandoned and writes
``OrderPlacementAbandoned`` to the outbox in the same transaction: the vouchers service
gives the code back. Several replicas may sweep at once: rows held by another transaction
are skipped and the UPDATE re-checks 'pending', so each placement is abandoned once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import structlog

from billing.adapters.placements import Placement, abandon_stale
from contracts.billing import OrderPlacementAbandoned
from service_runtime.database import UnitOfWork
from service_runtime.pass_loop import PassWorker

log = structlog.get_logger(__name__)

BATCH_SIZE = 200


async def sweep_once(
    unit_of_work: Callable[[], UnitOfWork],
    *,
    abandon_after_seconds: float,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
) -> list[Placement]:
    """One pass in one transaction: the placements it abandoned."""
    at = now or datetime.now(UTC)
    async with unit_of_work() as uow:
        abandoned = await abandon_stale(
            uow.session,
            created_before=at - timedelta(seconds=abandon_after_seconds),
            now=at,
            limit=batch_size,
        )
        uow.emit(
            *(
                OrderPlacementAbandoned(
                    shop_id=placement.shop_id,
                    order_id=placement.order_id,
                    voucher_code=placement.voucher_code,
                    abandoned_at=at,
                )
                for placement in abandoned
                if placement.voucher_code is not None
            )
        )
        await uow.commit()
    if abandoned:
        log.info("placements_abandoned", count=len(abandoned))
    return abandoned


class PlacementSweeper(PassWorker):
    """Runs ``sweep_once`` every ``interval`` seconds, at once again after a full batch."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        interval: float,
        abandon_after_seconds: float,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        super().__init__(name="placement-sweeper", batch_size=batch_size, poll_interval=interval)
        self.unit_of_work = unit_of_work
        self.abandon_after_seconds = abandon_after_seconds

    async def run_pass(self) -> int:
        abandoned = await sweep_once(
            self.unit_of_work,
            abandon_after_seconds=self.abandon_after_seconds,
            batch_size=self.batch_size,
        )
        return len(abandoned)
