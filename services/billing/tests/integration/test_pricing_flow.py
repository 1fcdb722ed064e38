"""Billing and the real vouchers service over the real broker: carts priced by vouchers (B1, V7),
and a cart change answered 503 when the vouchers service is away."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import aio_pika
import pytest

from billing.bootstrap import create_runtime as create_billing
from billing.config import BillingSettings
from contracts.base import Event
from contracts.billing import (
    AddCartLine,
    ApplyVoucherCode,
    Cart,
    CreateCart,
    ItemRequest,
    ListProducts,
    PriceList,
    ProductSaved,
    PutProduct,
)
from contracts.vouchers import CreateVoucher, Voucher, VoucherTerms
from service_runtime.rpc_client import RpcClient, RpcRefused
from service_runtime.service import ServiceRuntime
from service_runtime.testing import (
    RealServers,
    delete_broker_namespace,
    migrated_template,
    throwaway_database,
    unique_name,
)
from service_runtime.topology import Topology
from vouchers.bootstrap import MIGRATIONS as VOUCHERS_MIGRATIONS
from vouchers.bootstrap import create_runtime as create_vouchers
from vouchers.config import VouchersSettings

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import cart_row, eventually, line_count, product_input, shop_opened

pytestmark = [pytest.mark.broker, pytest.mark.database]

PRICING_TIMEOUT = 1.0


@pytest.fixture
async def namespace(servers: RealServers) -> AsyncIterator[str]:
    """A broker namespace of this test's own, deleted with everything declared in it."""
    name = unique_name("t.") + "."
    yield name
    await delete_broker_namespace(servers.amqp_url, Topology(name), ["billing", "vouchers"])


@pytest.fixture
def vouchers_database(servers: RealServers) -> Iterator[str]:
    with (
        migrated_template(servers, VOUCHERS_MIGRATIONS, "t_vouchers_tpl_") as template,
        throwaway_database(servers, "t_vouchers_", template=template) as url,
    ):
        yield url


@pytest.fixture
async def billing(
    servers: RealServers, database_url: str, namespace: str
) -> AsyncIterator[ServiceRuntime]:
    runtime = create_billing(
        BillingSettings(
            amqp_url=servers.amqp_url,
            broker_namespace=namespace,
            database_url=database_url,
            pricing_timeout=PRICING_TIMEOUT,
            log_json=False,
            log_level="WARNING",
        )
    )
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


@pytest.fixture
async def vouchers(
    servers: RealServers, vouchers_database: str, namespace: str
) -> AsyncIterator[ServiceRuntime]:
    runtime = create_vouchers(
        VouchersSettings(
            amqp_url=servers.amqp_url,
            broker_namespace=namespace,
            database_url=vouchers_database,
            log_json=False,
            log_level="WARNING",
        )
    )
    await runtime.start()
    try:
        yield runtime
    finally:
        if runtime.broker.running:
            await runtime.stop()


@pytest.fixture
async def rpc(servers: RealServers, namespace: str) -> AsyncIterator[RpcClient]:
    """A caller like the gateway: commands over the broker, typed replies back."""
    topology = Topology(namespace)
    client = RpcClient(
        servers.amqp_url,
        topology.commands_exchange,
        reply_queue_prefix=topology.name("test.replies"),
        timeout=10.0,
    )
    await client.start()
    try:
        yield client
    finally:
        await client.stop()


async def publish(amqp_url: str, namespace: str, *events: Event) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(Topology(namespace).events_exchange)
        for event in events:
            await exchange.publish(
                aio_pika.Message(
                    event.model_dump_json().encode(),
                    content_type="application/json",
                    message_id=str(event.message_id),
                ),
                routing_key=event.ROUTING_KEY,
            )


async def open_shop_everywhere(servers: RealServers, namespace: str, rpc: RpcClient) -> UUID:
    """ShopOpened on the events exchange, then wait until billing serves the shop."""
    event = shop_opened()
    await publish(servers.amqp_url, namespace, event)

    async def billing_knows_it() -> PriceList:
        try:
            return await rpc.call(ListProducts(shop_id=event.shop_id), PriceList)
        except RpcRefused as refused:
            raise AssertionError(refused.error.code) from refused

    await eventually(billing_knows_it)
    return event.shop_id


async def test_a_cart_is_priced_by_the_vouchers_service_and_503_when_it_is_away(
    servers: RealServers,
    namespace: str,
    billing: ServiceRuntime,
    vouchers: ServiceRuntime,
    rpc: RpcClient,
) -> None:
    shop_id = await open_shop_everywhere(servers, namespace, rpc)
    await rpc.call(PutProduct(shop_id=shop_id, product=product_input("FLY-A5")), ProductSaved)
    await rpc.call(
        CreateVoucher(
            shop_id=shop_id,
            code="WELCOME5",
            terms=VoucherTerms(kind="fixed", value=Decimal("5.00"), redemption_limit=10),
        ),
        Voucher,
    )

    cart = await rpc.call(CreateCart(shop_id=shop_id), Cart)
    added = await rpc.call(
        AddCartLine(
            shop_id=shop_id,
            cart_id=cart.cart_id,
            item=ItemRequest(sku="FLY-A5", quantity=1000, production_option="express"),
        ),
        Cart,
    )

    (line,) = added.pricing.lines
    assert (line.list_net, line.surcharge_net, line.net) == (
        Decimal("45.00"),
        Decimal("10.00"),
        Decimal("55.00"),
    )
    assert (line.vat, added.pricing.gross_total, line.production_option_name) == (
        Decimal("11.00"),
        Decimal("66.00"),
        "Express",
    )

    with pytest.raises(RpcRefused) as unknown:
        await rpc.call(ApplyVoucherCode(shop_id=shop_id, cart_id=cart.cart_id, code="NOPE"), Cart)
    assert (unknown.value.error.code, unknown.value.error.status) == ("voucher_unknown", 422)
    assert [f.field for f in unknown.value.error.fields] == ["code"]

    applied = await rpc.call(
        ApplyVoucherCode(shop_id=shop_id, cart_id=cart.cart_id, code="welcome5"), Cart
    )
    assert applied.voucher_code == "WELCOME5"
    assert applied.pricing.voucher is not None
    assert (applied.pricing.voucher.applied, applied.pricing.voucher.amount) == (
        True,
        Decimal("-5.00"),
    )
    assert [a.kind for a in applied.pricing.lines[0].adjustments] == ["voucher"]
    assert applied.pricing.net_total == Decimal("50.00")

    await vouchers.stop()
    before = await cart_row(billing, cart.cart_id)
    with pytest.raises(RpcRefused) as away:
        await rpc.call(
            AddCartLine(
                shop_id=shop_id, cart_id=cart.cart_id, item=ItemRequest(sku="FLY-A5", quantity=500)
            ),
            Cart,
        )

    error = away.value.error
    assert (error.code, error.status, error.retry_after) == ("pricing_unavailable", 503, 2)
    assert await cart_row(billing, cart.cart_id) == before
    assert await line_count(billing, cart.cart_id) == 1


async def test_without_any_vouchers_service_a_cart_is_refused_at_once(
    servers: RealServers, namespace: str, billing: ServiceRuntime, rpc: RpcClient
) -> None:
    """No vouchers queue in this namespace: the command is unroutable, not left to time out."""
    shop_id = await open_shop_everywhere(servers, namespace, rpc)

    with pytest.raises(RpcRefused) as refused:
        await rpc.call(CreateCart(shop_id=shop_id), Cart, wait_seconds=PRICING_TIMEOUT * 0.9)

    assert refused.value.error.code == "pricing_unavailable"
