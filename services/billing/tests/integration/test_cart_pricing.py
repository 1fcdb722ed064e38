"""Carts priced through the pricer: vouchers, reading, quotes, and a pricer that cannot answer."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from contracts.billing import (
    AddCartLine,
    ApplyVoucherCode,
    Cart,
    CreateCart,
    GetCart,
    ItemRequest,
    PriceQuote,
    QuotePrices,
    RemoveCartLine,
    RemoveVoucherCode,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import (
    FakePricer,
    FakeVoucher,
    cart_count,
    cart_row,
    fields_of,
    line_count,
    ok,
    open_shop,
    put_product,
    refused,
)

pytestmark = pytest.mark.database


def item(sku: str = "FLY-A5", quantity: int = 1000, option: str | None = None) -> ItemRequest:
    return ItemRequest(sku=sku, quantity=quantity, production_option=option)


async def test_an_applied_code_is_kept_upper_case_and_removable(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    pricer.vouchers["SPRING-10"] = FakeVoucher(amount_off=Decimal("10.00"))
    cart = await ok(runtime, CreateCart(shop_id=shop_id, items=[item()]), Cart)
    ids = {"shop_id": shop_id, "cart_id": cart.cart_id}

    applied = await ok(runtime, ApplyVoucherCode(**ids, code=" spring-10 "), Cart)
    removed = await ok(runtime, RemoveVoucherCode(**ids), Cart)

    assert pricer.seen[-2].voucher_code == "SPRING-10"
    assert applied.voucher_code == "SPRING-10"
    assert applied.pricing.voucher is not None
    assert (applied.pricing.voucher.applied, applied.pricing.net_total) == (True, Decimal("35.00"))
    assert (await cart_row(runtime, cart.cart_id)).voucher_code is None
    assert (removed.voucher_code, removed.pricing.voucher) == (None, None)


async def test_a_refused_code_forwards_the_reason_and_keeps_nothing(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    pricer.vouchers["OLD"] = FakeVoucher(refusal="expired")
    pricer.vouchers["BIG"] = FakeVoucher(min_order_value=Decimal("100.00"))
    visitor_cart = await ok(runtime, CreateCart(shop_id=shop_id, items=[item()]), Cart)
    ids = {"shop_id": shop_id, "cart_id": visitor_cart.cart_id}
    before = await cart_row(runtime, visitor_cart.cart_id)

    expired = await refused(runtime, ApplyVoucherCode(**ids, customer_id=uuid4(), code="old"))
    unknown = await refused(runtime, ApplyVoucherCode(**ids, code="NOPE"))
    minimum = await refused(runtime, ApplyVoucherCode(**ids, code="BIG"))

    assert (expired.status, expired.code) == (422, "voucher_expired")
    assert fields_of(expired) == {"code": "This code cannot be used: expired."}
    assert unknown.code == "voucher_unknown"
    assert minimum.code == "voucher_minimum_not_reached"
    assert "55.00" in fields_of(minimum)["code"]
    after = await cart_row(runtime, visitor_cart.cart_id)
    assert after == before, "no code, no takeover, no new activity time"


async def test_a_kept_code_that_stops_applying_stays_and_says_why(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id, "FLY-A5")
    await put_product(runtime, shop_id, "POSTER", unit_net=Decimal("20.0000"), min_quantity=1)
    pricer.vouchers["MIN50"] = FakeVoucher(min_order_value=Decimal("50.00"))
    cart = await ok(runtime, CreateCart(shop_id=shop_id, items=[item(), item("POSTER", 1)]), Cart)
    ids = {"shop_id": shop_id, "cart_id": cart.cart_id}
    await ok(runtime, ApplyVoucherCode(**ids, code="MIN50"), Cart)

    smaller = await ok(runtime, RemoveCartLine(**ids, line_id=cart.lines[1].line_id), Cart)

    assert smaller.voucher_code == "MIN50"
    assert smaller.pricing.voucher is not None
    assert (smaller.pricing.voucher.applied, smaller.pricing.voucher.reason) == (
        False,
        "minimum_not_reached",
    )
    assert (await cart_row(runtime, cart.cart_id)).voucher_code == "MIN50"


async def test_pricing_unavailable_answers_503_and_keeps_nothing(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    cart = await ok(runtime, CreateCart(shop_id=shop_id, items=[item()]), Cart)
    before = await cart_row(runtime, cart.cart_id)
    pricer.unavailable = True

    errors = [
        await refused(runtime, CreateCart(shop_id=shop_id, items=[item()])),
        await refused(
            runtime, AddCartLine(shop_id=shop_id, cart_id=cart.cart_id, item=item(option="express"))
        ),
        await refused(runtime, GetCart(shop_id=shop_id, cart_id=cart.cart_id)),
        await refused(runtime, QuotePrices(shop_id=shop_id, items=[item()])),
    ]

    for error in errors:
        assert (error.status, error.code, error.retry_after) == (503, "pricing_unavailable", 2)
        assert error.detail == "Prices cannot be computed right now; try again in a moment."
    assert await cart_count(runtime, shop_id) == 1
    assert await line_count(runtime, cart.cart_id) == 1
    assert await cart_row(runtime, cart.cart_id) == before


async def test_reading_reprices_without_writing(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    cart = await ok(runtime, CreateCart(shop_id=shop_id, items=[item()]), Cart)
    await put_product(runtime, shop_id, unit_net=Decimal("0.0600"))
    before = await cart_row(runtime, cart.cart_id)

    read = await ok(runtime, GetCart(shop_id=shop_id, cart_id=cart.cart_id, language="fr"), Cart)

    assert (cart.pricing.net_total, read.pricing.net_total) == (Decimal("45.00"), Decimal("60.00"))
    assert (read.language, read.lines[0].name) == ("fr", "Flyer A5 (FR)")
    assert pricer.seen[-1].lines[0].unit_net == Decimal("0.0600")
    assert await cart_row(runtime, cart.cart_id) == before


async def test_a_quote_prices_each_item_alone_without_voucher_or_shipping(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime, language="de")
    await put_product(runtime, shop_id)
    customer = uuid4()

    quote = await ok(
        runtime,
        QuotePrices(
            shop_id=shop_id,
            customer_id=customer,
            items=[item(), item(quantity=500, option="express")],
        ),
        PriceQuote,
    )
    same_twice = await ok(runtime, QuotePrices(shop_id=shop_id, items=[item(), item()]), PriceQuote)
    error = await refused(
        runtime,
        QuotePrices(
            shop_id=shop_id, items=[item(), item("nope"), item(quantity=1), item(option="x")]
        ),
    )

    assert quote.currency == "EUR"
    assert [(line.quantity, line.net) for line in quote.pricing.lines] == [
        (1000, Decimal("45.00")),
        (500, Decimal("27.50")),
    ]
    assert [line.production_option_name for line in quote.pricing.lines] == [
        "Standard",
        "Express (DE)",
    ]
    asked = pricer.seen[-2]
    assert (asked.customer_id, asked.voucher_code, asked.shipping) == (customer, None, None)
    assert len(same_twice.pricing.lines) == 2
    assert sorted(fields_of(error)) == [
        "items.1.sku",
        "items.2.quantity",
        "items.3.production_option",
    ]
