"""A voucher redeemed at placement (B2, V4) with the fake vouchers service: refused, away,
retried with the same key, changed between two tries, and left behind for the sweep."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from billing.placement_sweeper import sweep_once
from contracts.billing import (
    ApplyVoucherCode,
    Cart,
    Order,
    OrderPlacementAbandoned,
    RemoveVoucherCode,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import (
    FakePricer,
    FakeVoucher,
    events,
    fields_of,
    ok,
    open_shop,
    put_product,
    refused,
)
from orders_support import (
    FakeVouchers,
    cart_for,
    order_rows,
    order_runtime,
    place_as_guest,
    placement_rows,
)

pytestmark = pytest.mark.database


@pytest.fixture
def vouchers() -> FakeVouchers:
    return FakeVouchers()


@pytest.fixture
async def runtime(
    database_url: str, pricer: FakePricer, vouchers: FakeVouchers
) -> AsyncIterator[ServiceRuntime]:
    pricer.vouchers.update({"SAVE5": FakeVoucher(), "TEN": FakeVoucher(amount_off=Decimal(10))})
    runtime = order_runtime(database_url, pricer, vouchers)
    yield runtime
    await runtime.engine.dispose()


async def test_a_refused_redemption_gives_the_key_up_and_an_absent_service_keeps_it_for_a_retry(
    runtime: ServiceRuntime, vouchers: FakeVouchers
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    used_up_cart = await cart_for(runtime, shop_id, voucher="SAVE5")
    retried_cart = await cart_for(runtime, shop_id, voucher="SAVE5")

    vouchers.refusal = "used_up"
    used_up = await refused(runtime, place_as_guest(shop_id, used_up_cart.cart_id, "k-used"))
    again = await refused(runtime, place_as_guest(shop_id, used_up_cart.cart_id, "k-used"))
    vouchers.refusal = None
    vouchers.away = True
    away = await refused(runtime, place_as_guest(shop_id, retried_cart.cart_id, "k-retry"))
    vouchers.away = False
    order = await ok(runtime, place_as_guest(shop_id, retried_cart.cart_id, "k-retry"), Order)

    assert (used_up.code, used_up.status, list(fields_of(used_up))) == (
        "voucher_used_up",
        422,
        ["voucher_code"],
    )
    assert (again.code, again.status) == ("placement_expired", 409)
    assert (away.code, away.status, away.retry_after) == ("vouchers_unavailable", 503, 2)
    placements = {p.idempotency_key: p for p in await placement_rows(runtime, shop_id)}
    assert placements["k-used"].state == "abandoned"
    assert (placements["k-retry"].state, placements["k-retry"].order_id) == (
        "placed",
        order.order_id,
    )
    # Both tries of k-retry asked for the same order: the redemption is held once.
    assert [c.order_id for c in vouchers.calls[1:]] == [order.order_id, order.order_id]
    assert list(vouchers.held) == [order.order_id]
    assert (order.voucher_code, order.order_number) == ("SAVE5", 1)
    assert await events(runtime, OrderPlacementAbandoned) == []


async def test_a_retry_after_the_cart_changed_voucher_gives_the_first_code_back(
    runtime: ServiceRuntime, vouchers: FakeVouchers
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    swapped = await cart_for(runtime, shop_id, voucher="SAVE5")
    dropped = await cart_for(runtime, shop_id, voucher="SAVE5")
    vouchers.away = True
    await refused(runtime, place_as_guest(shop_id, swapped.cart_id, "k-swap"))
    await refused(runtime, place_as_guest(shop_id, dropped.cart_id, "k-drop"))
    first = {p.idempotency_key: p.order_id for p in await placement_rows(runtime, shop_id)}
    vouchers.away = False
    await ok(runtime, ApplyVoucherCode(shop_id=shop_id, cart_id=swapped.cart_id, code="TEN"), Cart)
    await ok(runtime, RemoveVoucherCode(shop_id=shop_id, cart_id=dropped.cart_id), Cart)

    with_ten = await ok(runtime, place_as_guest(shop_id, swapped.cart_id, "k-swap"), Order)
    without = await ok(runtime, place_as_guest(shop_id, dropped.cart_id, "k-drop"), Order)

    assert (with_ten.voucher_code, with_ten.pricing.net_total) == ("TEN", Decimal("35.00"))
    assert with_ten.order_id != first["k-swap"]
    assert (without.voucher_code, without.pricing.net_total) == (None, Decimal("45.00"))
    given_back = await events(runtime, OrderPlacementAbandoned)
    assert sorted((e.order_id, e.voucher_code) for e in given_back) == sorted(
        [(first["k-swap"], "SAVE5"), (first["k-drop"], "SAVE5")]
    )
    states = {
        p.idempotency_key: (p.order_id, p.state) for p in await placement_rows(runtime, shop_id)
    }
    assert states == {
        "k-swap": (with_ten.order_id, "placed"),
        "k-drop": (first["k-drop"], "abandoned"),
    }


async def test_the_sweep_abandons_old_pending_placements_without_an_order_once(
    runtime: ServiceRuntime, vouchers: FakeVouchers
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    placed_cart = await cart_for(runtime, shop_id, voucher="SAVE5")
    left_cart = await cart_for(runtime, shop_id, voucher="SAVE5")
    order = await ok(runtime, place_as_guest(shop_id, placed_cart.cart_id, "k-placed"), Order)
    vouchers.away = True
    await refused(runtime, place_as_guest(shop_id, left_cart.cart_id, "k-left"))
    (left,) = [p for p in await placement_rows(runtime, shop_id) if p.idempotency_key == "k-left"]

    too_young = await sweep_once(runtime.unit_of_work, abandon_after_seconds=3600)
    swept = await sweep_once(runtime.unit_of_work, abandon_after_seconds=0)
    swept_again = await sweep_once(runtime.unit_of_work, abandon_after_seconds=0)
    vouchers.away = False
    late = await refused(runtime, place_as_guest(shop_id, left_cart.cart_id, "k-left"))

    assert too_young == []
    assert [(p.order_id, p.voucher_code) for p in swept] == [(left.order_id, "SAVE5")]
    assert swept_again == []
    (given_back,) = await events(runtime, OrderPlacementAbandoned)
    assert (given_back.shop_id, given_back.order_id, given_back.voucher_code) == (
        shop_id,
        left.order_id,
        "SAVE5",
    )
    assert (late.code, late.status) == ("placement_expired", 409)
    assert [r.order_id for r in await order_rows(runtime, shop_id)] == [order.order_id]
