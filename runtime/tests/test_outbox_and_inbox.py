"""The messaging promises, proven against the real RabbitMQ and PostgreSQL (X2)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import pytest
from probe_service import Ping, drain, effects, probe_runtime, publish, record_ping
from sqlalchemy import func, select
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_fixed

from service_runtime.handling import EventDispatcher
from service_runtime.outbox_relay import OutboxRelay
from service_runtime.service import ServiceRuntime
from service_runtime.tables import inbox, outbox
from service_runtime.testing import RealServers

pytestmark = [pytest.mark.broker, pytest.mark.database]

SHOP = UUID("00000000-0000-0000-0000-000000000001")


async def eventually(check, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Retry an assertion until it holds or the time is up."""
    async for attempt in AsyncRetrying(
        stop=stop_after_delay(timeout),
        wait=wait_fixed(0.1),
        retry=retry_if_exception_type(AssertionError),
        reraise=True,
    ):
        with attempt:
            await check()


async def count(runtime: ServiceRuntime, statement) -> int:  # type: ignore[no-untyped-def]
    async with runtime.sessions() as session:
        return int(await session.scalar(statement) or 0)


async def test_event_committed_before_a_relay_crash_is_delivered_after_restart(
    database_url: str, namespace: str, servers: RealServers
) -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).parent / "relay_crash_child.py"),
            database_url,
            servers.amqp_url,
            namespace,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    runtime = probe_runtime(database_url, servers.amqp_url, namespace)
    try:
        # The consumer side must exist before the event is published.
        await runtime.prepare()
        assert child.stdout.readline().strip() == "committed"
        assert child.stdout.readline().startswith("publishing")
    finally:
        child.kill()
        child.wait()

    assert await count(runtime, select(func.count()).select_from(outbox)) == 1
    await runtime.broker.start()
    await runtime.start_background()
    try:
        await eventually(lambda: _expect(runtime, select(func.count()).select_from(effects), 1))
        await eventually(lambda: _expect(runtime, select(func.count()).select_from(outbox), 0))
        await asyncio.sleep(0.5)  # a second copy, if any, would land now
        assert await count(runtime, select(func.count()).select_from(effects)) == 1
    finally:
        await runtime.stop()


async def _expect(runtime: ServiceRuntime, statement, expected: int) -> None:  # type: ignore[no-untyped-def]
    assert await count(runtime, statement) == expected


async def test_a_message_delivered_twice_has_one_effect(
    database_url: str, namespace: str, servers: RealServers
) -> None:
    runtime = probe_runtime(database_url, servers.amqp_url, namespace)
    await runtime.start()
    try:
        ping = Ping(shop_id=SHOP, n=7)
        await publish(servers.amqp_url, runtime.topology.events_exchange, ping)
        await publish(servers.amqp_url, runtime.topology.events_exchange, ping)
        marker = Ping(shop_id=SHOP, n=8)  # a later message, so both copies were delivered
        await publish(servers.amqp_url, runtime.topology.events_exchange, marker)
        await eventually(lambda: _expect(runtime, select(func.count()).where(effects.c.n == 8), 1))
        assert await count(runtime, select(func.count()).where(effects.c.n == 7)) == 1
        assert (
            await count(runtime, select(func.count()).where(inbox.c.message_id == ping.message_id))
            == 1
        )
    finally:
        await runtime.stop()


