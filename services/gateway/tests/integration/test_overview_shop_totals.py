"""The unfiltered overview's total is kept by the overview's writes, never counted at read
time: it must equal the rows after every kind of event, repeated or out of order."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select

from contracts.customers import CustomersImported
from gateway.adapters.overview_queries import OverviewFilters, read_page, shop_total
from gateway.adapters.tables import customer_overview as overview
from gateway.bootstrap import create_runtime
from gateway.config import GatewaySettings
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from overview_events import changed, deleted, handle, registered, snapshot

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_totals_"


@pytest.fixture(scope="module")
async def runtime(module_database_url: str) -> AsyncIterator[ServiceRuntime]:
    runtime = create_runtime(GatewaySettings(database_url=module_database_url))
    yield runtime
    await runtime.engine.dispose()


async def kept_and_counted(runtime: ServiceRuntime, shop_id: UUID) -> tuple[int, int]:
    async with runtime.sessions() as session:
        kept = await shop_total(session, shop_id)
        counted = await session.scalar(
            select(func.count()).select_from(overview).where(overview.c.shop_id == shop_id)
        )
    return kept, counted or 0


async def test_the_total_follows_registrations_snapshots_imports_and_deletions(
    runtime: ServiceRuntime,
) -> None:
    shop, other = uuid4(), uuid4()
    ada, bob, cleo = uuid4(), uuid4(), uuid4()
    assert await kept_and_counted(runtime, shop) == (0, 0)

    await handle(
        runtime,
        registered(shop, ada, 1),
        registered(shop, ada, 1),  # redelivered: inserts nothing
        changed(shop, snapshot(ada, 1, 2)),  # an update, not a new row
        changed(shop, snapshot(bob, 2, 1)),  # a snapshot before its registration
        registered(shop, bob, 2),
        registered(other, uuid4(), 1),
    )
    assert await kept_and_counted(runtime, shop) == (2, 2)

    imported = CustomersImported(
        shop_id=shop,
        import_id=uuid4(),
        chunk=1,
        chunks=1,
        customers=[snapshot(ada, 1, 3), snapshot(cleo, 3, 1), snapshot(cleo, 3, 2)],
    )
    await handle(runtime, imported, imported)
    assert await kept_and_counted(runtime, shop) == (3, 3)

    await handle(runtime, deleted(shop, bob, 2), deleted(shop, bob, 2))
    await handle(runtime, changed(shop, snapshot(bob, 2, 9)))  # late: the tombstone wins
    assert await kept_and_counted(runtime, shop) == (2, 2)
    assert await kept_and_counted(runtime, other) == (1, 1)

    async with runtime.read_sessions() as session:
        page = await read_page(
            session,
            runtime.read_sessions,
            OverviewFilters(shop_id=shop),
            "customer_number",
            "asc",
            page=1,
            size=10,
        )
    assert (page.total, [r.customer_id for r in page.rows]) == (2, [ada, cleo])


async def test_concurrent_registrations_in_one_shop_lose_no_count(runtime: ServiceRuntime) -> None:
    shop = uuid4()

    async def register(number: int) -> None:
        await handle(runtime, registered(shop, uuid4(), number))

    await asyncio.gather(*(register(n) for n in range(1, 31)))
    assert await kept_and_counted(runtime, shop) == (30, 30)
