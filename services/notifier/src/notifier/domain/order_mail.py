"""Which order and invoice emails go to whom (B3, N3, N4): pure rules, tested without a database."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from contracts.billing.orders import OrderStatus
from contracts.vouchers.shapes import PricedLine

CUSTOMER_STATUSES: frozenset[OrderStatus] = frozenset(
    {"data_received", "data_checked", "in_production", "shipped", "cancelled"}
)
"""Status changes the customer is told about. 'data_rejected' is the partner's business alone
(the provider and the partner sort it out), and 'placed' has its own confirmation."""

PARTNER_ONLY_STATUS: OrderStatus = "data_rejected"


def applied_adjustments(line: PricedLine) -> list[tuple[str, Decimal]]:
    """A line's adjustments as far as they applied: the pricing never takes a product below
    zero, so a discount past that point is cut, the last one in the stacking order first."""
    excess = sum((a.amount for a in line.adjustments), Decimal("0")) - (
        line.product_net - line.list_net
    )
    applied: list[tuple[str, Decimal]] = []
    for adjustment in reversed(line.adjustments):
        amount = adjustment.amount
        if excess < 0 and amount < 0:
            cut = max(excess, amount)
            amount -= cut
            excess -= cut
        applied.append((adjustment.name, amount))
    return applied[::-1]


def discount_totals(lines: Iterable[PricedLine]) -> list[tuple[str, Decimal]]:
    """Adjustments summed per name across lines, in first-seen order (e.g. one voucher row);
    with the lines' list prices they add up to the products' net."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        for name, amount in applied_adjustments(line):
            totals[name] = totals.get(name, Decimal("0")) + amount
    return [(name, amount) for name, amount in totals.items() if amount != 0]
