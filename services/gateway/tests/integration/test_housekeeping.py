"""The housekeeping worker frees expired sessions and spent throttle counters, nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select

from gateway.adapters.customer_sessions import open_session
from gateway.adapters.tables import customer_sessions, rate_limits
from gateway.adapters.throttle import hit
from gateway.bootstrap import create_runtime
from gateway.config import GatewaySettings, ThrottleLimit
from gateway.housekeeping import Housekeeping
from service_runtime.service import ServiceRuntime

pytestmark = pytest.mark.database
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[ServiceRuntime]:
    runtime = create_runtime(GatewaySettings(database_url=database_url))
    yield runtime
    await runtime.engine.dispose()


async def test_a_pass_removes_only_rows_that_can_no_longer_matter(runtime: ServiceRuntime) -> None:
    settings = GatewaySettings()
    worker = runtime.background[0]
    assert isinstance(worker, Housekeeping)
    assert worker.counters_kept_for == settings.longest_throttle_window == timedelta(minutes=15)
    async with runtime.sessions() as session:
        for opened_at in (NOW - timedelta(days=2), NOW - timedelta(hours=1)):
            await open_session(
                session,
                shop_id=uuid4(),
                customer_id=uuid4(),
                identity_id=uuid4(),
                lifetime=timedelta(days=1),
                now=opened_at,
            )
        limit = ThrottleLimit(hits=5, seconds=60)
        await hit(session, "login:ip:old", limit, NOW - timedelta(minutes=20))
        await hit(session, "login:ip:recent", limit, NOW - timedelta(minutes=5))
        await session.commit()

    assert await worker.clean(NOW) == (1, 1)
    assert await worker.clean(NOW) == (0, 0)
    async with runtime.sessions() as session:
        expiries = (await session.scalars(select(customer_sessions.c.expires_at))).all()
        buckets = (await session.scalars(select(rate_limits.c.bucket))).all()
    assert expiries == [NOW - timedelta(hours=1) + timedelta(days=1)]
    assert buckets == ["login:ip:recent"]
