"""Placing orders (B2, A10) with the fake pricer: what an order holds, one order per key even
under concurrency, and the refusals that name their field."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from contracts.billing import (
    Cart,
    ConfigurePayments,
    CreateCart,
    CustomerBillingChanged,
    GetOrder,
    ListOrders,
    Order,
    OrderPage,
    OrderPlaced,
    PaymentSettings,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import (
    FakePricer,
    FakeVoucher,
    answer,
    cart_row,
    events,
    fields_of,
    ok,
    open_shop,
    put_product,
    refused,
)
from orders_support import (
    BILLING,
    GUEST,
    FakeVouchers,
    add_customer,
    cart_for,
    order_rows,
    order_runtime,
    place,
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
    runtime = order_runtime(database_url, pricer, vouchers)
    yield runtime
    await runtime.engine.dispose()


async def test_a_customer_and_a_guest_order_hold_the_prices_numbers_and_provider_order(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    other_shop = await open_shop(runtime)
    for shop in (shop_id, other_shop):
        await put_product(runtime, shop, wholesale_unit_cost=Decimal("0.0215"))
    ada = await add_customer(runtime, shop_id)
    cart = await cart_for(runtime, shop_id, ada.customer_id, quantity=333)

    order = await ok(runtime, place(shop_id, cart.cart_id, customer_id=ada.customer_id), Order)
    guest_cart = await cart_for(runtime, shop_id, quantity=1000)
    guest_order = await ok(
        runtime,
        place(
            shop_id,
            guest_cart.cart_id,
            guest=GUEST,
            method="bank_transfer",
            billing_address=BILLING,
        ),
        Order,
    )
    elsewhere = await ok(
        runtime,
        place(
            other_shop,
            (await cart_for(runtime, other_shop)).cart_id,
            guest=GUEST,
            billing_address=BILLING,
        ),
        Order,
    )

    # 333 x 0.0450 = 14.985 -> 14.99 net, 3.00 VAT; wholesale 333 x 0.0215 = 7.1595 -> 7.16.
    assert (order.order_number, guest_order.order_number, elsewhere.order_number) == (1, 2, 1)
    assert (order.pricing.net_total, order.pricing.vat_total, order.pricing.gross_total) == (
        Decimal("14.99"),
        Decimal("3.00"),
        Decimal("17.99"),
    )
    assert order.pricing == cart.pricing
    assert (order.customer_id, order.customer_number, order.guest) == (ada.customer_id, 7, False)
    assert (order.email, order.first_name, order.last_name, order.language) == (
        "ada@example.com",
        "Ada",
        "Lovelace",
        "de",
    )
    assert order.billing_address is not None
    assert (order.billing_address.name, order.billing_address.company) == (
        "Ada Lovelace",
        "Analytical Engines",
    )
    assert (order.billing_address.line1, order.billing_address.country) == (
        "12 rue des Lilas",
        "FR",
    )
    assert order.shipping_address == order.billing_address
    assert (order.payment_method, order.payment_status, order.status) == (
        "card",
        "awaiting_payment",
        "placed",
    )
    assert [change.status for change in order.history] == ["placed"]
    assert (order.currency, order.voucher_code, order.cart_id) == ("EUR", None, cart.cart_id)
    assert re.fullmatch(r"PO-[0-9A-F]{12}", order.provider.provider_order_id)
    assert (order.provider.wholesale_net, order.provider.released_at) == (Decimal("7.16"), None)
    assert order.provider.provider_order_id != guest_order.provider.provider_order_id

    assert (guest_order.customer_id, guest_order.customer_number, guest_order.guest) == (
        None,
        None,
        True,
    )
    assert (guest_order.email, guest_order.first_name, guest_order.language) == (
        "guest@example.com",
        "Gus",
        "fr",
    )
    assert guest_order.billing_address == guest_order.shipping_address == BILLING
    assert (guest_order.pricing.gross_total, guest_order.provider.wholesale_net) == (
        Decimal("54.00"),
        Decimal("21.50"),
    )
    assert guest_order.payment_status == "awaiting_payment"

    assert (await cart_row(runtime, cart.cart_id)).status == "ordered"
    placed = await events(runtime, OrderPlaced)
    assert [e.order for e in placed] == [order, guest_order, elsewhere]
    figures = await events(runtime, CustomerBillingChanged)
    assert [
        (e.customer_id, e.figures.orders_count, e.figures.order_revenue_net) for e in figures
    ] == [(ada.customer_id, 1, Decimal("14.99"))]
    stored = await order_rows(runtime, shop_id)
    assert [(r.company, r.vat_number, r.payment_terms_days) for r in stored] == [
        ("Analytical Engines", "FR40303265045", 0),
        (None, None, 0),
    ]

    assert await ok(runtime, GetOrder(shop_id=shop_id, order_id=order.order_id), Order) == order
    listed = await ok(runtime, ListOrders(shop_id=shop_id), OrderPage)
    assert [(s.order_number, s.name, s.gross_total) for s in listed.items] == [
        (2, "Gus Guest", Decimal("54.00")),
        (1, "Ada Lovelace", Decimal("17.99")),
    ]
    assert listed.total == 2
    mine = await ok(
        runtime,
        ListOrders(shop_id=shop_id, customer_id=ada.customer_id, page=1, size=1),
        OrderPage,
    )
    assert ([s.order_id for s in mine.items], mine.total) == ([order.order_id], 1)
    shipped = await ok(runtime, ListOrders(shop_id=shop_id, status="shipped"), OrderPage)
    assert (shipped.items, shipped.total) == ([], 0)


async def test_one_key_places_one_order_also_ten_at_once_and_is_refused_for_another_cart(
    runtime: ServiceRuntime, pricer: FakePricer, vouchers: FakeVouchers
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    ada = await add_customer(runtime, shop_id)
    pricer.vouchers["SAVE5"] = FakeVoucher(amount_off=Decimal("5.00"))
    cart = await cart_for(runtime, shop_id, ada.customer_id, voucher="SAVE5")
    command = place(shop_id, cart.cart_id, customer_id=ada.customer_id, key="checkout-1")

    replies = await asyncio.gather(
        *(answer(runtime, command.model_copy(update={"message_id": uuid4()})) for _ in range(10))
    )
    again = await ok(
        runtime, place(shop_id, cart.cart_id, customer_id=ada.customer_id, key="checkout-1"), Order
    )

    assert all(reply["ok"] for reply in replies), [r["error"] for r in replies if not r["ok"]]
    orders = {Order.model_validate(reply["result"]).order_id for reply in replies}
    assert orders == {again.order_id}
    assert [row.order_id for row in await order_rows(runtime, shop_id)] == [again.order_id]
    assert (again.voucher_code, again.pricing.net_total) == ("SAVE5", Decimal("40.00"))
    (redeemed,) = vouchers.calls
    assert (redeemed.order_id, redeemed.code, redeemed.customer_id) == (
        again.order_id,
        "SAVE5",
        ada.customer_id,
    )
    assert redeemed.product_subtotal == Decimal("45.00")  # before the voucher
    assert [(p.order_id, p.state) for p in await placement_rows(runtime, shop_id)] == [
        (again.order_id, "placed")
    ]
    assert len(await events(runtime, OrderPlaced)) == 1

    other_cart = await cart_for(runtime, shop_id, ada.customer_id)
    reused = await refused(
        runtime, place(shop_id, other_cart.cart_id, customer_id=ada.customer_id, key="checkout-1")
    )
    twice = await refused(runtime, place(shop_id, cart.cart_id, customer_id=ada.customer_id))

    assert (reused.code, reused.status, list(fields_of(reused))) == (
        "idempotency_key_reused",
        422,
        ["idempotency_key"],
    )
    assert (twice.code, twice.status) == ("cart_ordered", 409)
    assert len(await order_rows(runtime, shop_id)) == 1

    # Two carts racing with one key: the unique key decides, the loser is told so.
    racers = [await cart_for(runtime, shop_id, ada.customer_id) for _ in range(2)]
    raced = await asyncio.gather(
        *(
            answer(runtime, place(shop_id, c.cart_id, customer_id=ada.customer_id, key="race"))
            for c in racers
        )
    )
    assert sorted(reply["ok"] for reply in raced) == [False, True]
    (lost,) = [reply["error"] for reply in raced if not reply["ok"]]
    assert (lost["code"], lost["status"]) == ("idempotency_key_reused", 422)
    assert [r.order_number for r in await order_rows(runtime, shop_id)] == [1, 2]


async def test_placement_refusals_name_the_field_and_keep_nothing(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    ada = await add_customer(runtime, shop_id)
    homeless = await add_customer(runtime, shop_id, customer_number=8, address=None)
    ada_cart = await cart_for(runtime, shop_id, ada.customer_id)
    visitor_cart = await cart_for(runtime, shop_id)
    pricer.vouchers["SPRING"] = FakeVoucher()
    voucher_cart = await cart_for(runtime, shop_id, ada.customer_id, voucher="SPRING")
    pricer.vouchers["SPRING"] = FakeVoucher(refusal="expired")
    homeless_cart = await cart_for(runtime, shop_id, homeless.customer_id, quantity=100)
    empty = await ok(runtime, CreateCart(shop_id=shop_id), Cart)
    await ok(
        runtime,
        ConfigurePayments(
            shop_id=shop_id, payment_methods=["card", "card", "invoice"], provider_pay_method="sepa"
        ),
        PaymentSettings,
    )

    both = await refused(
        runtime,
        place(shop_id, ada_cart.cart_id, customer_id=ada.customer_id, guest=GUEST),
    )
    neither = await refused(runtime, place(shop_id, ada_cart.cart_id))
    no_address = await refused(runtime, place(shop_id, visitor_cart.cart_id, guest=GUEST))
    not_theirs = await refused(
        runtime, place(shop_id, ada_cart.cart_id, customer_id=homeless.customer_id)
    )
    not_a_guests = await refused(
        runtime, place(shop_id, ada_cart.cart_id, guest=GUEST, billing_address=BILLING)
    )
    newcomer = uuid4()  # registered a moment ago: billing's copy has not caught up
    unknown_customer = await refused(
        runtime,
        place(
            shop_id,
            (await cart_for(runtime, shop_id, newcomer)).cart_id,
            customer_id=newcomer,
        ),
    )
    visitors_cart = await refused(
        runtime, place(shop_id, visitor_cart.cart_id, customer_id=ada.customer_id)
    )
    nothing_on_file = await refused(
        runtime, place(shop_id, homeless_cart.cart_id, customer_id=homeless.customer_id)
    )
    no_lines = await refused(
        runtime, place(shop_id, empty.cart_id, guest=GUEST, billing_address=BILLING)
    )
    not_offered = await refused(
        runtime, place(shop_id, ada_cart.cart_id, customer_id=ada.customer_id, method="paypal")
    )
    expired = await refused(
        runtime, place(shop_id, voucher_cart.cart_id, customer_id=ada.customer_id)
    )
    unknown_shop = await refused(
        runtime, place(uuid4(), visitor_cart.cart_id, guest=GUEST, billing_address=BILLING)
    )

    assert (both.status, list(fields_of(both))) == (422, ["guest"])
    assert (neither.status, list(fields_of(neither))) == (422, ["customer_id", "guest"])
    assert (no_address.status, list(fields_of(no_address))) == (422, ["billing_address"])
    assert (not_theirs.code, not_theirs.status) == ("cart_not_found", 404)
    assert (not_a_guests.code, not_a_guests.status) == ("cart_not_found", 404)
    assert (visitors_cart.code, visitors_cart.status) == ("cart_not_found", 404)
    assert (unknown_customer.code, unknown_customer.status, unknown_customer.retry_after) == (
        "customer_not_ready",
        503,
        1,
    )
    assert (nothing_on_file.status, list(fields_of(nothing_on_file))) == (422, ["billing_address"])
    assert (no_lines.status, list(fields_of(no_lines))) == (422, ["cart_id"])
    assert (not_offered.status, list(fields_of(not_offered))) == (422, ["payment_method"])
    assert "card, invoice" in fields_of(not_offered)["payment_method"]
    assert (expired.code, expired.status, list(fields_of(expired))) == (
        "voucher_expired",
        422,
        ["voucher_code"],
    )
    assert (unknown_shop.code, unknown_shop.status) == ("shop_not_ready", 503)
    assert await order_rows(runtime, shop_id) == []
    assert await placement_rows(runtime, shop_id) == []
    assert (await cart_row(runtime, ada_cart.cart_id)).status == "open"
