"""Invoice lines, numbers and dates without a database: the lines always add up to the
pricing's net total (discounts, surcharges, shipping, clamped lines, tax exemption)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.domain.invoice_dates import due_date, issue_date, local_date
from billing.domain.invoice_lines import (
    credited_lines,
    credited_vat,
    fitted_adjustments,
    invoice_lines,
    lines_net,
)
from billing.domain.invoice_numbers import (
    invoice_number,
    parse_invoice_number,
    previous_number,
    sequence_name,
)
from contracts.billing import InvoiceLine
from contracts.vouchers import (
    AdjustmentKind,
    PriceAdjustment,
    PricedCart,
    PricedLine,
    PricedShipping,
    VatAmount,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def q(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def adjustment(kind: AdjustmentKind, name: str, amount: str) -> PriceAdjustment:
    return PriceAdjustment(kind=kind, name=name, amount=Decimal(amount))


def priced_line(
    name: str,
    quantity: int,
    unit_net: str,
    adjustments: list[PriceAdjustment],
    *,
    surcharge: str = "0.00",
    vat_rate: str = "20.00",
    option: str = "Standard",
) -> PricedLine:
    list_net = q(Decimal(unit_net) * quantity)
    product_net = max(ZERO, list_net + sum((a.amount for a in adjustments), ZERO))
    net = product_net + Decimal(surcharge)
    vat = q(net * Decimal(vat_rate) / 100)
    return PricedLine(
        line_id=uuid4(),
        sku=name.upper().replace(" ", "-"),
        name=name,
        quantity=quantity,
        unit_net=Decimal(unit_net),
        list_net=list_net,
        adjustments=adjustments,
        product_net=product_net,
        production_option=option.lower(),
        production_option_name=option,
        surcharge_net=Decimal(surcharge),
        net=net,
        vat_rate=Decimal(vat_rate),
        vat=vat,
        gross=net + vat,
    )


def priced_cart(
    lines: list[PricedLine],
    shipping: PricedShipping | None = None,
    *,
    tax_exempt: bool = False,
) -> PricedCart:
    rates: dict[Decimal, tuple[Decimal, Decimal]] = {}
    entries = [(p.vat_rate, p.net, p.vat) for p in lines]
    if shipping is not None:
        entries.append((shipping.vat_rate, shipping.net, shipping.vat))
    for rate, net, vat in entries:
        before = rates.get(rate, (ZERO, ZERO))
        rates[rate] = (before[0] + net, before[1] + vat)
    net_total = sum((net for _, net, _ in entries), ZERO)
    vat_total = sum((vat for _, _, vat in entries), ZERO)
    return PricedCart(
        lines=lines,
        product_subtotal=sum((p.product_net for p in lines), ZERO),
        surcharge_total=sum((p.surcharge_net for p in lines), ZERO),
        shipping=shipping,
        vat=[VatAmount(rate=r, net=n, vat=v) for r, (n, v) in sorted(rates.items())],
        net_total=net_total,
        vat_total=vat_total,
        gross_total=net_total + vat_total,
        tax_exempt=tax_exempt,
        vat_exemption_reason="Reverse charge (Art. 196 VAT Directive)" if tax_exempt else None,
    )


def shipping(net: str = "4.90", vat_rate: str = "20.00") -> PricedShipping:
    vat = q(Decimal(net) * Decimal(vat_rate) / 100)
    return PricedShipping(
        code="post",
        name="Standard post",
        net=Decimal(net),
        vat_rate=Decimal(vat_rate),
        vat=vat,
        gross=Decimal(net) + vat,
    )


def printed(lines: list[InvoiceLine]) -> list[tuple[str, str, str, str]]:
    return [(p.kind, p.description, str(p.net), str(p.vat_rate)) for p in lines]


# The worked example of services/vouchers/docs/pricing.md.
FLYERS = priced_line(
    "Flyers",
    250,
    "0.1234",
    [
        adjustment("group", "Customer -5%", "-1.54"),
        adjustment("customer_discount", "Personal discount 10%", "-2.93"),
        adjustment("voucher", "Voucher SPRING10", "-2.64"),
    ],
    surcharge="2.50",
    option="Express",
)
BOOKS = priced_line(
    "Books",
    3,
    "12.99",
    [
        adjustment("group", "Customer -5%", "-1.95"),
        adjustment("customer_discount", "Personal discount 10%", "-3.70"),
        adjustment("voucher", "Voucher SPRING10", "-3.33"),
    ],
    vat_rate="5.50",
)


def test_the_worked_example_prints_every_step_as_a_line_and_adds_up() -> None:
    pricing = priced_cart([FLYERS, BOOKS], shipping())

    lines = invoice_lines(pricing)

    assert printed(lines) == [
        ("product", "Flyers, Express", "30.85", "20.00"),
        ("discount", "Customer -5% (Flyers)", "-1.54", "20.00"),
        ("discount", "Personal discount 10% (Flyers)", "-2.93", "20.00"),
        ("discount", "Voucher SPRING10 (Flyers)", "-2.64", "20.00"),
        ("surcharge", "Express surcharge (Flyers)", "2.50", "20.00"),
        ("product", "Books, Standard", "38.97", "5.50"),
        ("discount", "Customer -5% (Books)", "-1.95", "5.50"),
        ("discount", "Personal discount 10% (Books)", "-3.70", "5.50"),
        ("discount", "Voucher SPRING10 (Books)", "-3.33", "5.50"),
        ("shipping", "Standard post", "4.90", "20.00"),
    ]
    assert (lines[0].sku, lines[0].quantity, lines[0].unit_net) == (
        "FLYERS",
        250,
        Decimal("0.1234"),
    )
    assert lines_net(lines) == pricing.net_total == Decimal("61.13")
    assert pricing.gross_total == Decimal("69.01")


def test_a_discount_larger_than_the_line_is_cut_back_to_leave_zero() -> None:
    line = priced_line(
        "Poster",
        1,
        "10.00",
        [
            adjustment("customer_discount", "Personal discount 50%", "-5.00"),
            adjustment("voucher", "Voucher BIG", "-8.00"),
        ],
    )
    pricing = priced_cart([line])

    lines = invoice_lines(pricing)

    assert line.product_net == ZERO
    assert [(p.kind, str(p.net)) for p in lines] == [
        ("product", "10.00"),
        ("discount", "-5.00"),
        ("discount", "-5.00"),
    ]
    assert lines_net(lines) == pricing.net_total == ZERO


def test_a_group_surcharge_prints_as_a_surcharge_and_a_french_invoice_says_supplement() -> None:
    line = priced_line(
        "Affiche",
        2,
        "5.00",
        [adjustment("group", "Revendeurs +10%", "1.00")],
        surcharge="0.60",
        option="Express",
    )
    pricing = priced_cart([line])

    lines = invoice_lines(pricing, "fr")

    assert printed(lines)[1:] == [
        ("surcharge", "Revendeurs +10% (Affiche)", "1.00", "20.00"),
        ("surcharge", "Express supplément (Affiche)", "0.60", "20.00"),
    ]
    assert lines_net(lines) == pricing.net_total == Decimal("11.60")


def test_a_tax_exempt_invoice_prints_zero_percent_on_every_line() -> None:
    pricing = priced_cart(
        [priced_line("Flyers", 100, "0.05", [], vat_rate="0.00")],
        shipping(vat_rate="0.00"),
        tax_exempt=True,
    )

    lines = invoice_lines(pricing)

    assert {line.vat_rate for line in lines} == {Decimal("0.00")}
    assert lines_net(lines) == pricing.net_total == Decimal("9.90")
    assert pricing.vat_total == ZERO


def test_a_pricing_that_does_not_add_up_by_itself_still_prints_lines_that_do() -> None:
    assert fitted_adjustments(Decimal("10.00"), [Decimal("-3.00")], Decimal("6.00")) == [
        Decimal("-4.00")
    ]
    assert fitted_adjustments(Decimal("10.00"), [], Decimal("10.00")) == []


def test_a_credit_note_negates_every_line_and_vat_entry_without_negative_zeros() -> None:
    pricing = priced_cart([FLYERS, priced_line("Free", 1, "0.00", [])], shipping())
    lines = invoice_lines(pricing)

    credit = credited_lines(lines)
    vat = credited_vat(pricing.vat)

    assert [c.net for c in credit] == [-p.net for p in lines]
    assert "-0.00" not in {str(c.net) for c in credit}
    assert lines_net(credit) == -pricing.net_total
    assert [(v.rate, v.net, v.vat) for v in vat] == [(v.rate, -v.net, -v.vat) for v in pricing.vat]


amounts = st.decimals(min_value=Decimal("-60.00"), max_value=Decimal("5.00"), places=2)
rates = st.sampled_from(["0.00", "5.50", "20.00"])


@st.composite
def priced_lines(draw: st.DrawFn) -> PricedLine:
    kinds: list[AdjustmentKind] = ["group", "customer_discount", "voucher"]
    steps = draw(st.lists(amounts, max_size=3))
    return priced_line(
        draw(st.sampled_from(["Flyers", "Books", "Posters"])),
        draw(st.integers(min_value=1, max_value=5000)),
        str(draw(st.decimals(min_value=Decimal("0"), max_value=Decimal("20"), places=4))),
        [adjustment(kind, f"Step {kind}", str(a)) for kind, a in zip(kinds, steps, strict=False)],
        surcharge=str(draw(st.decimals(min_value=Decimal("0"), max_value=Decimal("9"), places=2))),
        vat_rate=draw(rates),
    )


@given(
    lines=st.lists(priced_lines(), min_size=1, max_size=6),
    with_shipping=st.booleans(),
    exempt=st.booleans(),
)
def test_lines_always_add_up_to_the_net_total(
    lines: list[PricedLine], with_shipping: bool, exempt: bool
) -> None:
    pricing = priced_cart(lines, shipping() if with_shipping else None, tax_exempt=exempt)

    printed_lines = invoice_lines(pricing)

    assert lines_net(printed_lines) == pricing.net_total
    assert all(p.net != 0 for p in printed_lines if p.kind == "discount")
    products = [p for p in printed_lines if p.kind == "product"]
    assert [p.net for p in products] == [line.list_net for line in lines]
    assert len([p for p in printed_lines if p.kind == "shipping"]) == int(with_shipping)
    assert lines_net(credited_lines(printed_lines)) == -pricing.net_total


def test_numbers_have_the_year_and_six_digits() -> None:
    assert invoice_number(2026, 1) == "2026-000001"
    assert invoice_number(2026, 999_999) == "2026-999999"
    assert parse_invoice_number("2026-000123") == (2026, 123)
    assert sequence_name(2026) == "invoice-2026"
    assert previous_number("2026-000124") == "2026-000123"
    assert previous_number("2026-000001") is None
    with pytest.raises(ValueError, match="outside"):
        invoice_number(2026, 1_000_000)
    with pytest.raises(ValueError, match="not an invoice number"):
        parse_invoice_number("26-123")


def test_dates_follow_the_shop_calendar_and_never_go_back() -> None:
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)

    assert local_date(late, "Europe/Paris") == date(2027, 1, 1)
    assert local_date(late, "America/New_York") == date(2026, 12, 31)
    assert local_date(late, "No/Such_Zone") == date(2026, 12, 31)
    assert issue_date(date(2026, 3, 1), date(2026, 3, 2)) == date(2026, 3, 2)
    assert issue_date(date(2026, 3, 3), date(2026, 3, 2)) == date(2026, 3, 3)
    assert issue_date(date(2026, 3, 3), None) == date(2026, 3, 3)
    assert due_date(date(2026, 3, 3), 30) == date(2026, 4, 2)
    assert due_date(date(2026, 3, 3), 0) == date(2026, 3, 3)
