"""The outstanding list (P7) of a shop in one statement: open invoices and orders on invoice
not invoiced yet, grouped per customer, joined to billing's copy of the customers.

Set-based on purpose: one aggregate per source, not a query per customer. Guests and
pseudonymised customers (customer_id NULL) owe nobody a name and are left out.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.customer_figures import AWAITING_INVOICE, OPEN_INVOICE
from billing.adapters.tables import customers, invoices, orders
from contracts.billing import OutstandingCustomer

ZERO = Decimal("0.00")


async def outstanding_customers(
    session: AsyncSession, shop_id: UUID, *, over_limit_only: bool
) -> list[OutstandingCustomer]:
    """Customers who owe something, largest outstanding first (then by customer number)."""
    open_invoices = (
        select(
            invoices.c.customer_id,
            func.count().label("unpaid_invoices"),
            func.count().filter(invoices.c.status == "overdue").label("overdue_invoices"),
            func.sum(invoices.c.gross_total).label("unpaid_total"),
            literal(ZERO).label("not_invoiced_total"),
        )
        .where(
            invoices.c.shop_id == shop_id,
            OPEN_INVOICE,
            invoices.c.customer_id.is_not(None),
        )
        .group_by(invoices.c.customer_id)
    )
    not_invoiced = (
        select(
            orders.c.customer_id,
            literal(0).label("unpaid_invoices"),
            literal(0).label("overdue_invoices"),
            literal(ZERO).label("unpaid_total"),
            func.sum(orders.c.gross_total).label("not_invoiced_total"),
        )
        .where(
            orders.c.shop_id == shop_id,
            AWAITING_INVOICE,
            orders.c.customer_id.is_not(None),
        )
        .group_by(orders.c.customer_id)
    )
    owed = open_invoices.union_all(not_invoiced).subquery("owed")
    per_customer = (
        select(
            owed.c.customer_id,
            func.sum(owed.c.unpaid_invoices).label("unpaid_invoices"),
            func.sum(owed.c.overdue_invoices).label("overdue_invoices"),
            func.sum(owed.c.unpaid_total).label("unpaid_total"),
            func.sum(owed.c.not_invoiced_total).label("not_invoiced_total"),
        )
        .group_by(owed.c.customer_id)
        .subquery("per_customer")
    )
    outstanding = (per_customer.c.unpaid_total + per_customer.c.not_invoiced_total).label(
        "outstanding"
    )
    statement = (
        select(
            per_customer,
            outstanding,
            customers.c.customer_number,
            customers.c.first_name,
            customers.c.last_name,
            customers.c.company,
            customers.c.credit_limit,
        )
        .join(customers, customers.c.customer_id == per_customer.c.customer_id)
        .where(customers.c.shop_id == shop_id)
        .order_by(outstanding.desc(), customers.c.customer_number)
    )
    if over_limit_only:
        statement = statement.where(
            per_customer.c.unpaid_total + per_customer.c.not_invoiced_total
            > customers.c.credit_limit
        )
    rows = await session.execute(statement)
    return [
        OutstandingCustomer(
            customer_id=row.customer_id,
            customer_number=row.customer_number,
            name=f"{row.first_name} {row.last_name}".strip(),
            company=row.company,
            unpaid_invoices=int(row.unpaid_invoices),
            overdue_invoices=int(row.overdue_invoices),
            unpaid_total=Decimal(row.unpaid_total),
            not_invoiced_total=Decimal(row.not_invoiced_total),
            outstanding=Decimal(row.outstanding),
            credit_limit=Decimal(row.credit_limit),
            over_limit=row.outstanding > row.credit_limit,
        )
        for row in rows
    ]
