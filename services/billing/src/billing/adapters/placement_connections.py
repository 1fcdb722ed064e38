"""The placement's own transactions run on a pool of their own.

A placement with a voucher commits its placement row in a transaction of its own while the
command's transaction (holding the inbox row) stays open: two connections at once. From the
service's main pool, a burst of such placements could take every connection for the first
halves and wait forever for the second ones. A separate small pool breaks that cycle: a
connection taken here is given back as soon as its short transaction ends, and waits for
nothing else meanwhile.
"""

from __future__ import annotations

from service_runtime.database import (
    UnitOfWork,
    make_engine,
    make_session_factory,
)
from service_runtime.settings import ServiceSettings

POOL_SIZE = 4


class PlacementConnections:
    """Owns the small pool; runs as one of the service's background workers so that the
    runtime closes it at shutdown."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.engine = make_engine(
            settings.resolved_database_url(), pool_size=POOL_SIZE, pre_ping=settings.db_pre_ping
        )
        self._sessions = make_session_factory(self.engine)
        self._stopped = False

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self._sessions)

    async def start(self) -> None:
        self._stopped = False

    async def stop(self) -> None:
        self._stopped = True
        await self.engine.dispose()

    @property
    def running(self) -> bool:
        return not self._stopped
