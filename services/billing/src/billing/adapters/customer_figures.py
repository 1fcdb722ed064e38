"""A customer's order and invoice figures (B7, P7), recomputed and published after a change.

Figures are recomputed from the orders and invoices rather than kept as running totals, so a
redelivered or reordered change can never make them drift. The customer's row is locked
first: two changes of one customer publish in commit order, each with the figures it saw.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import customers, invoices, orders
from contracts.base import Message
from contracts.billing import CustomerBillingChanged, CustomerBillingFigures
from service_runtime.database import UnitOfWork

ZERO = Decimal("0.00")
OPEN_INVOICE = ("unpaid", "overdue")


async def not_invoiced_total(session: AsyncSession, shop_id: UUID, customer_id: UUID) -> Decimal:
    """Gross of the customer's orders on invoice that are neither cancelled nor invoiced yet."""
    total = await session.scalar(
        select(func.coalesce(func.sum(orders.c.gross_total), 0)).where(
            orders.c.shop_id == shop_id,
            orders.c.customer_id == customer_id,
            orders.c.payment_method == "invoice",
            orders.c.status != "cancelled",
            orders.c.invoice_id.is_(None),
        )
    )
    return Decimal(total or 0)


async def figures_of(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, credit_limit: Decimal = ZERO
) -> CustomerBillingFigures:
    live = orders.c.status != "cancelled"
    order_row = (
        await session.execute(
            select(
                func.count().filter(live).label("count"),
                func.coalesce(func.sum(orders.c.net_total).filter(live), 0).label("revenue"),
            ).where(orders.c.shop_id == shop_id, orders.c.customer_id == customer_id)
        )
    ).one()
    open_invoice = and_(invoices.c.kind == "invoice", invoices.c.status.in_(OPEN_INVOICE))
    invoice_row = (
        await session.execute(
            select(
                func.count().filter(open_invoice).label("count"),
                func.coalesce(func.sum(invoices.c.gross_total).filter(open_invoice), 0).label(
                    "total"
                ),
            ).where(invoices.c.shop_id == shop_id, invoices.c.customer_id == customer_id)
        )
    ).one()
    unpaid_total = Decimal(invoice_row.total)
    pending = await not_invoiced_total(session, shop_id, customer_id)
    return CustomerBillingFigures(
        orders_count=order_row.count,
        order_revenue_net=Decimal(order_row.revenue),
        unpaid_invoices=invoice_row.count,
        unpaid_total=unpaid_total,
        outstanding=unpaid_total + pending,
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
