"""Render an issued invoice or credit note as a PDF (B4) and mail it to the customer, with a
copy for the partner when 'invoice' copies are on (N4)."""

from __future__ import annotations

import asyncio
from typing import Any

from contracts.billing.events import InvoiceIssued
from notifier.adapters.invoice_documents import document_stored, store_document
from notifier.adapters.invoice_pdf import InvoicePdfRenderer
from notifier.adapters.queued_messages import queue_message, queue_messages
from notifier.adapters.shop_settings import ShopNotKnownYet, partner_audience, shop_brand
from notifier.domain.message_kinds import MessageKind
from service_runtime.database import UnitOfWork

KIND: MessageKind = "invoice"
COPY_KIND: MessageKind = "invoice_copy"
COPIED = "invoice"
"""The partner-copy kind (PartnerCopyKind) that switches the copy on."""


def context_of(event: InvoiceIssued) -> dict[str, Any]:
    """Template variables; an invoice adds its due date and whether it is paid already, a
    credit note the invoice it corrects and why."""
    invoice = event.invoice
    context: dict[str, Any] = {
        "kind": invoice.kind,
        "invoice_number": invoice.invoice_number,
        "order_number": invoice.order_number,
        "issue_date": invoice.issue_date.isoformat(),
        "currency": invoice.currency,
        "gross_total": str(invoice.gross_total),
        "first_name": event.first_name,
    }
    if invoice.kind == "credit_note":
        context["credited_invoice_number"] = invoice.credited_invoice_number
        context["reason"] = invoice.reason
    else:
        context["due_date"] = invoice.due_date.isoformat()
        context["paid"] = invoice.status == "paid"
    return context


def copy_context_of(event: InvoiceIssued) -> dict[str, Any]:
    """The customer's variables plus whose email the partner is reading."""
    buyer = event.invoice.buyer
    return context_of(event) | {"customer_name": buyer.name, "customer_email": buyer.email}


async def render_and_mail_invoice(
    event: InvoiceIssued, uow: UnitOfWork, *, renderer: InvoicePdfRenderer
) -> None:
    """PDF and emails in one transaction: the emails never go without their attachment.

    Rendering costs about 0.1 s of CPU (0.5 s where the HarfBuzz-Subset library is missing and
    fonts are subset in Python), so it runs in a worker thread. An invoice
    already stored (the same invoice under another event id, or handled meanwhile by another
    replica) is not mailed again, and its first PDF stays: an issued document never changes.
    """
    invoice = event.invoice
    session = uow.session
    if await document_stored(session, invoice.invoice_id):
        return
    brand = await shop_brand(session, event.shop_id)
    if brand is None:
        raise ShopNotKnownYet(f"shop {event.shop_id} has not been opened in the notifier yet")
    rendered = await asyncio.to_thread(renderer.render, invoice, brand)
    if not await store_document(session, event.shop_id, invoice, rendered):
        return  # another replica stored it meanwhile, and mailed it
    email = invoice.buyer.email
    if not email:
        return
    await queue_message(
        session,
        event,
        KIND,
        email,
        invoice.language,
        context_of(event),
        invoice_id=invoice.invoice_id,
    )
    audience = await partner_audience(session, event.shop_id)
    if COPIED in audience.kinds:
        await queue_messages(
            session,
            event,
            COPY_KIND,
            audience.addresses,
            audience.language,
            copy_context_of(event),
            invoice_id=invoice.invoice_id,
        )
