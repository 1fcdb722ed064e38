"""Billing and the real vouchers service over the real broker: carts priced by vouchers (B1, V7),
and a cart change answered 503 when the vouchers service is away."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from billing.bootstrap import create_runtime as create_billing
from billing.config import BillingSettings
from contracts.billing import (
    AddCartLine,
    ApplyVoucherCode,
    Cart,
    CreateCart,
    ItemRequest,
    ProductSaved,
    PutProduct,
)
from contracts.vouchers import CreateVoucher, Voucher, VoucherTerms
from service_runtime.rpc_client import RpcClient, RpcRefused
from service_runtime.service import ServiceRuntime
from service_runtime.testing import (
    RealServers,
)

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import cart_row, line_count, product_input
from over_the_broker import open_shop_everywhere

pytestmark = [pytest.mark.broker, pytest.mark.database]

PRICING_TIMEOUT = 1.0


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