async def test_a_handler_that_always_fails_sends_its_message_to_the_dead_letter_queue(
    database_url: str, namespace: str, servers: RealServers
) -> None:
    runtime = probe_runtime(database_url, servers.amqp_url, namespace, delivery_limit=3)
    await runtime.start()
    try:
        poison = Ping(shop_id=SHOP, n=0, fail=True)
        await publish(servers.amqp_url, runtime.topology.events_exchange, poison)
        for n in range(1, 6):
            await publish(
                servers.amqp_url, runtime.topology.events_exchange, Ping(shop_id=SHOP, n=n)
            )
        await eventually(lambda: _expect(runtime, select(func.count()).select_from(effects), 5))
        dlq = runtime.topology.dead_letter_queue_name(
            runtime.topology.queue_name("probe", "events")
        )
        dead: list[dict[str, object]] = []

        async def poison_dead_lettered() -> None:
            dead.extend(await drain(servers.amqp_url, dlq))
            assert [d["body"]["message_id"] for d in dead] == [str(poison.message_id)]  # type: ignore[index]

        await eventually(poison_dead_lettered)
        assert await count(runtime, select(func.count()).where(effects.c.n == 0)) == 0
        death = dead[0]["headers"]["x-death"][0]  # type: ignore[index]
        assert death["reason"] == "delivery_limit"
    finally:
        await runtime.stop()


async def test_two_relays_publish_every_event_exactly_once(
    database_url: str, namespace: str, servers: RealServers
) -> None:
    consumer = probe_runtime(database_url, servers.amqp_url, namespace)
    await consumer.prepare()
    relays = [
        OutboxRelay(
            consumer.engine,
            servers.amqp_url,
            consumer.topology.events_exchange,
            batch_size=20,
            poll_interval=0.05,
        )
        for _ in range(2)
    ]
    sent = [Ping(shop_id=SHOP, n=n) for n in range(300)]
    async with consumer.unit_of_work() as uow:
        uow.emit(*sent)
        await uow.commit()
    for relay in relays:
        await relay.start()
    try:
        await eventually(lambda: _expect(consumer, select(func.count()).select_from(outbox), 0))
    finally:
        for relay in relays:
            await relay.stop()
    assert sum(r.published for r in relays) == len(sent)
    queue = consumer.topology.queue_name("probe", "events")
    delivered = [d["body"]["message_id"] for d in await drain(servers.amqp_url, queue)]  # type: ignore[index]
    assert sorted(delivered) == sorted(str(e.message_id) for e in sent)
    await consumer.engine.dispose()


async def test_two_copies_of_a_message_in_one_batch_have_one_effect(
    database_url: str, namespace: str, servers: RealServers
) -> None:
    runtime = probe_runtime(database_url, servers.amqp_url, namespace)
    dispatcher = EventDispatcher("probe", {Ping: record_ping}, runtime.unit_of_work)
    ping, other = Ping(shop_id=SHOP, n=1), Ping(shop_id=SHOP, n=2)
    try:
        await asyncio.gather(
            dispatcher.handle(ping), dispatcher.handle(ping), dispatcher.handle(other)
        )
        assert await count(runtime, select(func.count()).where(effects.c.n == 1)) == 1
        assert await count(runtime, select(func.count()).where(effects.c.n == 2)) == 1
    finally:
        await runtime.engine.dispose()


async def test_graceful_stop_finishes_handlers_in_flight_and_flushes_the_outbox(
    database_url: str, namespace: str, servers: RealServers
) -> None:
    runtime = probe_runtime(database_url, servers.amqp_url, namespace)
    await runtime.start()
    slow = [Ping(shop_id=SHOP, n=n, delay=1.0, echo=True) for n in (1, 2, 3)]
    for ping in slow:
        await publish(servers.amqp_url, runtime.topology.events_exchange, ping)
    await asyncio.sleep(0.3)  # all three are now inside their handler
    await runtime.stop()  # what SIGTERM runs

    assert await count(runtime, select(func.count()).where(effects.c.n > 0)) == 3
    assert await count(runtime, select(func.count()).select_from(outbox)) == 0
    queue = runtime.topology.queue_name("probe", "events")
    follow_ups = [d["body"]["n"] for d in await drain(servers.amqp_url, queue)]  # type: ignore[index]
    handled = await count(runtime, select(func.count()).where(effects.c.n < 0))
    assert handled + len(follow_ups) == 3, "every follow-up event was published, none lost"
