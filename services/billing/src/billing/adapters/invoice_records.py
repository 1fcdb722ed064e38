"""Invoices and credit notes in the database; every query names the shop.

The ``document`` column holds the Invoice as issued and is never written again: what moves
later (status, paid_on, and customer_id when a customer is pseudonymised) lives in columns,
and a reader takes those from the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Integer, cast, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoices, shops
from contracts.billing import Invoice, InvoiceStatus, InvoiceSummary

OPEN_STATUSES: tuple[InvoiceStatus, ...] = ("unpaid", "overdue")


@dataclass(frozen=True)
class ShopClock:
    """What documents of a shop are dated and priced in."""

    currency: str
    timezone: str


async def shop_clock(session: AsyncSession, shop_id: UUID) -> ShopClock | None:
    """None until the shop's ShopOpened arrived here."""
    row = (
        await session.execute(
            select(shops.c.currency, shops.c.timezone).where(shops.c.shop_id == shop_id)
        )
    ).first()
    return None if row is None else ShopClock(row.currency, row.timezone)


def invoice_from_row(row: Any) -> Invoice:
    """The document as issued, with what may have moved since taken from the row."""
    issued = Invoice.model_validate(row.document)
    return issued.model_copy(
        update={"customer_id": row.customer_id, "status": row.status, "paid_on": row.paid_on}
    )


async def insert_invoice(
    session: AsyncSession, shop_id: UUID, invoice: Invoice, *, credited_invoice_id: UUID | None
) -> None:
    await session.execute(
        insert(invoices).values(
            invoice_id=invoice.invoice_id,
            shop_id=shop_id,
            invoice_number=invoice.invoice_number,
            kind=invoice.kind,
            credited_invoice_id=credited_invoice_id,
            order_id=invoice.order_id,
            customer_id=invoice.customer_id,
            document=invoice.model_dump(mode="json"),
            net_total=invoice.net_total,
            gross_total=invoice.gross_total,
            issued_at=invoice.issued_at,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            status=invoice.status,
            paid_on=invoice.paid_on,
        )
    )


async def load_invoice(
    session: AsyncSession,
    shop_id: UUID,
    invoice_id: UUID,
    *,
    customer_id: UUID | None = None,
    lock: bool = False,
) -> Any:
    """The row, or None (another shop's, or with ``customer_id`` another customer's)."""
    statement = select(invoices).where(
        invoices.c.shop_id == shop_id, invoices.c.invoice_id == invoice_id
    )
    if customer_id is not None:
        statement = statement.where(invoices.c.customer_id == customer_id)
    if lock:
        statement = statement.with_for_update()
    return (await session.execute(statement)).first()


async def issue_date_of(session: AsyncSession, shop_id: UUID, number: str) -> date | None:
    """The issue date of the shop's invoice ``number`` (None if there is none)."""
    found: date | None = await session.scalar(
        select(invoices.c.issue_date).where(
            invoices.c.shop_id == shop_id, invoices.c.invoice_number == number
        )
    )
    return found


async def set_status(
    session: AsyncSession,
    shop_id: UUID,
    invoice_id: UUID,
    status: InvoiceStatus,
    *,
    paid_on: date | None = None,
) -> None:
    values: dict[str, Any] = {"status": status}
    if paid_on is not None:
        values["paid_on"] = paid_on
    await session.execute(
        update(invoices)
        .where(invoices.c.shop_id == shop_id, invoices.c.invoice_id == invoice_id)
        .values(**values)
    )


SUMMARY_COLUMNS = (
    invoices.c.invoice_id,
    invoices.c.invoice_number,
    invoices.c.kind,
    invoices.c.order_id,
    cast(invoices.c.document["order_number"].astext, Integer).label("order_number"),
    invoices.c.customer_id,
    invoices.c.document["buyer"]["name"].astext.label("buyer_name"),
    invoices.c.document["currency"].astext.label("currency"),
    invoices.c.issue_date,
    invoices.c.due_date,
    invoices.c.gross_total,
    invoices.c.status,
    invoices.c.paid_on,
)


async def list_invoices(
    session: AsyncSession,
    shop_id: UUID,
    *,
    customer_id: UUID | None,
    status: InvoiceStatus | None,
    offset: int,
    limit: int,
) -> tuple[list[InvoiceSummary], int]:
    """A page newest first (ix_invoices_shop_issued), and how many match in all."""
    conditions = [invoices.c.shop_id == shop_id]
    if customer_id is not None:
        conditions.append(invoices.c.customer_id == customer_id)
    if status is not None:
        conditions.append(invoices.c.status == status)
    rows = await session.execute(
        select(*SUMMARY_COLUMNS)
        .where(*conditions)
        .order_by(invoices.c.issued_at.desc(), invoices.c.invoice_number.desc())
        .offset(offset)
        .limit(limit)
    )
    items = [InvoiceSummary.model_validate(row, from_attributes=True) for row in rows]
    total = await session.scalar(select(func.count()).select_from(invoices).where(*conditions))
    return items, int(total or 0)
