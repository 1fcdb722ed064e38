"""The compensating step of placement (B2, V4) with the real vouchers service over the real
broker: a voucher redeemed, the order's transaction failing after it, the placement left
pending, and the sweep's OrderPlacementAbandoned giving the code back through the outbox."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from billing.bootstrap import create_runtime as create_billing
from billing.config import BillingSettings
from billing.handlers import place_order as placement_handler
from billing.placement_sweeper import sweep_once
from contracts.billing import (
    ApplyVoucherCode,
    Cart,
    CreateCart,
    ItemRequest,
    Order,
    OrderPlacementAbandoned,
    ProductSaved,
    PutProduct,
)
from contracts.vouchers import CreateVoucher, GetVoucher, Voucher, VoucherTerms
from service_runtime.rpc_client import RpcClient, RpcRefused
from service_runtime.service import ServiceRuntime
from service_runtime.testing import (
    RealServers,
)

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import events, eventually, product_input
from orders_support import BILLING, GUEST, order_rows, place, placement_rows
from over_the_broker import answered, open_shop_everywhere

pytestmark = [pytest.mark.broker, pytest.mark.database]


@pytest.fixture
async def billing(
    servers: RealServers, database_url: str, namespace: str
) -> AsyncIterator[ServiceRuntime]:
    """Consuming and calling the vouchers service, but its relay not started yet: the test
    reads the outbox before anything leaves it."""
    runtime = create_billing(
        BillingSettings(
            amqp_url=servers.amqp_url,
            broker_namespace=namespace,
            database_url=database_url,
            log_json=False,
            log_level="WARNING",
        )
    )
    await runtime.prepare()
    await runtime.broker.start()
    assert runtime.rpc is not None
    await runtime.rpc.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def test_a_failure_after_the_redemption_is_compensated_by_the_sweep_through_the_outbox(
    servers: RealServers,
    namespace: str,
    billing: ServiceRuntime,
    vouchers: ServiceRuntime,
    rpc: RpcClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop_id = await open_shop_everywhere(servers, namespace, rpc)
    await rpc.call(PutProduct(shop_id=shop_id, product=product_input()), ProductSaved)
    voucher: Voucher = await answered(
        rpc,
        CreateVoucher(
            shop_id=shop_id,
            code="ONCE5",
            terms=VoucherTerms(kind="fixed", value=Decimal("5.00"), redemption_limit=1),
        ),
        Voucher,
    )
    cart = await rpc.call(
        CreateCart(shop_id=shop_id, items=[ItemRequest(sku="FLY-A5", quantity=1000)]), Cart
    )
    await rpc.call(ApplyVoucherCode(shop_id=shop_id, cart_id=cart.cart_id, code="once5"), Cart)

    async def disk_full(*args: Any) -> bool:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(placement_handler, "insert_order", disk_full)
    command = place(
        shop_id, cart.cart_id, guest=GUEST, billing_address=BILLING, key="checkout-once"
    )
    with pytest.raises(RpcRefused) as interrupted:
        await rpc.call(command, Order)
    monkeypatch.undo()

    error = interrupted.value.error
    assert (error.code, error.status, error.retry_after) == ("placement_interrupted", 503, 1)
    (pending,) = await placement_rows(billing, shop_id)
    assert (pending.state, pending.voucher_code) == ("pending", "ONCE5")
    assert await order_rows(billing, shop_id) == []
    held = await rpc.call(GetVoucher(shop_id=shop_id, voucher_id=voucher.voucher_id), Voucher)
    assert held.use_count == 1  # redeemed for the order that never came

    swept = await sweep_once(billing.unit_of_work, abandon_after_seconds=0)

    assert [(p.order_id, p.state) for p in swept] == [(pending.order_id, "abandoned")]
    (given_back,) = await events(billing, OrderPlacementAbandoned)
    assert (given_back.shop_id, given_back.order_id, given_back.voucher_code) == (
        shop_id,
        pending.order_id,
        "ONCE5",
    )
    with pytest.raises(RpcRefused) as expired:
        await rpc.call(command.model_copy(update={"message_id": uuid4()}), Order)
    assert expired.value.error.code == "placement_expired"

    await billing.relay.start()

    async def released() -> None:
        again = await rpc.call(GetVoucher(shop_id=shop_id, voucher_id=voucher.voucher_id), Voucher)
        assert again.use_count == 0

    await eventually(released)
