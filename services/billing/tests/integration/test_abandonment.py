"""The abandonment sweep against PostgreSQL: once per cart across replicas, again after a change."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from billing.cart_sweeper import CartSweeper, sweep_once
from contracts.billing import (
    AddCartLine,
    Cart,
    CartAbandoned,
    CartSettings,
    ConfigureCarts,
    CreateCart,
    CustomerCarts,
    ItemRequest,
    ListCustomerCarts,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import cart_row, events, eventually, ok, open_shop, put_product, set_cart

pytestmark = pytest.mark.database

ITEM = ItemRequest(sku="FLY-A5", quantity=1000)


async def cart_of(
    runtime: ServiceRuntime, shop_id: UUID, customer: UUID | None = None, *, items: bool = True
) -> Cart:
    command = CreateCart(shop_id=shop_id, customer_id=customer, items=[ITEM] if items else [])
    return await ok(runtime, command, Cart)


async def idle_for(runtime: ServiceRuntime, cart: Cart, hours: float) -> datetime:
    moment = datetime.now(UTC) - timedelta(hours=hours)
    await set_cart(runtime, cart.cart_id, last_activity_at=moment)
    return moment


async def test_two_concurrent_sweeps_abandon_each_due_cart_once(runtime: ServiceRuntime) -> None:
    shop_id, quick_shop = await open_shop(runtime), await open_shop(runtime)
    for shop in (shop_id, quick_shop):
        await put_product(runtime, shop)
    await ok(
        runtime,
        ConfigureCarts(shop_id=quick_shop, settings=CartSettings(abandon_after_hours=2)),
        CartSettings,
    )
    customer = uuid4()
    due = [await cart_of(runtime, shop_id, customer)] + [
        await cart_of(runtime, shop_id) for _ in range(29)
    ]
    for cart in due:
        await idle_for(runtime, cart, 25)
    quick = await cart_of(runtime, quick_shop)
    await idle_for(runtime, quick, 3)
    not_yet = await cart_of(runtime, shop_id)
    await idle_for(runtime, not_yet, 23)
    empty = await cart_of(runtime, shop_id, items=False)
    await idle_for(runtime, empty, 48)
    ordered = await cart_of(runtime, shop_id)
    await idle_for(runtime, ordered, 48)
    await set_cart(runtime, ordered.cart_id, status="ordered")

    counts = await asyncio.gather(
        sweep_once(runtime.unit_of_work), sweep_once(runtime.unit_of_work)
    )
    again = await sweep_once(runtime.unit_of_work)

    assert (sum(counts), again) == (31, 0)
    abandoned = await events(runtime, CartAbandoned)
    assert sorted(str(e.cart_id) for e in abandoned) == sorted(
        str(c.cart_id) for c in [*due, quick]
    )
    for cart in (not_yet, empty, ordered):
        assert (await cart_row(runtime, cart.cart_id)).abandoned_at is None
    first = next(e for e in abandoned if e.cart_id == due[0].cart_id)
    row = await cart_row(runtime, due[0].cart_id)
    assert (first.shop_id, first.customer_id, first.line_count, first.currency) == (
        shop_id,
        customer,
        1,
        "EUR",
    )
    assert (first.net_total, first.gross_total) == (
        due[0].pricing.net_total,
        due[0].pricing.gross_total,
    )
    assert (first.last_activity_at, first.abandoned_at) == (row.last_activity_at, row.abandoned_at)
    assert row.status == "abandoned"
    sheet = await ok(
        runtime, ListCustomerCarts(shop_id=shop_id, customer_id=customer), CustomerCarts
    )
    assert [(c.status, c.abandoned_at) for c in sheet.items] == [("abandoned", row.abandoned_at)]


async def test_a_changed_abandoned_cart_is_open_again_and_may_be_abandoned_again(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    cart = await cart_of(runtime, shop_id)
    await idle_for(runtime, cart, 30)
    assert await sweep_once(runtime.unit_of_work) == 1

    changed = await ok(runtime, AddCartLine(shop_id=shop_id, cart_id=cart.cart_id, item=ITEM), Cart)
    reopened = await cart_row(runtime, cart.cart_id)
    assert (changed.status, reopened.status, reopened.abandoned_at) == ("open", "open", None)
    assert await sweep_once(runtime.unit_of_work) == 0

    await idle_for(runtime, cart, 30)
    assert await sweep_once(runtime.unit_of_work) == 1

    stretches = [e for e in await events(runtime, CartAbandoned) if e.cart_id == cart.cart_id]
    assert len(stretches) == 2
    assert stretches[1].net_total == changed.pricing.net_total == 2 * cart.pricing.net_total
    assert len({e.message_id for e in stretches}) == 2


async def test_the_background_worker_sweeps_on_its_own(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    cart = await cart_of(runtime, shop_id)
    await idle_for(runtime, cart, 25)
    sweeper = CartSweeper(runtime.unit_of_work, interval=0.05, batch_size=10)

    async def abandoned() -> None:
        assert (await cart_row(runtime, cart.cart_id)).status == "abandoned"

    await sweeper.start()
    try:
        assert sweeper.running
        await eventually(abandoned)
    finally:
        await sweeper.stop()

    assert not sweeper.running
    assert (await cart_row(runtime, cart.cart_id)).status == "abandoned"
    assert len(await events(runtime, CartAbandoned)) == 1
