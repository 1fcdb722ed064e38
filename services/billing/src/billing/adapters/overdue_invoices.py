"""The SQL of the overdue sweep: unpaid invoices past their due date become overdue, once
each, across replicas.

This query spans every shop on purpose (the worker serves them all); each invoice is judged
by its own shop's calendar: overdue from the day after the due date there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Date, DateTime, cast, func, literal, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoices, shops

UNPAID = text("invoices.status = 'unpaid'")
"""The partial index's predicate as a constant, so even a generic (prepared) plan can use it."""

EARLIEST_ZONE = timedelta(hours=14)
"""No time zone is further ahead of UTC (Pacific/Kiritimati): a bound the index can use."""


@dataclass(frozen=True)
class OverdueInvoice:
    shop_id: UUID
    invoice_id: UUID
    invoice_number: str
    customer_id: UUID | None
    gross_total: Decimal
    due_date: date


async def mark_overdue(session: AsyncSession, *, now: datetime, limit: int) -> list[OverdueInvoice]:
    """Mark up to ``limit`` invoices; SKIP LOCKED and the status check make each mark once."""
    at = literal(now, DateTime(timezone=True))
    today_there = cast(func.timezone(shops.c.timezone, at), Date)
    due = (
        select(invoices.c.invoice_id)
        .join(shops, shops.c.shop_id == invoices.c.shop_id)
        .where(
            UNPAID,
            invoices.c.due_date < (now + EARLIEST_ZONE).date(),
            invoices.c.due_date < today_there,
        )
        .order_by(invoices.c.due_date)
        .limit(limit)
        .with_for_update(of=invoices, skip_locked=True)
    )
    rows = await session.execute(
        update(invoices)
        .where(invoices.c.invoice_id.in_(due.scalar_subquery()), invoices.c.status == "unpaid")
        .values(status="overdue")
        .returning(
            invoices.c.shop_id,
            invoices.c.invoice_id,
            invoices.c.invoice_number,
            invoices.c.customer_id,
            invoices.c.gross_total,
            invoices.c.due_date,
        )
    )
    return [
        OverdueInvoice(
            shop_id=row.shop_id,
            invoice_id=row.invoice_id,
            invoice_number=row.invoice_number,
            customer_id=row.customer_id,
            gross_total=row.gross_total,
            due_date=row.due_date,
        )
        for row in rows
    ]
