"""Throttling on the real database: fixed windows, concurrent hits, and 429 over HTTP."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Command, CommandError
from contracts.customers import Accepted, LogIn, RequestPasswordReset
from gateway.adapters.tables import rate_limits
from gateway.adapters.throttle import hit, purge_stale
from gateway.bootstrap import create_app
from gateway.config import GatewaySettings, ThrottleLimit
from gateway.entrypoints.deps import get_rpc
from service_runtime.database import make_engine, make_session_factory
from service_runtime.rpc_client import RpcRefused

sys.path.insert(0, str(Path(__file__).parent))
from gateway_support import insert_shop

pytestmark = pytest.mark.database
T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
MINUTE = ThrottleLimit(hits=2, seconds=60)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(database_url, pool_size=10)
    yield make_session_factory(engine)
    await engine.dispose()


async def hit_once(
    sessions: async_sessionmaker[AsyncSession],
    bucket: str,
    now: datetime,
    limit: ThrottleLimit = MINUTE,
) -> Any:
    async with sessions() as session:
        verdict = await hit(session, bucket, limit, now=now)
        await session.commit()
        return verdict


async def test_hits_count_up_to_the_limit_then_refuse_until_the_window_ends(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = await hit_once(sessions, "login:ip:a", T0)
    second = await hit_once(sessions, "login:ip:a", T0 + timedelta(seconds=5))
    third = await hit_once(sessions, "login:ip:a", T0 + timedelta(seconds=15))

    assert (first.hits, first.allowed, second.hits, second.allowed) == (1, True, 2, True)
    assert (third.hits, third.allowed, third.retry_after) == (3, False, 45)
    assert (await hit_once(sessions, "login:ip:b", T0 + timedelta(seconds=15))).allowed

    fresh = await hit_once(sessions, "login:ip:a", T0 + timedelta(seconds=60))
    assert (fresh.hits, fresh.allowed) == (1, True)
    async with sessions() as session:
        started = await session.scalar(
            select(rate_limits.c.window_started_at).where(rate_limits.c.bucket == "login:ip:a")
        )
    assert started == T0 + timedelta(seconds=60)


async def test_concurrent_hits_are_each_counted_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    limit = ThrottleLimit(hits=5, seconds=60)
    verdicts = await asyncio.gather(
        *(hit_once(sessions, "code_check:ip:x", T0, limit) for _ in range(12))
    )
    assert sorted(v.hits for v in verdicts) == list(range(1, 13))
    assert sum(v.allowed for v in verdicts) == 5


async def test_stale_counters_are_purged(sessions: async_sessionmaker[AsyncSession]) -> None:
    await hit_once(sessions, "old", T0)
    await hit_once(sessions, "new", T0 + timedelta(hours=2))
    async with sessions() as session:
        assert await purge_stale(session, T0 + timedelta(hours=1)) == 1
        await session.commit()
        assert (await session.scalars(select(rate_limits.c.bucket))).all() == ["new"]


# -- over HTTP -----------------------------------------------------------------------------


class RefusingRpc:
    """The customers service: wrong password for every login, Accepted for reset requests."""

    def __init__(self) -> None:
        self.calls: list[Command] = []

    async def call(self, command: Command, result_type: type[Any], **_: Any) -> Any:
        self.calls.append(command)
        if isinstance(command, LogIn):
            raise RpcRefused(CommandError(code="invalid_credentials", status=401, title="No"))
        assert isinstance(command, RequestPasswordReset)
        return Accepted()


async def open_shop(sessions: async_sessionmaker[AsyncSession]) -> UUID:
    shop_id = uuid4()
    async with sessions() as session:
        await insert_shop(
            session,
            shop_id,
            datetime.now(UTC),
            brand_name="Throttle Shop",
            slug=f"throttle-{shop_id}",
        )
        await session.commit()
    return shop_id


@pytest.fixture
async def gateway(database_url: str) -> AsyncIterator[tuple[Any, RefusingRpc]]:
    settings = GatewaySettings(
        database_url=database_url,
        db_pool_size=2,
        throttle_login_per_ip=ThrottleLimit(hits=3, seconds=60),
        throttle_login_per_account=ThrottleLimit(hits=4, seconds=900),
        throttle_email_per_account=ThrottleLimit(hits=1, seconds=900),
    )
    app = create_app(settings)
    rpc = RefusingRpc()
    app.dependency_overrides[get_rpc] = lambda: rpc
    yield app, rpc
    await app.state.runtime.engine.dispose()


def client_from(app: Any, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def test_logins_answer_429_with_retry_after_past_the_ip_or_the_email_limit(
    gateway: tuple[Any, RefusingRpc], sessions: async_sessionmaker[AsyncSession]
) -> None:
    app, rpc = gateway
    shop, other_shop = await open_shop(sessions), await open_shop(sessions)
    ada = {"email": "ada@example.com", "password": "wrong password"}

    async with (
        client_from(app, "203.0.113.1") as first_ip,
        client_from(app, "203.0.113.2") as second_ip,
    ):
        url = f"/storefront/v1/shops/{shop}/login"
        assert [(await first_ip.post(url, json=ada)).status_code for _ in range(3)] == [401] * 3
        by_ip = await first_ip.post(url, json=ada)
        assert by_ip.status_code == 429
        assert by_ip.json()["type"] == "/problems/too_many_requests"
        assert 0 < int(by_ip.headers["Retry-After"]) <= 60

        assert (await second_ip.post(url, json=ada)).status_code == 401
        by_email = await second_ip.post(url, json={**ada, "email": "ADA@example.com"})
        assert by_email.status_code == 429
        assert 60 < int(by_email.headers["Retry-After"]) <= 900
        other_email = await second_ip.post(url, json={**ada, "email": "bob@example.com"})
        assert other_email.status_code == 401

        elsewhere = await first_ip.post(f"/storefront/v1/shops/{other_shop}/login", json=ada)
        assert elsewhere.status_code == 401, "counters are per shop"

    assert len([c for c in rpc.calls if isinstance(c, LogIn)]) == 6, "429s never reach the service"


async def test_reset_requests_are_throttled_per_email(
    gateway: tuple[Any, RefusingRpc], sessions: async_sessionmaker[AsyncSession]
) -> None:
    app, rpc = gateway
    shop = await open_shop(sessions)
    url = f"/storefront/v1/shops/{shop}/password-reset"
    async with client_from(app, "198.51.100.9") as client:
        asked = await client.post(url, json={"email": "rose@example.com"})
        assert (asked.status_code, asked.json()) == (202, {"accepted": True})
        again = await client.post(url, json={"email": "rose@example.com"})
        assert again.status_code == 429
        assert "Retry-After" in again.headers
        assert (await client.post(url, json={"email": "iris@example.com"})).status_code == 202
    assert len(rpc.calls) == 2
