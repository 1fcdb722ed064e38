"""Each invoice's document: stored pending when issued, rendered once by the worker, found again
for the email and for downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import exists, func, null, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.billing.invoices import Invoice
from notifier.adapters.invoice_pdf import RenderedDocument
from notifier.adapters.tables import invoice_documents, shop_brands
from notifier.domain.invoice_files import document_filename


@dataclass(frozen=True)
class StoredDocument:
    """A document as downloads see it; ``pdf`` is None while it waits for rendering."""

    invoice_id: UUID
    shop_id: UUID
    customer_id: UUID | None
    invoice_number: str
    filename: str
    pdf: bytes | None


@dataclass(frozen=True)
class PendingDocument:
    """A document to render: the invoice as its event carried it (validated by the worker, so a
    bad one fails its own attempt only)."""

    invoice_id: UUID
    shop_id: UUID
    invoice: dict[str, Any]
    attempts: int


async def store_pending_document(session: AsyncSession, shop_id: UUID, invoice: Invoice) -> bool:
    """Insert the document to render; False when the invoice was stored already (its event came
    before under another id, or another replica handled it), whose document stays."""
    stored = await session.scalar(
        insert(invoice_documents)
        .values(
            invoice_id=invoice.invoice_id,
            shop_id=shop_id,
            customer_id=invoice.customer_id,
            invoice_number=invoice.invoice_number,
            kind=invoice.kind,
            filename=document_filename(invoice.kind, invoice.invoice_number),
            invoice=invoice.model_dump(mode="json"),
        )
        .on_conflict_do_nothing(index_elements=[invoice_documents.c.invoice_id])
        .returning(invoice_documents.c.invoice_id)
    )
    return stored is not None


async def lock_pending(session: AsyncSession, limit: int) -> list[PendingDocument]:
    """Lock up to ``limit`` documents due for rendering, oldest first; rows another replica holds
    are skipped, not waited for."""
    rows = await session.execute(
        select(
            invoice_documents.c.invoice_id,
            invoice_documents.c.shop_id,
            invoice_documents.c.invoice,
            invoice_documents.c.render_attempts,
        )
        .where(
            invoice_documents.c.rendered_at.is_(None),
            invoice_documents.c.next_render_at <= func.now(),
        )
        .order_by(invoice_documents.c.next_render_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [
        PendingDocument(row.invoice_id, row.shop_id, row.invoice, row.render_attempts)
        for row in rows
    ]


async def record_rendered(
    session: AsyncSession, invoice_id: UUID, rendered: RenderedDocument
) -> None:
    """Store the PDF and drop the invoice it was made from (the PDF is the record now)."""
    await session.execute(
        update(invoice_documents)
        .where(invoice_documents.c.invoice_id == invoice_id)
        .values(
            pdf=rendered.pdf,
            rendered_at=func.clock_timestamp(),
            invoice=null(),
            render_error=None,
        )
    )


async def record_render_failure(
    session: AsyncSession, invoice_id: UUID, attempts: int, error: str, retry_in: timedelta
) -> None:
    """Count the failed attempt and put the next one ``retry_in`` from now."""
    await session.execute(
        update(invoice_documents)
        .where(invoice_documents.c.invoice_id == invoice_id)
        .values(
            render_attempts=attempts,
            render_error=error,
            next_render_at=func.clock_timestamp() + retry_in,
        )
    )


async def find_document(session: AsyncSession, invoice_id: UUID) -> StoredDocument | None:
    """The document of any shop, rendered or not (the caller checks the shop and the customer)."""
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
