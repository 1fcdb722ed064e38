"""The cart price by the documented stacking order (V7); docs/pricing.md explains it for partners.

Every amount is rounded to the cent half-up (``q``). Per product line, in this order:

1. ``list_net = q(unit_net * quantity)``.
2. Group step (a group with a non-zero percent): ``q(list_net * percent / 100)``, signed
   (negative = discount, positive = surcharge).
3. Customer discount (when the customer has one): ``-q(after_group * discount / 100)``.
4. The voucher's subtotal is the sum of the lines after steps 2 and 3; the minimum order value
   is checked against it.
5. Voucher: ``q(subtotal * value / 100)`` (percent) or ``min(value, subtotal)`` (fixed), shared
   across the lines in proportion to their amount after step 3 (largest remainder in cents,
   ties to the earlier line), so no line goes below zero.
6. ``product_net`` = after step 3 minus the line's voucher share.
7. The production-time surcharge ``q(surcharge_unit_net * quantity)`` is added, never discounted.
8. VAT per line on ``net = product_net + surcharge_net`` (none when tax-exempt).
9. Shipping is never discounted; its VAT is computed on its own net.
10. Totals are sums of the printed lines, so they always add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from contracts.vouchers.shapes import (
    PriceAdjustment,
    PricedCart,
    PricedLine,
    PricedShipping,
    PriceLineInput,
    ShippingInput,
    VatAmount,
    VoucherApplication,
    VoucherKind,
    VoucherRefusalReason,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
VAT_EXEMPTION_REASON = (
    "VAT exemption: the customer is exempt from VAT (reverse charge or exempt body)."
)


@dataclass(frozen=True)
class GroupRate:
    """The customer's group step: negative percent lowers product prices, positive raises them."""

    name: str
    percent: Decimal

    def __post_init__(self) -> None:
        if not -HUNDRED <= self.percent <= HUNDRED:
            raise ValueError(f"group percent must be within -100..100, not {self.percent}")


@dataclass(frozen=True)
class VoucherOffer:
    """A code that passed the voucher rules; only its minimum is left to check here."""

    code: str
    kind: VoucherKind
    value: Decimal
    min_order_value: Decimal

    def __post_init__(self) -> None:
        if self.value <= 0 or (self.kind == "percent" and self.value > HUNDRED):
            raise ValueError(f"voucher value out of range for {self.kind}: {self.value}")
        if self.min_order_value < 0:
            raise ValueError("voucher min_order_value must not be negative")


@dataclass(frozen=True)
class VoucherRefusal:
    """A code that failed the voucher rules before pricing; the cart shows why."""

    code: str
    reason: VoucherRefusalReason
    detail: str


def q(amount: Decimal) -> Decimal:
    """Round to the cent half-up, as invoices print it; a zero is never printed as -0.00."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return ZERO if rounded.is_zero() else rounded


def percent_text(percent: Decimal, *, signed: bool = False) -> str:
    """Percentages read as people write them: 5, 2.5, +10 rather than 5.00 or 1E+1."""
    return format(percent.normalize(), "+f" if signed else "f")


@dataclass
class _Line:
    """One line between steps 3 and 6: what the voucher is shared against."""

    source: PriceLineInput
    list_net: Decimal
    adjustments: list[PriceAdjustment]
    after_discount: Decimal


def price_cart(
    lines: Sequence[PriceLineInput],
    *,
    group: GroupRate | None,
    customer_discount: Decimal | None,
    voucher: VoucherOffer | VoucherRefusal | None,
    shipping: ShippingInput | None,
    tax_exempt: bool,
    currency: str = "EUR",
) -> PricedCart:
    """Price a cart by the stacking order above; pure, so the cart, checkout and invoice agree."""
    if customer_discount is not None and not 1 <= customer_discount <= HUNDRED:
        raise ValueError(f"customer discount must be within 1..100, not {customer_discount}")
    steps = [_discounted_line(line, group, customer_discount) for line in lines]
    subtotal = sum((s.after_discount for s in steps), ZERO)
    application, shares = _apply_voucher(voucher, steps, subtotal, currency)
    priced = [_priced_line(s, share, tax_exempt) for s, share in zip(steps, shares, strict=True)]
    priced_shipping = _priced_shipping(shipping, tax_exempt)

    net_total = sum((p.net for p in priced), ZERO)
    vat_total = sum((p.vat for p in priced), ZERO)
    if priced_shipping is not None:
        net_total += priced_shipping.net
        vat_total += priced_shipping.vat
    return PricedCart(
        lines=priced,
        product_subtotal=sum((p.product_net for p in priced), ZERO),
        surcharge_total=sum((p.surcharge_net for p in priced), ZERO),
        voucher=application,
        shipping=priced_shipping,
        vat=_vat_by_rate(priced, priced_shipping),
        net_total=net_total,
        vat_total=vat_total,
        gross_total=net_total + vat_total,
        tax_exempt=tax_exempt,
        vat_exemption_reason=VAT_EXEMPTION_REASON if tax_exempt else None,
    )


def _discounted_line(
    line: PriceLineInput, group: GroupRate | None, customer_discount: Decimal | None
) -> _Line:
    """Steps 1-3: the list price, then the group step, then the customer discount on that."""
    list_net = q(line.unit_net * line.quantity)
    adjustments: list[PriceAdjustment] = []
    amount = list_net
    if group is not None and group.percent != 0:
        step = q(amount * group.percent / HUNDRED)
        adjustments.append(
            PriceAdjustment(
                kind="group",
                name=f"{group.name} {percent_text(group.percent, signed=True)}%",
                percent=group.percent,
                amount=step,
            )
        )
        amount += step
    if customer_discount is not None:
        step = q(-amount * customer_discount / HUNDRED)
        adjustments.append(
            PriceAdjustment(
                kind="customer_discount",
                name=f"Personal discount {percent_text(customer_discount)}%",
                percent=customer_discount,
                amount=step,
            )
        )
        amount += step
    return _Line(line, list_net, adjustments, amount)


def shortfall_detail(minimum: Decimal, subtotal: Decimal, currency: str) -> str:
    """What a customer reads when the products do not reach a code's minimum (cart and checkout)."""
    return (
        f"Add {minimum - subtotal} {currency} of products to use this code "
        f"(minimum {minimum} {currency})."
    )


