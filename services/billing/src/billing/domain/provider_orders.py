"""The print provider's side of an order (B5): its ids and the wholesale revenue."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from uuid import uuid4

from billing.domain.credit import q


def wholesale_net(lines: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Sum of quantity x wholesale unit cost over the lines, rounded once to the cent
    (unit costs have four decimals: rounding each line would drift from the price list)."""
    return q(sum((quantity * unit_cost for quantity, unit_cost in lines), Decimal(0)))


def new_provider_order_id() -> str:
    """'PO-' and 12 upper-case hex digits: unique enough for a constraint to catch the rest."""
    return f"PO-{uuid4().hex[:12].upper()}"


def new_provider_invoice_id() -> str:
    """The provider's invoice id when the operator reports none."""
    return f"PI-{uuid4().hex[:10].upper()}"
