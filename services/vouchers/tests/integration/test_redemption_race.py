"""V4 under load, over the real broker and database: 200 checkouts for one code at once never
redeem it more often than its limit allows.

The commands are queued before the service consumes, so it takes them in a burst of
``prefetch_count`` (50) at a time: many transactions pass the rules together and only the
conditional UPDATE of the use count decides.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import aio_pika
import pytest
from pydantic import BaseModel
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_fixed

from contracts.vouchers import RedeemVoucher, Redemption
from service_runtime.database import UnitOfWork
from service_runtime.handling import CommandHandler
from service_runtime.rpc_client import RpcClient, RpcRefused
from service_runtime.service import ServiceRuntime
from service_runtime.testing import RealServers, delete_broker_namespace, unique_name
from service_runtime.topology import Topology
from vouchers import bootstrap
from vouchers.config import VouchersSettings

sys.path.insert(0, str(Path(__file__).parent))
from vouchers_support import add_voucher, open_shop, use_count

pytestmark = [pytest.mark.broker, pytest.mark.database]

CHECKOUTS = 200
PREFETCH = 50
RACING = 10
"""Handlers seen running at once (about 15-50 here): fewer would mean no real race."""


class InFlight:
    """Counts the RedeemVoucher handlers running at once, to show the race is a real one."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0

    def around(self, handler: CommandHandler) -> CommandHandler:
        async def counted(command: Any, uow: UnitOfWork) -> BaseModel:
            self.now += 1
            self.most = max(self.most, self.now)
            try:
                return await handler(command, uow)
            finally:
                self.now -= 1

        return counted


@dataclass
class Service:
    """The vouchers runtime with its queues declared but not consumed yet, and a client."""

    runtime: ServiceRuntime
    rpc: RpcClient
    amqp_url: str
    commands_queue: str
    in_flight: InFlight

    async def burst(self, code: str, orders: list[UUID], shop_id: UUID) -> Counter[str]:
        """Queue one RedeemVoucher per order, start consuming, count the answers by outcome."""

        async def checkout(order_id: UUID) -> str:
            command = RedeemVoucher(
                shop_id=shop_id, code=code, order_id=order_id, product_subtotal=Decimal("80.00")
            )
            try:
                await self.rpc.call(command, Redemption)
            except RpcRefused as refused:
                return refused.error.code
            return "ok"

        calls = [asyncio.create_task(checkout(order)) for order in orders]
        await self.queued(len(orders))
        await self.runtime.broker.start()
        await self.runtime.start_background()
        return Counter(await asyncio.gather(*calls))

    async def queued(self, count: int) -> None:
        """Wait until the commands queue holds ``count`` messages."""
        connection = await aio_pika.connect(self.amqp_url)
        async with connection:
            channel = await connection.channel()
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(AssertionError),
                wait=wait_fixed(0.05),
                stop=stop_after_delay(20),
                reraise=True,
            ):
                with attempt:
                    queue = await channel.declare_queue(self.commands_queue, passive=True)
                    assert queue.declaration_result.message_count == count


@pytest.fixture
async def namespace(servers: RealServers) -> AsyncIterator[str]:
    name = unique_name("t.") + "."
    yield name
    await delete_broker_namespace(servers.amqp_url, Topology(name), ["vouchers"])


@pytest.fixture
async def service(
    database_url: str, namespace: str, servers: RealServers, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Service]:
    in_flight = InFlight()
    commands = {**bootstrap.HANDLERS.commands}
    commands[RedeemVoucher] = in_flight.around(commands[RedeemVoucher])
    monkeypatch.setattr(bootstrap, "HANDLERS", replace(bootstrap.HANDLERS, commands=commands))
    settings = VouchersSettings(
        database_url=database_url,
        amqp_url=servers.amqp_url,
        broker_namespace=namespace,
        prefetch_count=PREFETCH,
        db_pool_size=30,
        log_json=False,
        log_level="WARNING",
    )
    runtime = bootstrap.create_runtime(settings)
    topology = Topology(namespace)
    rpc = RpcClient(
        servers.amqp_url,
        topology.commands_exchange,
        reply_queue_prefix=f"{namespace}race.replies",
        timeout=60.0,
    )
    await runtime.prepare()
    await rpc.start()
    try:
        yield Service(
            runtime,
            rpc,
            servers.amqp_url,
            topology.queue_name("vouchers", "commands"),
            in_flight,
        )
    finally:
        await rpc.stop()
        await runtime.stop()


async def test_a_single_use_code_is_redeemed_exactly_once(service: Service) -> None:
    shop = await open_shop(service.runtime)
    voucher = await add_voucher(service.runtime, shop.shop_id, "ONLY-ONE")
    orders = [uuid4() for _ in range(CHECKOUTS)]
    outcomes = await service.burst("only-one", orders, shop.shop_id)
    assert outcomes == Counter({"ok": 1, "voucher_used_up": CHECKOUTS - 1})
    assert await use_count(service.runtime, voucher.voucher_id) == 1
    assert service.in_flight.most >= RACING, f"only {service.in_flight.most} at once"


async def test_a_code_limited_to_50_is_redeemed_exactly_50_times(service: Service) -> None:
    shop = await open_shop(service.runtime)
    voucher = await add_voucher(service.runtime, shop.shop_id, "FIFTY", redemption_limit=50)
    orders = [uuid4() for _ in range(CHECKOUTS)]
    outcomes = await service.burst("FIFTY", orders, shop.shop_id)
    assert outcomes == Counter({"ok": 50, "voucher_used_up": CHECKOUTS - 50})
    assert await use_count(service.runtime, voucher.voucher_id) == 50
    assert service.in_flight.most >= RACING, f"only {service.in_flight.most} at once"


async def test_one_order_checking_out_40_times_at_once_holds_one_use(service: Service) -> None:
    shop = await open_shop(service.runtime)
    voucher = await add_voucher(service.runtime, shop.shop_id, "TEN", redemption_limit=10)
    order = uuid4()
    outcomes = await service.burst("TEN", [order] * 40, shop.shop_id)
    assert outcomes == Counter({"ok": 40}), "every copy gets the order's redemption"
    assert await use_count(service.runtime, voucher.voucher_id) == 1
