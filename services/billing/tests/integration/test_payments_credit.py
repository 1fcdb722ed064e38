"""Paying by invoice (B2, P7): only with the option, only within the credit limit, refused with
both figures; what a checkout may offer agrees; the shop's payment settings."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from contracts.billing import (
    ConfigurePayments,
    GetPaymentSettings,
    ListPaymentOptions,
    Order,
    PaymentOptions,
    PaymentSettings,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import FakePricer, fields_of, ok, open_shop, put_product, refused
from orders_support import (
    BILLING,
    GUEST,
    FakeVouchers,
    add_customer,
    cart_for,
    on_invoice,
    order_rows,
    order_runtime,
    place,
)

pytestmark = pytest.mark.database


@pytest.fixture
async def runtime(database_url: str, pricer: FakePricer) -> AsyncIterator[ServiceRuntime]:
    runtime = order_runtime(database_url, pricer, FakeVouchers())
    yield runtime
    await runtime.engine.dispose()


def invoice_option(options: PaymentOptions) -> tuple[bool, str | None]:
    (option,) = [o for o in options.options if o.method == "invoice"]
    return option.available, option.reason


async def test_invoice_only_within_the_credit_limit_and_the_options_agree(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    bea = await add_customer(runtime, shop_id, b2b=on_invoice("100.00", days=30))
    first = await cart_for(runtime, shop_id, bea.customer_id)  # 54.00 gross
    too_much = await cart_for(runtime, shop_id, bea.customer_id)  # 54.00 gross
    small = await cart_for(runtime, shop_id, bea.customer_id, quantity=500)  # 27.00 gross

    placed = await ok(
        runtime, place(shop_id, first.cart_id, customer_id=bea.customer_id, method="invoice"), Order
    )
    beyond_options = await ok(
        runtime,
        ListPaymentOptions(shop_id=shop_id, customer_id=bea.customer_id, cart_id=too_much.cart_id),
        PaymentOptions,
    )
    beyond = await refused(
        runtime, place(shop_id, too_much.cart_id, customer_id=bea.customer_id, method="invoice")
    )
    within_options = await ok(
        runtime,
        ListPaymentOptions(shop_id=shop_id, customer_id=bea.customer_id, cart_id=small.cart_id),
        PaymentOptions,
    )
    within = await ok(
        runtime, place(shop_id, small.cart_id, customer_id=bea.customer_id, method="invoice"), Order
    )

    assert (placed.payment_status, placed.provider.released_at) == (
        "on_invoice",
        placed.placed_at,
    )
    assert (beyond.code, beyond.status, list(fields_of(beyond))) == (
        "credit_limit_exceeded",
        422,
        ["payment_method"],
    )
    assert "108.00 EUR" in beyond.detail  # outstanding including this order
    assert "100.00 EUR" in beyond.detail  # the limit
    assert invoice_option(beyond_options) == (False, beyond.detail)
    assert (beyond_options.outstanding, beyond_options.credit_limit) == (
        Decimal("54.00"),
        Decimal("100.00"),
    )
    assert [o.method for o in beyond_options.options if o.available] == [
        "card",
        "paypal",
        "bank_transfer",
    ]
    assert invoice_option(within_options) == (True, None)
    assert within.payment_status == "on_invoice"
    assert [(r.payment_terms_days, r.gross_total) for r in await order_rows(runtime, shop_id)] == [
        (30, Decimal("54.00")),
        (30, Decimal("27.00")),
    ]
    after = await ok(
        runtime, ListPaymentOptions(shop_id=shop_id, customer_id=bea.customer_id), PaymentOptions
    )
    assert (after.outstanding, invoice_option(after)[0]) == (Decimal("81.00"), True)


async def test_invoice_needs_the_option_and_an_account(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    cal = await add_customer(runtime, shop_id)  # prepayment only
    cart = await cart_for(runtime, shop_id, cal.customer_id)
    guest_cart = await cart_for(runtime, shop_id)

    not_allowed = await refused(
        runtime, place(shop_id, cart.cart_id, customer_id=cal.customer_id, method="invoice")
    )
    guest = await refused(
        runtime,
        place(
            shop_id,
            guest_cart.cart_id,
            guest=GUEST,
            method="invoice",
            billing_address=BILLING,
        ),
    )
    options = await ok(
        runtime,
        ListPaymentOptions(shop_id=shop_id, customer_id=cal.customer_id, cart_id=cart.cart_id),
        PaymentOptions,
    )
    guest_options = await ok(
        runtime, ListPaymentOptions(shop_id=shop_id, cart_id=guest_cart.cart_id), PaymentOptions
    )
    not_their_cart = await refused(
        runtime, ListPaymentOptions(shop_id=shop_id, customer_id=uuid4(), cart_id=cart.cart_id)
    )

    assert (not_allowed.code, list(fields_of(not_allowed))) == (
        "invoice_not_allowed",
        ["payment_method"],
    )
    assert invoice_option(options) == (False, not_allowed.detail)
    assert (options.outstanding, options.credit_limit) == (Decimal("0.00"), Decimal("0.00"))
    assert (guest.code, guest.status, list(fields_of(guest))) == (
        "invoice_not_allowed",
        422,
        ["payment_method"],
    )
    assert invoice_option(guest_options)[0] is False
    assert (guest_options.outstanding, guest_options.credit_limit) == (None, None)
    assert not_their_cart.code == "cart_not_found"
    assert await order_rows(runtime, shop_id) == []


async def test_the_shop_chooses_its_payment_methods_and_provider_pay_method(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)

    default = await ok(runtime, GetPaymentSettings(shop_id=shop_id), PaymentSettings)
    saved = await ok(
        runtime,
        ConfigurePayments(
            shop_id=shop_id,
            payment_methods=["invoice", "card", "invoice"],
            provider_pay_method="monthly_invoice",
        ),
        PaymentSettings,
    )
    read = await ok(runtime, GetPaymentSettings(shop_id=shop_id), PaymentSettings)
    options = await ok(runtime, ListPaymentOptions(shop_id=shop_id), PaymentOptions)
    unknown = await refused(
        runtime,
        ConfigurePayments(shop_id=uuid4(), payment_methods=["card"], provider_pay_method="x"),
    )

    assert default == PaymentSettings(
        payment_methods=["card", "paypal", "bank_transfer", "invoice"],
        provider_pay_method="direct_debit",
    )
    assert (
        saved
        == read
        == PaymentSettings(
            payment_methods=["invoice", "card"], provider_pay_method="monthly_invoice"
        )
    )
    assert [(o.method, o.available) for o in options.options] == [
        ("invoice", False),
        ("card", True),
    ]
    assert (unknown.code, unknown.status) == ("shop_not_ready", 503)
