"""Request/reply between services over the real broker: typed answers, refusals, time-outs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import pytest
from probe_service import Echo, Echoed, probe_runtime

from service_runtime.rpc_client import RpcClient, RpcRefused, RpcTimeout
from service_runtime.testing import RealServers

pytestmark = [pytest.mark.broker, pytest.mark.database]

SHOP = UUID("00000000-0000-0000-0000-000000000001")


@pytest.fixture
async def rpc(database_url: str, namespace: str, servers: RealServers) -> AsyncIterator[RpcClient]:
    """A started probe service answering Echo, and the request/reply client of its runtime."""
    runtime = probe_runtime(database_url, servers.amqp_url, namespace, prefetch=64)
    await runtime.start()
    assert runtime.rpc is not None
    try:
        yield runtime.rpc
    finally:
        await runtime.stop()


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
