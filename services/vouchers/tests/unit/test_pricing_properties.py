"""Properties of the stacking order (V7) over random carts: nothing negative, totals add up,
steps in the documented order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.vouchers.shapes import PricedCart, PriceLineInput, ShippingInput
from vouchers.domain.pricing import GroupRate, VoucherOffer, VoucherRefusal, price_cart

CENT = Decimal("0.01")
RATES = [Decimal(r) for r in ("0", "2.10", "5.50", "7", "10", "19", "20", "21")]
FAST = settings(derandomize=True, max_examples=40, deadline=None, database=None)
"""Deterministic and about 2 s for the whole file: each test draws its own 40 carts."""


def q(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def decimals(low: str, high: str, places: int) -> st.SearchStrategy[Decimal]:
    """Scaled integers: much cheaper to draw than ``st.decimals`` and just as exact."""
    scale = 10**places
    lowest, highest = int(Decimal(low) * scale), int(Decimal(high) * scale)
    return st.integers(lowest, highest).map(lambda n: Decimal(n).scaleb(-places))


QUANTITIES = st.integers(min_value=1, max_value=5000)
UNIT_PRICES = st.one_of(decimals("0", "2", 4), decimals("0", "500", 4))
SURCHARGES = st.one_of(st.just(Decimal("0")), decimals("0", "5", 4))
VAT_RATES = st.sampled_from(RATES)
MINIMUMS = st.one_of(st.just(Decimal("0.00")), decimals("0", "2000", 2))
PERCENTS = decimals("0.01", "100", 2)
AMOUNTS = decimals("0.01", "5000", 2)
GROUP_PERCENTS = st.one_of(st.none(), decimals("-100", "100", 2))
DISCOUNTS = st.one_of(st.none(), decimals("1", "100", 2))
SHIPPINGS = st.one_of(
    st.none(),
    st.builds(
        ShippingInput,
        code=st.just("std"),
        name=st.just("Standard"),
        net=decimals("0", "80", 2),
        vat_rate=VAT_RATES,
    ),
)


@st.composite
def cart_lines(draw: st.DrawFn) -> PriceLineInput:
    return PriceLineInput(
        line_id=uuid4(),
        sku="SKU",
        name="Product",
        quantity=draw(QUANTITIES),
        unit_net=draw(UNIT_PRICES),
        production_option="standard",
        production_option_name="Standard",
        surcharge_unit_net=draw(SURCHARGES),
        vat_rate=draw(VAT_RATES),
    )


LINES = st.lists(cart_lines(), min_size=1, max_size=25)


@st.composite
def vouchers(draw: st.DrawFn) -> VoucherOffer | VoucherRefusal | None:
    choice = draw(st.sampled_from(["none", "percent", "fixed", "refused"]))
    if choice == "percent":
        return VoucherOffer("P", "percent", draw(PERCENTS), draw(MINIMUMS))
    if choice == "fixed":
        return VoucherOffer("F", "fixed", draw(AMOUNTS), draw(MINIMUMS))
    if choice == "refused":
        return VoucherRefusal("R", "used_up", "The code R has already been used.")
    return None


VOUCHERS = vouchers()


@dataclass(frozen=True)
class Case:
    lines: list[PriceLineInput]
    group: GroupRate | None
    discount: Decimal | None
    voucher: VoucherOffer | VoucherRefusal | None
    shipping: ShippingInput | None
    tax_exempt: bool

    def price(self) -> PricedCart:
        return price_cart(
            self.lines,
            group=self.group,
            customer_discount=self.discount,
            voucher=self.voucher,
            shipping=self.shipping,
            tax_exempt=self.tax_exempt,
        )


@st.composite
def cases(draw: st.DrawFn, discount: st.SearchStrategy[Decimal | None] = DISCOUNTS) -> Case:
    group_percent = draw(GROUP_PERCENTS)
    return Case(
        lines=draw(LINES),
        group=None if group_percent is None else GroupRate("Group", group_percent),
        discount=draw(discount),
        voucher=draw(VOUCHERS),
        shipping=draw(SHIPPINGS),
        tax_exempt=draw(st.booleans()),
    )


def after_group_and_discount(case: Case, line: PriceLineInput) -> tuple[Decimal, Decimal]:
    """The documented steps 1-3, recomputed: (after the group step, after the discount)."""
    after_group = q(line.unit_net * line.quantity)
    if case.group is not None:
        after_group += q(after_group * case.group.percent / 100)
    after_discount = after_group
    if case.discount is not None:
        after_discount -= q(after_group * case.discount / 100)
    return after_group, after_discount


@FAST
@given(cases())
def test_nothing_is_negative_and_only_a_group_surcharge_raises_a_price(case: Case) -> None:
    cart = case.price()
    for p in cart.lines:
        assert min(p.list_net, p.product_net, p.surcharge_net, p.net, p.vat, p.gross) >= 0
        for adjustment in p.adjustments:
            if adjustment.kind == "group" and adjustment.amount > 0:
                assert adjustment.percent is not None
                assert adjustment.percent > 0
            else:
                assert adjustment.amount <= 0
        assert p.product_net == p.list_net + sum(a.amount for a in p.adjustments)
    totals = [cart.product_subtotal, cart.surcharge_total, cart.net_total, cart.vat_total]
    assert min([*totals, cart.gross_total]) >= 0
    if cart.voucher is not None:
        assert cart.voucher.amount <= 0


@FAST
@given(cases())
def test_surcharges_and_shipping_are_never_discounted(case: Case) -> None:
    cart = case.price()
    for source, p in zip(case.lines, cart.lines, strict=True):
        assert p.surcharge_net == q(source.surcharge_unit_net * source.quantity)
        assert p.net == p.product_net + p.surcharge_net
    if case.shipping is None:
        assert cart.shipping is None
    else:
        assert cart.shipping is not None
        assert cart.shipping.net == case.shipping.net
        rate = Decimal(0) if case.tax_exempt else case.shipping.vat_rate
        assert cart.shipping.vat == q(case.shipping.net * rate / 100)


@FAST
@given(cases())
def test_totals_are_the_sums_of_the_printed_lines(case: Case) -> None:
    cart = case.price()
    ship_net = cart.shipping.net if cart.shipping else Decimal(0)
    ship_vat = cart.shipping.vat if cart.shipping else Decimal(0)
    ship_gross = cart.shipping.gross if cart.shipping else Decimal(0)
    assert cart.net_total == sum(p.net for p in cart.lines) + ship_net
    assert cart.vat_total == sum(p.vat for p in cart.lines) + ship_vat
    assert cart.gross_total == sum(p.gross for p in cart.lines) + ship_gross
    assert cart.gross_total == cart.net_total + cart.vat_total
    assert cart.product_subtotal == sum(p.product_net for p in cart.lines)
    assert sum(v.vat for v in cart.vat) == cart.vat_total
    assert sum(v.net for v in cart.vat) == cart.net_total
    rates = [v.rate for v in cart.vat]
    assert rates == sorted(set(rates))
    for p in cart.lines:
        assert p.vat == q(p.net * p.vat_rate / 100)
        assert p.vat_rate == (0 if case.tax_exempt else case.lines[cart.lines.index(p)].vat_rate)


@FAST
@given(cases())
def test_the_steps_apply_in_the_documented_order(case: Case) -> None:
    cart = case.price()
    order = {"group": 0, "customer_discount": 1, "voucher": 2}
    subtotal = Decimal(0)
    for source, p in zip(case.lines, cart.lines, strict=True):
        kinds = [order[a.kind] for a in p.adjustments]
        assert kinds == sorted(set(kinds))
        after_group, after_discount = after_group_and_discount(case, source)
        subtotal += after_discount
        by_kind = {a.kind: a.amount for a in p.adjustments}
        if case.discount is not None:
            assert by_kind["customer_discount"] == -q(after_group * case.discount / 100)
        share = -by_kind.get("voucher", Decimal(0))
        assert p.product_net == after_discount - share
        assert 0 <= share <= after_discount

    voucher = case.voucher
    shares = -sum(a.amount for p in cart.lines for a in p.adjustments if a.kind == "voucher")
    if isinstance(voucher, VoucherOffer) and subtotal >= voucher.min_order_value:
        if voucher.kind == "percent":
            expected = q(subtotal * voucher.value / 100)
        else:
            expected = min(voucher.value, subtotal)
        assert cart.voucher is not None
        assert cart.voucher.applied
        assert cart.voucher.amount == -expected
        assert shares == expected
        assert cart.product_subtotal == subtotal - expected
    else:
        assert shares == 0
        assert cart.product_subtotal == subtotal


@FAST
@given(cases())
def test_the_minimum_is_checked_against_the_subtotal_after_group_and_discount(
    case: Case,
) -> None:
    cart = case.price()
    subtotal = sum(after_group_and_discount(case, line)[1] for line in case.lines)
    voucher = case.voucher
    if voucher is None:
        assert cart.voucher is None
    elif isinstance(voucher, VoucherRefusal):
        assert cart.voucher is not None
        assert (cart.voucher.applied, cart.voucher.reason) == (False, voucher.reason)
        assert cart.voucher.amount == 0
    elif subtotal < voucher.min_order_value:
        assert cart.voucher is not None
        assert (cart.voucher.applied, cart.voucher.reason) == (False, "minimum_not_reached")
        assert cart.voucher.missing_amount == voucher.min_order_value - subtotal
    else:
        assert cart.voucher is not None
        assert cart.voucher.applied
        assert cart.voucher.missing_amount is None


@FAST
@given(cases(discount=st.just(Decimal(100))))
def test_a_full_discount_leaves_every_product_at_zero(case: Case) -> None:
    cart = case.price()
    assert all(p.product_net == 0 for p in cart.lines)
    assert cart.product_subtotal == 0
    assert cart.surcharge_total == sum(p.surcharge_net for p in cart.lines)


@FAST
@given(cases(), decimals("0.01", "100000", 2))
def test_a_fixed_voucher_never_takes_the_products_below_zero(case: Case, value: Decimal) -> None:
    fixed = Case(
        case.lines,
        case.group,
        case.discount,
        VoucherOffer("F", "fixed", value, Decimal("0.00")),
        case.shipping,
        case.tax_exempt,
    )
    cart = fixed.price()
    subtotal = sum(after_group_and_discount(fixed, line)[1] for line in fixed.lines)
    assert cart.product_subtotal == max(subtotal - value, Decimal(0))
    assert all(p.product_net >= 0 for p in cart.lines)
