"""The printed lines of an invoice, taken from the order's pricing (V7 stacking order).

Each priced line becomes a product line at its list price, one line per adjustment (group,
customer discount, voucher: negative, so shown as discounts), and a production-time
surcharge line; shipping is a line of its own. The lines add up to the pricing's net total
to the cent, so the printed invoice always adds up. Pure functions: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from contracts.billing import InvoiceLine
from contracts.gateway import Language
from contracts.vouchers import PricedCart, PricedLine, VatAmount

ZERO = Decimal("0.00")

SURCHARGE_WORD: dict[Language, str] = {"en": "surcharge", "fr": "supplément", "de": "Zuschlag"}
ADJUSTMENT_WORD: dict[Language, str] = {
    "en": "Price adjustment",
    "fr": "Ajustement de prix",
    "de": "Preisanpassung",
}


def negate(amount: Decimal) -> Decimal:
    """``-amount`` without a negative zero ("-0.00" on a credit note reads like an error)."""
    return ZERO - amount


def fitted_adjustments(
    list_net: Decimal, amounts: Sequence[Decimal], product_net: Decimal
) -> list[Decimal]:
    """The adjustments as printed, so that ``list_net + sum == product_net`` exactly.

    A line's price never goes below zero (product_net is clamped), so discounts that would
    take off more than the line is worth are cut back, the last applied (the voucher) first.
    Whatever still differs (never, for a consistent pricing) goes onto the last adjustment.
    """
    printed = list(amounts)
    excess = product_net - (list_net + sum(printed, ZERO))
    for index in reversed(range(len(printed))):
        if excess <= 0:
            break
        if printed[index] < 0:
            given = min(excess, -printed[index])
            printed[index] += given
            excess -= given
    if excess and printed:
        printed[-1] += excess
    return printed


def _line_lines(line: PricedLine, language: Language) -> list[InvoiceLine]:
    product = InvoiceLine(
        kind="product",
        description=f"{line.name}, {line.production_option_name}",
        sku=line.sku,
        quantity=line.quantity,
        unit_net=line.unit_net,
        net=line.list_net,
        vat_rate=line.vat_rate,
    )
    amounts = fitted_adjustments(
        line.list_net, [a.amount for a in line.adjustments], line.product_net
    )
    printed = [product]
    for adjustment, amount in zip(line.adjustments, amounts, strict=True):
        if amount:
            printed.append(
                InvoiceLine(
                    kind="discount" if amount < 0 else "surcharge",
                    description=f"{adjustment.name} ({line.name})",
                    net=amount,
                    vat_rate=line.vat_rate,
                )
            )
    missing = line.product_net - line.list_net - sum(amounts, ZERO)
    if missing:
        # Only without any adjustment to carry it: a pricing that does not add up by itself.
        printed.append(
            InvoiceLine(
                kind="discount" if missing < 0 else "surcharge",
                description=f"{ADJUSTMENT_WORD[language]} ({line.name})",
                net=missing,
                vat_rate=line.vat_rate,
            )
        )
    if line.surcharge_net > 0:
        printed.append(
            InvoiceLine(
                kind="surcharge",
                description=(
                    f"{line.production_option_name} {SURCHARGE_WORD[language]} ({line.name})"
                ),
                quantity=line.quantity,
                net=line.surcharge_net,
                vat_rate=line.vat_rate,
            )
        )
    return printed


def invoice_lines(pricing: PricedCart, language: Language = "en") -> list[InvoiceLine]:
    """Every printed line of the pricing in order: each product with its adjustments and
    surcharge, then shipping. Descriptions use the names priced in the order's language."""
    printed = [entry for line in pricing.lines for entry in _line_lines(line, language)]
    if pricing.shipping is not None:
        printed.append(
            InvoiceLine(
                kind="shipping",
                description=pricing.shipping.name,
                net=pricing.shipping.net,
                vat_rate=pricing.shipping.vat_rate,
            )
        )
    return printed


def lines_net(lines: Iterable[InvoiceLine]) -> Decimal:
    return sum((line.net for line in lines), ZERO)


def credited_lines(lines: Iterable[InvoiceLine]) -> list[InvoiceLine]:
    """A credit note's lines: the same as the invoice's, every net negated."""
    return [line.model_copy(update={"net": negate(line.net)}) for line in lines]


def credited_vat(vat: Iterable[VatAmount]) -> list[VatAmount]:
    """A credit note's VAT per rate: each net and VAT negated, same rates in the same order."""
    return [
        VatAmount(rate=entry.rate, net=negate(entry.net), vat=negate(entry.vat)) for entry in vat
    ]
