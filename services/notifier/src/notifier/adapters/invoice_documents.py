"""Stores each invoice's PDF once, and finds it again for the email and for downloads."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.billing.invoices import Invoice
from notifier.adapters.invoice_pdf import RenderedDocument
from notifier.adapters.tables import invoice_documents, shop_brands


@dataclass(frozen=True)
class StoredDocument:
    invoice_id: UUID
    shop_id: UUID
    customer_id: UUID | None
    invoice_number: str
    filename: str
    pdf: bytes


async def document_stored(session: AsyncSession, invoice_id: UUID) -> bool:
    """Whether this invoice was rendered already (its event came before, under any id)."""
    return bool(
        await session.scalar(select(exists().where(invoice_documents.c.invoice_id == invoice_id)))
    )


async def store_document(
    session: AsyncSession, shop_id: UUID, invoice: Invoice, rendered: RenderedDocument
) -> bool:
    """Insert the PDF; False when the invoice was stored already, whose first PDF stays
    (an issued document never changes)."""
    stored = await session.scalar(
        insert(invoice_documents)
        .values(
            invoice_id=invoice.invoice_id,
            shop_id=shop_id,
            customer_id=invoice.customer_id,
            invoice_number=invoice.invoice_number,
            kind=invoice.kind,
            filename=rendered.filename,
            pdf=rendered.pdf,
        )
        .on_conflict_do_nothing(index_elements=[invoice_documents.c.invoice_id])
        .returning(invoice_documents.c.invoice_id)
    )
    return stored is not None


async def find_document(session: AsyncSession, invoice_id: UUID) -> StoredDocument | None:
    """The stored PDF of any shop (the caller checks the shop and the customer)."""
    row = (
        await session.execute(
            select(
                invoice_documents.c.invoice_id,
                invoice_documents.c.shop_id,
                invoice_documents.c.customer_id,
                invoice_documents.c.invoice_number,
                invoice_documents.c.filename,
                invoice_documents.c.pdf,
            ).where(invoice_documents.c.invoice_id == invoice_id)
        )
    ).one_or_none()
    if row is None:
        return None
    return StoredDocument(
        row.invoice_id, row.shop_id, row.customer_id, row.invoice_number, row.filename, row.pdf
    )


async def shop_known(session: AsyncSession, shop_id: UUID) -> bool:
    """Whether the shop's ShopOpened has reached the notifier."""
    return bool(await session.scalar(select(exists().where(shop_brands.c.shop_id == shop_id))))