def _apply_voucher(
    voucher: VoucherOffer | VoucherRefusal | None,
    steps: list[_Line],
    subtotal: Decimal,
    currency: str,
) -> tuple[VoucherApplication | None, list[Decimal]]:
    """Step 5: the voucher's total on the subtotal, shared across the lines."""
    no_shares = [ZERO] * len(steps)
    if voucher is None:
        return None, no_shares
    if isinstance(voucher, VoucherRefusal):
        refused = VoucherApplication(
            code=voucher.code, applied=False, reason=voucher.reason, detail=voucher.detail
        )
        return refused, no_shares
    minimum = q(voucher.min_order_value)
    if subtotal < minimum:
        missing = minimum - subtotal
        short = VoucherApplication(
            code=voucher.code,
            applied=False,
            reason="minimum_not_reached",
            detail=shortfall_detail(minimum, subtotal, currency),
            kind=voucher.kind,
            value=voucher.value,
            missing_amount=missing,
        )
        return short, no_shares
    if voucher.kind == "percent":
        total = q(subtotal * voucher.value / HUNDRED)
        detail = f"{percent_text(voucher.value)}% off the products: {total} {currency}."
    else:
        worth = q(voucher.value)
        total = min(worth, subtotal)
        detail = f"{total} {currency} off the products."
        if total < worth:
            detail += f" The code is worth {worth} {currency}; the rest is not kept."
    shares = allocate(total, [s.after_discount for s in steps])
    for line, share in zip(steps, shares, strict=True):
        if share:
            line.adjustments.append(
                PriceAdjustment(
                    kind="voucher",
                    name=f"Voucher {voucher.code}",
                    percent=voucher.value if voucher.kind == "percent" else None,
                    amount=q(-share),
                )
            )
    applied = VoucherApplication(
        code=voucher.code,
        applied=True,
        detail=detail,
        kind=voucher.kind,
        value=voucher.value,
        amount=q(-total),
    )
    return applied, shares


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Share ``total`` in proportion to ``weights`` by largest remainder in cents, ties to the
    earlier line: the shares sum to ``total`` exactly and, with ``total <= sum(weights)``, none
    exceeds its weight."""
    cents = [int(w / CENT) for w in weights]
    total_cents = int(total / CENT)
    whole = sum(cents)
    if not 0 <= total_cents <= whole or any(c < 0 for c in cents):
        raise ValueError("allocate needs 0 <= total <= sum(weights) and no negative weight")
    if whole == 0:
        return [ZERO] * len(cents)
    floors = [total_cents * c // whole for c in cents]
    remainders = [total_cents * c % whole for c in cents]
    left = total_cents - sum(floors)
    by_remainder = sorted(range(len(cents)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return [Decimal(f) * CENT for f in floors]


def _priced_line(line: _Line, share: Decimal, tax_exempt: bool) -> PricedLine:
    """Steps 6-8: the voucher share off, the undiscounted surcharge on, then VAT."""
    source = line.source
    product_net = line.after_discount - share
    surcharge_net = q(source.surcharge_unit_net * source.quantity)
    net = product_net + surcharge_net
    vat_rate = ZERO if tax_exempt else source.vat_rate
    vat = q(net * vat_rate / HUNDRED)
    return PricedLine(
        line_id=source.line_id,
        sku=source.sku,
        name=source.name,
        quantity=source.quantity,
        unit_net=source.unit_net,
        list_net=line.list_net,
        adjustments=line.adjustments,
        product_net=product_net,
        production_option=source.production_option,
        production_option_name=source.production_option_name,
        surcharge_net=surcharge_net,
        net=net,
        vat_rate=vat_rate,
        vat=vat,
        gross=net + vat,
    )


def _priced_shipping(shipping: ShippingInput | None, tax_exempt: bool) -> PricedShipping | None:
    """Step 9: shipping keeps its price; only VAT is added."""
    if shipping is None:
        return None
    net = q(shipping.net)
    vat_rate = ZERO if tax_exempt else shipping.vat_rate
    vat = q(net * vat_rate / HUNDRED)
    return PricedShipping(
        code=shipping.code,
        name=shipping.name,
        net=net,
        vat_rate=vat_rate,
        vat=vat,
        gross=net + vat,
    )


def _vat_by_rate(lines: list[PricedLine], shipping: PricedShipping | None) -> list[VatAmount]:
    """One entry per printed rate, summing the printed VAT so it matches the lines exactly."""
    sums: dict[Decimal, tuple[Decimal, Decimal]] = {}
    printed = [(p.vat_rate, p.net, p.vat) for p in lines]
    if shipping is not None:
        printed.append((shipping.vat_rate, shipping.net, shipping.vat))
    for rate, net, vat in printed:
        net_sum, vat_sum = sums.get(rate, (ZERO, ZERO))
        sums[rate] = (net_sum + net, vat_sum + vat)
    return [VatAmount(rate=rate, net=n, vat=v) for rate, (n, v) in sorted(sums.items())]
