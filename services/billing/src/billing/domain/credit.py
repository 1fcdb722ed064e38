"""Whether a customer may pay by invoice (B2, P7): the option, and the credit limit.

Outstanding is what the customer owes or will owe: unpaid invoices plus orders on invoice not
invoiced yet. An order on invoice is allowed while outstanding including it stays within the
limit; the refusal names both figures so the customer (and the partner) see why.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

CENT = Decimal("0.01")

InvoiceRefusalCode = Literal["invoice_not_allowed", "credit_limit_exceeded"]


def q(amount: Decimal) -> Decimal:
    """To the cent, half-up, as documents print it."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal, currency: str) -> str:
    return f"{q(amount)} {currency}"


@dataclass(frozen=True)
class CreditPosition:
    """A customer's standing for invoice orders (a guest has none)."""

    pays_by_invoice: bool
    outstanding: Decimal
    credit_limit: Decimal
    currency: str


@dataclass(frozen=True)
class InvoiceRefusal:
    code: InvoiceRefusalCode
    detail: str


def guest_refusal() -> InvoiceRefusal:
    return InvoiceRefusal(
        "invoice_not_allowed",
        "Paying by invoice needs a customer account with the shop's approval; "
        "guests pay in advance.",
    )


def invoice_refusal(position: CreditPosition | None, order_gross: Decimal) -> InvoiceRefusal | None:
    """Why this order may not be paid by invoice, or None when it may (``None``: a guest)."""
    if position is None:
        return guest_refusal()
    if not position.pays_by_invoice:
        return InvoiceRefusal(
            "invoice_not_allowed",
            "This customer account may not pay by invoice; the shop can allow it.",
        )
    total = position.outstanding + order_gross
    if total > position.credit_limit:
        currency = position.currency
        return InvoiceRefusal(
            "credit_limit_exceeded",
            f"Outstanding including this order would be {money_text(total, currency)} "
            f"(unpaid and not yet invoiced {money_text(position.outstanding, currency)}, "
            f"this order {money_text(order_gross, currency)}), above the credit limit of "
            f"{money_text(position.credit_limit, currency)}.",
        )
    return None
