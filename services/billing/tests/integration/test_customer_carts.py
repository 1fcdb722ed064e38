"""A customer's carts on the customer sheet, and their removal when the customer is deleted."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from contracts.billing import Cart, CreateCart, CustomerCarts, ItemRequest, ListCustomerCarts
from contracts.customers import CustomerDeleted
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import (
    cart_row,
    deliver,
    line_count,
    ok,
    open_shop,
    put_product,
    set_cart,
)

pytestmark = pytest.mark.database

ITEM = ItemRequest(sku="FLY-A5", quantity=1000)


async def cart_of(runtime: ServiceRuntime, shop_id: UUID, customer: UUID | None) -> Cart:
    return await ok(runtime, CreateCart(shop_id=shop_id, customer_id=customer, items=[ITEM]), Cart)


def deleted(shop_id: UUID, customer_id: UUID) -> CustomerDeleted:
    return CustomerDeleted(
        shop_id=shop_id,
        customer_id=customer_id,
        identity_id=uuid4(),
        customer_number=7,
        pseudonym_id=uuid4(),
        deleted_by="customer",
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        deleted_at=datetime.now(UTC),
    )


async def test_open_and_abandoned_carts_are_listed_latest_first(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    customer = uuid4()
    now = datetime.now(UTC)
    old, abandoned, recent, ordered = [await cart_of(runtime, shop_id, customer) for _ in range(4)]
    await cart_of(runtime, shop_id, uuid4())
    await cart_of(runtime, shop_id, None)
    await set_cart(runtime, old.cart_id, last_activity_at=now - timedelta(days=3))
    await set_cart(
        runtime,
        abandoned.cart_id,
        status="abandoned",
        last_activity_at=now - timedelta(days=2),
        abandoned_at=now - timedelta(days=1),
    )
    await set_cart(runtime, ordered.cart_id, status="ordered")

    listed = await ok(
        runtime, ListCustomerCarts(shop_id=shop_id, customer_id=customer), CustomerCarts
    )
    elsewhere = await ok(
        runtime,
        ListCustomerCarts(shop_id=await open_shop(runtime), customer_id=customer),
        CustomerCarts,
    )

    assert [(c.cart_id, c.status) for c in listed.items] == [
        (recent.cart_id, "open"),
        (abandoned.cart_id, "abandoned"),
        (old.cart_id, "open"),
    ]
    summary = listed.items[0]
    assert (summary.line_count, summary.net_total, summary.gross_total, summary.currency) == (
        1,
        recent.pricing.net_total,
        recent.pricing.gross_total,
        "EUR",
    )
    assert listed.items[1].abandoned_at == now - timedelta(days=1)
    assert elsewhere.items == []


async def test_a_deleted_customer_loses_their_carts_in_that_shop_only(
    runtime: ServiceRuntime,
) -> None:
    shop_id, other_shop = await open_shop(runtime), await open_shop(runtime)
    await put_product(runtime, shop_id)
    await put_product(runtime, other_shop)
    leaving, staying = uuid4(), uuid4()
    gone = [await cart_of(runtime, shop_id, leaving) for _ in range(2)]
    kept = [
        await cart_of(runtime, shop_id, staying),
        await cart_of(runtime, shop_id, None),
        await cart_of(runtime, other_shop, leaving),
    ]

    event = deleted(shop_id, leaving)
    await deliver(runtime, event, event)

    for cart in gone:
        assert await cart_row(runtime, cart.cart_id) is None
        assert await line_count(runtime, cart.cart_id) == 0
    for cart in kept:
        assert await cart_row(runtime, cart.cart_id) is not None
        assert await line_count(runtime, cart.cart_id) == 1
