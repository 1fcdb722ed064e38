"""The monthly revenue export's rows (B6): invoices and credit notes issued in a month,
each with its order's provider side, read slice by slice.

One index range scan (ix_invoices_shop_issue_date_number) in index order, then the order of
each row by its primary key, stopping after ``limit`` rows: a slice costs the same at the
start and the end of a 100,000-invoice month. Index order (issue date, number) is number
order, because numbers follow the calendar (see domain/invoice_dates).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoices, orders
from billing.domain.invoice_lines import negate
from contracts.billing import RevenueRow


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first day of the month and of the next one (issue_date is already shop-local)."""
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, following


def revenue_statement(
    shop_id: UUID, year: int, month: int, *, after: str | None, limit: int
) -> Select[Any]:
    """Up to ``limit`` rows of the month with numbers greater than ``after``, in number order."""
    first, following = month_bounds(year, month)
    conditions = [invoices.c.shop_id == shop_id, invoices.c.issue_date < following]
    if after is None:
        conditions.append(invoices.c.issue_date >= first)
    else:
        # Start the range at the day ``after`` was issued on, not at the month's first day.
        last = invoices.alias("last_read")
        after_date = (
            select(last.c.issue_date)
            .where(last.c.shop_id == shop_id, last.c.invoice_number == after)
            .scalar_subquery()
        )
        conditions += [
            invoices.c.issue_date >= func.greatest(first, func.coalesce(after_date, first)),
            invoices.c.invoice_number > after,
        ]
    return (
        select(
            invoices.c.invoice_number,
            invoices.c.kind,
            invoices.c.net_total,
            orders.c.order_number,
            orders.c.payment_method,
            orders.c.wholesale_net,
            orders.c.provider_order_id,
            orders.c.provider_invoice_id,
            orders.c.provider_invoice_date,
            orders.c.provider_pay_method,
        )
        .join(orders, orders.c.order_id == invoices.c.order_id)
        .where(*conditions)
        .order_by(invoices.c.issue_date, invoices.c.invoice_number)
        .limit(limit)
    )


async def revenue_rows(
    session: AsyncSession, shop_id: UUID, year: int, month: int, *, after: str | None, limit: int
) -> list[RevenueRow]:
    rows = await session.execute(revenue_statement(shop_id, year, month, after=after, limit=limit))
    return [
        RevenueRow(
            provider_invoice_id=row.provider_invoice_id,
            provider_invoice_date=row.provider_invoice_date,
            provider_order_revenue=(
                negate(row.wholesale_net) if row.kind == "credit_note" else row.wholesale_net
            ),
            provider_order_id=row.provider_order_id,
            provider_pay_method=row.provider_pay_method,
            shop_invoice_id=row.invoice_number,
            shop_order_id=row.order_number,
            shop_order_revenue=row.net_total,
            shop_pay_method=row.payment_method,
        )
        for row in rows
    ]
