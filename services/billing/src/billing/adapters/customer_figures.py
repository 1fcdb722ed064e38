"""A customer's order and invoice figures (B7, P7), recomputed and published after a change.

Figures are recomputed from the orders and invoices rather than kept as running totals, so a
redelivered or reordered change can never make them drift. The customer's row is locked
first: two changes of one customer publish in commit order, each with the figures it saw.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import and_, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.invoice_records import OPEN_STATUSES
from billing.adapters.tables import customers, invoices, orders
from contracts.base import Message
from contracts.billing import CustomerBillingChanged, CustomerBillingFigures
from service_runtime.database import UnitOfWork

ZERO = Decimal("0.00")

LIVE_ORDER = orders.c.status != "cancelled"
AWAITING_INVOICE = and_(
    orders.c.payment_method == "invoice", LIVE_ORDER, orders.c.invoice_id.is_(None)
)
"""Orders on invoice that are neither cancelled nor invoiced yet: owed, but not billed."""
OPEN_INVOICE = and_(invoices.c.kind == "invoice", invoices.c.status.in_(OPEN_STATUSES))
"""Invoices still to be paid (credit notes are never owed)."""


async def figures_of(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, credit_limit: Decimal = ZERO
) -> CustomerBillingFigures:
    """One round trip: the customer's orders and open invoices, each aggregated once."""
    order_totals = (
        select(
            func.count().filter(LIVE_ORDER).label("orders_count"),
            func.coalesce(func.sum(orders.c.net_total).filter(LIVE_ORDER), 0).label("revenue"),
            func.coalesce(func.sum(orders.c.gross_total).filter(AWAITING_INVOICE), 0).label(
                "not_invoiced"
            ),
        )
        .where(orders.c.shop_id == shop_id, orders.c.customer_id == customer_id)
        .subquery("order_totals")
    )
    invoice_totals = (
        select(
            func.count().label("unpaid_invoices"),
            func.coalesce(func.sum(invoices.c.gross_total), 0).label("unpaid_total"),
        )
        .where(invoices.c.shop_id == shop_id, invoices.c.customer_id == customer_id, OPEN_INVOICE)
        .subquery("invoice_totals")
    )
    both = order_totals.join(invoice_totals, true())  # one row each: their one-row product
    row = (await session.execute(select(order_totals, invoice_totals).select_from(both))).one()
    unpaid_total = Decimal(row.unpaid_total)
    return CustomerBillingFigures(
        orders_count=row.orders_count,
        order_revenue_net=Decimal(row.revenue),
        unpaid_invoices=row.unpaid_invoices,
        unpaid_total=unpaid_total,
        outstanding=unpaid_total + Decimal(row.not_invoiced),
        credit_limit=credit_limit,
    )


async def publish_figures(
    uow: UnitOfWork, cause: Message, customer_id: UUID | None, now: datetime
) -> CustomerBillingChanged | None:
    """Emit the customer's figures as they are in this transaction; None for guests and
    customers billing does not know (deleted, or not arrived yet)."""
    if customer_id is None:
        return None
    locked = (
        await uow.session.execute(
            update(customers)
            .where(customers.c.shop_id == cause.shop_id, customers.c.customer_id == customer_id)
            .values(figures_revision=customers.c.figures_revision + 1)
            .returning(customers.c.figures_revision, customers.c.credit_limit)
        )
    ).first()
    if locked is None:
        return None
    figures = await figures_of(uow.session, cause.shop_id, customer_id, locked.credit_limit)
    event = CustomerBillingChanged.caused_by(
        cause,
        customer_id=customer_id,
        revision=locked.figures_revision,
        figures=figures,
        changed_at=now,
    )
    uow.emit(event)
    return event
