"""Request/reply between services over the real broker: typed answers, refusals, time-outs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import pytest
from probe_service import Echo, Echoed, Peek, probe_runtime
from sqlalchemy import func, select

from service_runtime.rpc_client import RpcClient, RpcRefused, RpcTimeout
from service_runtime.service import ServiceRuntime
from service_runtime.tables import inbox
from service_runtime.testing import RealServers

pytestmark = [pytest.mark.broker, pytest.mark.database]

SHOP = UUID("00000000-0000-0000-0000-000000000001")


@pytest.fixture
async def runtime(
    database_url: str, namespace: str, servers: RealServers
) -> AsyncIterator[ServiceRuntime]:
    """A started probe service answering Echo and Peek."""
    runtime = probe_runtime(database_url, servers.amqp_url, namespace, prefetch=64)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


@pytest.fixture
def rpc(runtime: ServiceRuntime) -> RpcClient:
    """The request/reply client of the probe's runtime."""
    assert runtime.rpc is not None
    return runtime.rpc


async def test_concurrent_requests_each_get_their_own_answer(rpc: RpcClient) -> None:
    texts = [f"request {n}" for n in range(50)]
    answers = await asyncio.gather(
        *(rpc.call(Echo(shop_id=SHOP, text=t, delay=0.2), Echoed) for t in texts)
    )
    assert [a.text for a in answers] == texts


async def test_a_refusal_arrives_as_a_typed_error(rpc: RpcClient) -> None:
    with pytest.raises(RpcRefused) as refused:
        await rpc.call(Echo(shop_id=SHOP, text="no", refuse=True), Echoed)
    assert (refused.value.error.code, refused.value.error.status) == ("refused", 409)


async def test_a_slow_answer_times_out_and_the_late_reply_is_dropped(rpc: RpcClient) -> None:
    with pytest.raises(RpcTimeout):
        await rpc.call(Echo(shop_id=SHOP, text="late", delay=1.0), Echoed, wait_seconds=0.3)
    answer = await rpc.call(Echo(shop_id=SHOP, text="next"), Echoed)
    assert answer.text == "next"


async def test_a_query_is_answered_without_an_inbox_row(
    runtime: ServiceRuntime, rpc: RpcClient
) -> None:
    async def inbox_rows() -> int:
        async with runtime.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(inbox)) or 0)

    await rpc.call(Echo(shop_id=SHOP, text="kept"), Echoed)
    before = await inbox_rows()
    answers = await asyncio.gather(
        *(rpc.call(Peek(shop_id=SHOP, text=f"q{n}"), Echoed) for n in range(5))
    )
    assert [a.text for a in answers] == [f"q{n}" for n in range(5)]
    assert await inbox_rows() == before >= 1
    with pytest.raises(RpcRefused):
        await rpc.call(Peek(shop_id=SHOP, text="no", refuse=True), Echoed)
