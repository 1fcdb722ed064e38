"""Worked examples of the stacking order (V7) with figures computed by hand."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from contracts.vouchers.shapes import PricedCart, PriceLineInput, ShippingInput
from vouchers.domain.pricing import GroupRate, VoucherOffer, VoucherRefusal, price_cart

D = Decimal


def line(
    unit_net: str,
    quantity: int,
    *,
    vat: str = "20.00",
    surcharge: str = "0.0000",
    sku: str = "FLY-A5",
) -> PriceLineInput:
    return PriceLineInput(
        line_id=uuid4(),
        sku=sku,
        name="Flyer A5",
        quantity=quantity,
        unit_net=D(unit_net),
        production_option="express" if D(surcharge) else "standard",
        production_option_name="Express (2 days)" if D(surcharge) else "Standard",
        surcharge_unit_net=D(surcharge),
        vat_rate=D(vat),
    )


def shipping(net: str, vat: str = "20.00") -> ShippingInput:
    return ShippingInput(code="standard", name="Standard parcel", net=D(net), vat_rate=D(vat))


def offer(code: str, kind: str, value: str, minimum: str = "0.00") -> VoucherOffer:
    assert kind in ("percent", "fixed")
    return VoucherOffer(
        code=code,
        kind="percent" if kind == "percent" else "fixed",
        value=D(value),
        min_order_value=D(minimum),
    )


def vat_table(cart: PricedCart) -> list[tuple[Decimal, Decimal, Decimal]]:
    return [(v.rate, v.net, v.vat) for v in cart.vat]


def test_group_then_discount_then_percent_voucher_on_two_vat_rates() -> None:
    flyers = line("0.1234", 250, vat="20.00", surcharge="0.0100")  # 30.85, surcharge 2.50
    books = line("12.99", 3, vat="5.50", sku="BOOK")  # 38.97
    cart = price_cart(
        [flyers, books],
        group=GroupRate("Customer", D("-5")),
        customer_discount=D("10"),
        voucher=offer("SPRING10", "percent", "10"),
        shipping=shipping("4.90"),
        tax_exempt=False,
    )
    a, b = cart.lines
    # group: -1.5425 -> -1.54 and -1.9485 -> -1.95; discount 10 % of 29.31 and 37.02
    assert [(x.kind, x.name, x.amount) for x in a.adjustments] == [
        ("group", "Customer -5%", D("-1.54")),
        ("customer_discount", "Personal discount 10%", D("-2.93")),
        ("voucher", "Voucher SPRING10", D("-2.64")),
    ]
    assert [(x.kind, x.amount) for x in b.adjustments] == [
        ("group", D("-1.95")),
        ("customer_discount", D("-3.70")),
        ("voucher", D("-3.33")),
    ]
    # subtotal 26.38 + 33.32 = 59.70; voucher 5.97 split 263.8 / 333.2 cents: the larger
    # remainder (line a) takes the odd cent
    assert cart.voucher is not None
    assert cart.voucher.applied
    assert cart.voucher.amount == D("-5.97")
    assert (a.list_net, a.product_net, a.surcharge_net, a.net) == (
        D("30.85"),
        D("23.74"),
        D("2.50"),
        D("26.24"),
    )
    assert (a.vat, a.gross) == (D("5.25"), D("31.49"))  # 5.248
    assert (b.list_net, b.product_net, b.net, b.vat, b.gross) == (
        D("38.97"),
        D("29.99"),
        D("29.99"),
        D("1.65"),  # 1.64945
        D("31.64"),
    )
    assert cart.shipping is not None
    assert (cart.shipping.net, cart.shipping.vat, cart.shipping.gross) == (
        D("4.90"),
        D("0.98"),
        D("5.88"),
    )
    assert cart.product_subtotal == D("53.73")
    assert cart.surcharge_total == D("2.50")
    assert (cart.net_total, cart.vat_total, cart.gross_total) == (D("61.13"), D("7.88"), D("69.01"))
    assert vat_table(cart) == [
        (D("5.50"), D("29.99"), D("1.65")),
        (D("20.00"), D("31.14"), D("6.23")),
    ]
    assert cart.vat_exemption_reason is None


def test_a_twenty_line_cart_rounds_each_line_then_sums() -> None:
    # line i: i units at 1.0050 = i + ceil(i/2) cents after half-up rounding
    lines = [line("1.0050", i) for i in range(1, 21)]
    cart = price_cart(
        lines, group=None, customer_discount=None, voucher=None, shipping=None, tax_exempt=False
    )
    assert len(cart.lines) == 20
    assert [p.list_net for p in cart.lines[:4]] == [D("1.01"), D("2.01"), D("3.02"), D("4.02")]
    assert cart.lines[-1].list_net == D("20.10")
    assert all(p.adjustments == [] for p in cart.lines)
    assert cart.product_subtotal == D("211.10")  # 210 + 1.10
    # VAT per line: 20 i cents + round(0.2 * ceil(i/2)) cents, i.e. 42.00 + 0.22
    assert cart.vat_total == D("42.22")
    assert cart.gross_total == D("253.32")
    assert vat_table(cart) == [(D("20.00"), D("211.10"), D("42.22"))]
    assert cart.voucher is None
    assert cart.shipping is None


def test_a_voucher_shared_over_twenty_equal_lines_gives_ties_to_the_earlier_lines() -> None:
    lines = [line("2.50", 1) for _ in range(20)]  # 50.00
    cart = price_cart(
        lines,
        group=None,
        customer_discount=None,
        voucher=offer("THIRTY", "fixed", "0.30"),
        shipping=None,
        tax_exempt=False,
    )
    # 1.5 cents per line: one cent each, the ten spare cents to the first ten lines
    assert [p.product_net for p in cart.lines] == [D("2.48")] * 10 + [D("2.49")] * 10
    assert [p.adjustments[0].amount for p in cart.lines] == [D("-0.02")] * 10 + [D("-0.01")] * 10
    assert cart.product_subtotal == D("49.70")
    # 0.496 and 0.498 both print as 0.50: the VAT is the sum of the printed lines
    assert cart.vat_total == D("10.00")
    assert cart.gross_total == D("59.70")


def test_a_fixed_voucher_worth_more_than_the_products_stops_at_zero() -> None:
    flyers = line("1.50", 10, surcharge="0.50")  # 15.00 + surcharge 5.00
    cards = line("2.50", 2, vat="7.00", sku="CARD")  # 5.00
    cart = price_cart(
        [flyers, cards],
        group=None,
        customer_discount=None,
        voucher=offer("GIFT50", "fixed", "50.00"),
        shipping=shipping("4.90"),
        tax_exempt=False,
    )
    assert cart.voucher is not None
    assert cart.voucher.applied
    assert cart.voucher.amount == D("-20.00")
    assert "worth 50.00 EUR" in cart.voucher.detail
    a, b = cart.lines
    assert [x.amount for x in a.adjustments] == [D("-15.00")]
    assert [x.amount for x in b.adjustments] == [D("-5.00")]
    assert (a.product_net, a.surcharge_net, a.net, a.vat, a.gross) == (
        D("0.00"),
        D("5.00"),
        D("5.00"),
        D("1.00"),
        D("6.00"),
    )
    assert (b.product_net, b.net, b.vat, b.gross) == (D("0.00"), D("0.00"), D("0.00"), D("0.00"))
    assert cart.product_subtotal == D("0.00")
    assert cart.surcharge_total == D("5.00")
    assert cart.shipping is not None
    assert (cart.shipping.net, cart.shipping.vat) == (D("4.90"), D("0.98"))
    assert (cart.net_total, cart.vat_total, cart.gross_total) == (D("9.90"), D("1.98"), D("11.88"))
    assert vat_table(cart) == [
        (D("7.00"), D("0.00"), D("0.00")),
        (D("20.00"), D("9.90"), D("1.98")),
    ]


def test_the_minimum_is_checked_after_the_group_step_and_says_what_is_missing() -> None:
    lines = [line("1.00", 50)]  # 50.00, Visitor -5 % -> 47.50
    visitor = GroupRate("Visitor", D("-5.00"))
    cart = price_cart(
        lines,
        group=visitor,
        customer_discount=None,
        voucher=offer("BIG", "percent", "20", minimum="50.00"),
        shipping=None,
        tax_exempt=False,
    )
    assert cart.voucher is not None
    assert not cart.voucher.applied
    assert cart.voucher.reason == "minimum_not_reached"
    assert cart.voucher.missing_amount == D("2.50")
    assert cart.voucher.amount == D("0.00")
    assert cart.voucher.detail == "Add 2.50 EUR of products to use this code (minimum 50.00 EUR)."
    assert [x.kind for x in cart.lines[0].adjustments] == ["group"]
    assert cart.product_subtotal == D("47.50")

    exactly = price_cart(
        lines,
        group=visitor,
        customer_discount=None,
        voucher=offer("BIG", "percent", "20", minimum="47.50"),
        shipping=None,
        tax_exempt=False,
        currency="CHF",
    )
    assert exactly.voucher is not None
    assert exactly.voucher.applied
    assert exactly.voucher.amount == D("-9.50")
    assert exactly.product_subtotal == D("38.00")


def test_a_tax_exempt_customer_pays_no_vat_on_lines_or_shipping() -> None:
    cart = price_cart(
        [line("0.4500", 100, surcharge="0.05"), line("3.00", 1, vat="5.50")],
        group=None,
        customer_discount=None,
        voucher=None,
        shipping=shipping("6.00"),
        tax_exempt=True,
    )
    assert [(p.net, p.vat_rate, p.vat, p.gross) for p in cart.lines] == [
        (D("50.00"), D("0"), D("0.00"), D("50.00")),
        (D("3.00"), D("0"), D("0.00"), D("3.00")),
    ]
    assert cart.shipping is not None
    assert (cart.shipping.vat_rate, cart.shipping.vat, cart.shipping.gross) == (
        D("0"),
        D("0.00"),
        D("6.00"),
    )
    assert (cart.net_total, cart.vat_total, cart.gross_total) == (D("59.00"), D("0.00"), D("59.00"))
    assert vat_table(cart) == [(D("0"), D("59.00"), D("0.00"))]
    assert cart.tax_exempt
    assert cart.vat_exemption_reason is not None
    assert cart.vat_exemption_reason.startswith("VAT exemption:")


def test_a_group_surcharge_raises_products_but_not_the_production_surcharge() -> None:
    cart = price_cart(
        [line("0.1250", 200, surcharge="0.0300")],  # 25.00 + express 6.00
        group=GroupRate("Resellers", D("10")),
        customer_discount=None,
        voucher=None,
        shipping=None,
        tax_exempt=False,
    )
    (p,) = cart.lines
    assert [(x.kind, x.name, x.percent, x.amount) for x in p.adjustments] == [
        ("group", "Resellers +10%", D("10"), D("2.50"))
    ]
    assert (p.product_net, p.surcharge_net, p.net, p.vat, p.gross) == (
        D("27.50"),
        D("6.00"),
        D("33.50"),
        D("6.70"),
        D("40.20"),
    )
    assert cart.surcharge_total == D("6.00")


def test_a_hundred_percent_discount_makes_products_exactly_zero() -> None:
    cart = price_cart(
        [line("9.99", 3, surcharge="1.00")],  # 29.97, group -1.50 -> 28.47
        group=GroupRate("Customer", D("-5")),
        customer_discount=D("100"),
        voucher=offer("TEN", "percent", "10"),
        shipping=None,
        tax_exempt=False,
    )
    (p,) = cart.lines
    assert [(x.kind, x.amount) for x in p.adjustments] == [
        ("group", D("-1.50")),
        ("customer_discount", D("-28.47")),
    ]
    assert str(p.product_net) == "0.00"
    assert (p.net, p.vat, p.gross) == (D("3.00"), D("0.60"), D("3.60"))
    assert cart.voucher is not None
    assert cart.voucher.applied
    assert str(cart.voucher.amount) == "0.00"


@pytest.mark.parametrize(
    ("group", "expected"),
    [(None, "14.99"), (GroupRate("Customer", D("-5")), "14.24")],
)
def test_fractions_of_a_cent_round_half_up(group: GroupRate | None, expected: str) -> None:
    # 333 x 0.0450 = 14.985: half-up gives 14.99 (banker's rounding would give 14.98);
    # the group step is then 5 % of 14.99 = 0.7495 -> 0.75
    cart = price_cart(
        [line("0.0450", 333)],
        group=group,
        customer_discount=None,
        voucher=None,
        shipping=None,
        tax_exempt=False,
    )
    assert cart.lines[0].list_net == D("14.99")
    assert cart.product_subtotal == D(expected)


def test_small_percentages_are_named_as_people_write_them() -> None:
    cart = price_cart(
        [line("10.00", 1)],
        group=GroupRate("Wholesale", D("-2.50")),
        customer_discount=D("7.50"),
        voucher=None,
        shipping=None,
        tax_exempt=False,
    )
    names = [x.name for x in cart.lines[0].adjustments]
    assert names == ["Wholesale -2.5%", "Personal discount 7.5%"]
    # 10.00 - 0.25 = 9.75; 7.5 % of it is 0.73125 -> 0.73
    assert cart.product_subtotal == D("9.02")


def test_a_zero_group_percent_adds_no_step() -> None:
    cart = price_cart(
        [line("10.00", 1)],
        group=GroupRate("Customer", D("0")),
        customer_discount=None,
        voucher=None,
        shipping=None,
        tax_exempt=False,
    )
    assert cart.lines[0].adjustments == []
    assert cart.product_subtotal == D("10.00")


def test_a_refused_code_is_shown_with_its_reason_and_takes_nothing_off() -> None:
    refusal = VoucherRefusal("OLD", "expired", "The code OLD expired on 2026-03-31.")
    cart = price_cart(
        [line("10.00", 1)],
        group=None,
        customer_discount=None,
        voucher=refusal,
        shipping=None,
        tax_exempt=False,
    )
    assert cart.voucher is not None
    assert (cart.voucher.applied, cart.voucher.reason, cart.voucher.amount) == (
        False,
        "expired",
        D("0.00"),
    )
    assert cart.voucher.detail == "The code OLD expired on 2026-03-31."
    assert cart.lines[0].adjustments == []
    assert cart.product_subtotal == D("10.00")


def test_an_empty_cart_is_all_zeros() -> None:
    cart = price_cart(
        [], group=None, customer_discount=None, voucher=None, shipping=None, tax_exempt=False
    )
    assert cart.lines == []
    assert cart.vat == []
    assert (cart.product_subtotal, cart.net_total, cart.vat_total, cart.gross_total) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("0.00"),
    )


@pytest.mark.parametrize(
    ("minimum", "applied", "reason", "missing"),
    [("0.00", True, None, None), ("25.00", False, "minimum_not_reached", D("25.00"))],
)
def test_a_voucher_on_an_empty_cart(
    minimum: str, applied: bool, reason: str | None, missing: Decimal | None
) -> None:
    cart = price_cart(
        [],
        group=None,
        customer_discount=None,
        voucher=offer("WELCOME", "fixed", "5.00", minimum=minimum),
        shipping=shipping("4.90"),
        tax_exempt=False,
    )
    assert cart.voucher is not None
    assert (cart.voucher.applied, cart.voucher.reason, cart.voucher.missing_amount) == (
        applied,
        reason,
        missing,
    )
    assert cart.voucher.amount == D("0.00")
    assert cart.gross_total == D("5.88")


def test_out_of_range_inputs_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="group percent"):
        GroupRate("Customer", D("-100.01"))
    with pytest.raises(ValueError, match="voucher value"):
        offer("X", "percent", "101")
    with pytest.raises(ValueError, match="customer discount"):
        price_cart(
            [], group=None, customer_discount=D("0"), voucher=None, shipping=None, tax_exempt=False
        )
