"""V7, B1: carts priced for visitors, customers and customers not known here yet, with every
voucher refusal the storefront shows; the hot path stays at two or three indexed queries."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from contracts.vouchers import PriceCart, PricedCart, RedeemVoucher, SetCustomerDiscount
from service_runtime.service import ServiceRuntime
from vouchers.handlers.cart_pricing import price_cart
from vouchers.handlers.customer_discount import set_customer_discount
from vouchers.handlers.redemption import redeem_voucher

sys.path.insert(0, str(Path(__file__).parent))
from vouchers_support import (
    POST,
    Shop,
    StatementLog,
    add_customer,
    add_voucher,
    adjust_group,
    line,
    open_shop,
    run,
)

pytestmark = pytest.mark.database

FLYERS = line("FLY", 1000, "0.0450")  # 45.00 net, VAT 20 %
BROCHURES = line("BRO", 50, "1.2000", vat_rate="5.50")  # 60.00 net, VAT 5.5 %


async def priced_shop(runtime: ServiceRuntime, currency: str = "EUR") -> Shop:
    """Visitors pay 10 % more, customers 5 % less."""
    shop = await open_shop(runtime, currency)
    await adjust_group(runtime, shop.shop_id, shop.visitor, "10")
    await adjust_group(runtime, shop.shop_id, shop.customer, "-5")
    return shop


async def price(
    runtime: ServiceRuntime, shop: Shop, customer_id: UUID | None, **cart: Any
) -> PricedCart:
    cart.setdefault("lines", [FLYERS])
    command = PriceCart(shop_id=shop.shop_id, customer_id=customer_id, **cart)
    return await run(runtime, price_cart, command)


def steps(cart: PricedCart) -> list[list[tuple[str, str, Decimal]]]:
    return [[(a.kind, a.name, a.amount) for a in p.adjustments] for p in cart.lines]


async def test_a_visitor_pays_the_visitor_groups_prices(runtime: ServiceRuntime) -> None:
    shop = await priced_shop(runtime)
    with StatementLog(runtime) as log:
        cart = await price(runtime, shop, None, shipping=POST)
    assert len(log.queries()) == 1
    (flyers,) = cart.lines
    assert steps(cart) == [[("group", "Visitor +10%", Decimal("4.50"))]]
    assert (flyers.list_net, flyers.product_net, flyers.vat, flyers.gross) == (
        Decimal("45.00"),
        Decimal("49.50"),
        Decimal("9.90"),
        Decimal("59.40"),
    )
    assert cart.shipping is not None
    assert (cart.shipping.net, cart.net_total, cart.gross_total) == (
        Decimal("5.90"),
        Decimal("55.40"),
        Decimal("66.48"),
    )
    assert cart.voucher is None


async def test_a_customer_gets_the_group_step_then_the_personal_discount(
    runtime: ServiceRuntime,
) -> None:
    shop = await priced_shop(runtime)
    ada = await add_customer(runtime, shop.shop_id, group_id=shop.customer)
    await run(
        runtime,
        set_customer_discount,
        SetCustomerDiscount(shop_id=shop.shop_id, customer_id=ada, discount_percent=Decimal(10)),
    )
    with StatementLog(runtime) as log:
        cart = await price(runtime, shop, ada)
    assert len(log.queries()) == 1
    assert steps(cart) == [
        [
            ("group", "Customer -5%", Decimal("-2.25")),
            ("customer_discount", "Personal discount 10%", Decimal("-4.28")),
        ]
    ]
    (flyers,) = cart.lines
    assert (flyers.product_net, flyers.vat, flyers.gross) == (
        Decimal("38.47"),
        Decimal("7.69"),
        Decimal("46.16"),
    )


async def test_customers_not_known_yet_without_group_or_tax_exempt(runtime: ServiceRuntime) -> None:
    shop = await priced_shop(runtime)
    with StatementLog(runtime) as log:
        newcomer = await price(runtime, shop, uuid4())
    assert len(log.queries()) == 1, "the customer or else the shop's Customer group, in one read"
    assert steps(newcomer) == [[("group", "Customer -5%", Decimal("-2.25"))]]
    assert newcomer.lines[0].product_net == Decimal("42.75")

    groupless = await add_customer(runtime, shop.shop_id)
    plain = await price(runtime, shop, groupless)
    assert (steps(plain), plain.lines[0].product_net) == ([[]], Decimal("45.00"))

    exempt = await add_customer(runtime, shop.shop_id, group_id=shop.customer, tax_exempt=True)
    cart = await price(runtime, shop, exempt, shipping=POST)
    assert (cart.tax_exempt, cart.vat_total, cart.gross_total) == (
        True,
        Decimal("0.00"),
        Decimal("48.65"),
    )
    assert cart.vat_exemption_reason


async def test_a_shop_whose_groups_are_not_known_yet_prices_without_group_step(
    runtime: ServiceRuntime,
) -> None:
    bare = Shop(uuid4(), uuid4(), uuid4(), uuid4())
    cart = await price(runtime, bare, None)
    assert (steps(cart), cart.lines[0].product_net) == ([[]], Decimal("45.00"))


async def test_a_voucher_applies_on_the_subtotal_after_group_and_discount(
    runtime: ServiceRuntime,
) -> None:
    shop = await priced_shop(runtime)
    ada = await add_customer(runtime, shop.shop_id, group_id=shop.customer)
    await run(
        runtime,
        set_customer_discount,
        SetCustomerDiscount(shop_id=shop.shop_id, customer_id=ada, discount_percent=Decimal(10)),
    )
    await add_voucher(runtime, shop.shop_id, "Spring10", min_order_value=Decimal("50"))
    flyers = line("FLY", 1000, "0.0450", surcharge="0.0150")
    with StatementLog(runtime) as log:
        cart = await price(
            runtime, shop, ada, lines=[flyers, BROCHURES], shipping=POST, voucher_code=" spring10 "
        )
    assert len(log.queries()) == 1, "the customer with group and the code, in one read"
    assert cart.voucher is not None
    assert (cart.voucher.code, cart.voucher.applied, cart.voucher.amount) == (
        "SPRING10",
        True,
        Decimal("-8.98"),
    )
    assert [s[-1] for s in steps(cart)] == [
        ("voucher", "Voucher SPRING10", Decimal("-3.85")),
        ("voucher", "Voucher SPRING10", Decimal("-5.13")),
    ]
    assert cart.lines[0].surcharge_net == Decimal("15.00")
    assert (cart.net_total, cart.vat_total, cart.gross_total) == (
        Decimal("101.69"),
        Decimal("13.64"),
        Decimal("115.33"),
    )


async def test_every_voucher_refusal_reaches_the_cart_with_its_reason(
    runtime: ServiceRuntime,
) -> None:
    shop = await priced_shop(runtime, currency="CHF")
    grace = await add_customer(runtime, shop.shop_id)
    alan = await add_customer(runtime, shop.shop_id)
    now = datetime.now(UTC)
    await add_voucher(
        runtime,
        shop.shop_id,
        "BIG50",
        kind="fixed",
        value=Decimal(50),
        min_order_value=Decimal(500),
    )
    await add_voucher(runtime, shop.shop_id, "LATER", valid_from=now + timedelta(days=3))
    await add_voucher(
        runtime,
        shop.shop_id,
        "GONE",
        valid_from=now - timedelta(days=30),
        valid_until=now - timedelta(days=1),
    )
    await add_voucher(runtime, shop.shop_id, "ONLYGRACE", customer_id=grace)
    await add_voucher(runtime, shop.shop_id, "PAUSED", active=False)
    await add_voucher(runtime, shop.shop_id, "ONCE")
    await run(
        runtime,
        redeem_voucher,
        RedeemVoucher(
            shop_id=shop.shop_id, code="ONCE", order_id=uuid4(), product_subtotal=Decimal(100)
        ),
    )

    async def refused(code: str, customer_id: UUID | None = alan) -> tuple[str | None, str]:
        cart = await price(runtime, shop, customer_id, lines=[BROCHURES], voucher_code=code)
        assert cart.voucher is not None
        assert not cart.voucher.applied
        assert cart.voucher.amount == 0
        plain = await price(runtime, shop, customer_id, lines=[BROCHURES])
        assert cart.product_subtotal == plain.product_subtotal, "a refused code takes nothing off"
        return cart.voucher.reason, cart.voucher.detail

    assert (await refused("nope"))[0] == "unknown"
    assert (await refused("later"))[0] == "not_yet_valid"
    assert (await refused("GONE"))[0] == "expired"
    assert (await refused("ONLYGRACE"))[0] == "not_for_this_customer"
    assert (await refused("ONLYGRACE", None))[0] == "not_for_this_customer"
    assert (await refused("PAUSED"))[0] == "inactive"
    assert (await refused("once"))[0] == "used_up"
    reason, detail = await refused("BIG50")
    assert reason == "minimum_not_reached"
    assert "440.00 CHF" in detail
    minimum = await price(runtime, shop, alan, lines=[BROCHURES], voucher_code="BIG50")
    assert minimum.voucher is not None
    assert minimum.voucher.missing_amount == Decimal("440.00")

    mine = await price(runtime, shop, grace, lines=[BROCHURES], voucher_code="onlygrace")
    assert mine.voucher is not None
    assert (mine.voucher.applied, mine.voucher.amount) == (True, Decimal("-6.00"))
