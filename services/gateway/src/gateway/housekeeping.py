"""The gateway's background worker that frees rows nobody reads any more.

Expired customer sessions answer 401 whether or not their row is there, and a throttle
counter whose window is over can no longer refuse anything; without this worker both
tables grow with every login and every attempt. Deletes are idempotent, so replicas may
run it side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import structlog

from gateway.adapters.customer_sessions import purge_expired
from gateway.adapters.throttle import purge_stale
from service_runtime.database import UnitOfWork
from service_runtime.pass_loop import PassWorker

log = structlog.get_logger(__name__)


class Housekeeping(PassWorker):
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        interval: float,
        counters_kept_for: timedelta,
    ) -> None:
        # A batch size no pass reaches: after each pass the worker rests a full interval.
        super().__init__(name="gateway-housekeeping", batch_size=1, poll_interval=interval)
        self.unit_of_work = unit_of_work
        self.counters_kept_for = counters_kept_for

    async def run_pass(self) -> int:
        await self.clean(datetime.now(UTC))
        return 0

    async def clean(self, now: datetime) -> tuple[int, int]:
        """One pass at ``now``: (sessions removed, counters removed)."""
        async with self.unit_of_work() as uow:
            sessions = await purge_expired(uow.session, now)
            counters = await purge_stale(uow.session, now - self.counters_kept_for)
            await uow.commit()
        if sessions or counters:
            log.info("housekeeping_done", sessions=sessions, counters=counters)
        return sessions, counters
