"""Keep an issued invoice or credit note for its PDF (B4) and mail it to the customer, with a
copy for the partner when 'invoice' copies are on (N4); the rendering worker makes the PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts.billing.events import InvoiceIssued
from notifier.adapters.invoice_documents import shop_known, store_pending_document
from notifier.adapters.queued_messages import queue_message, queue_messages
from notifier.adapters.shop_settings import ShopNotKnownYet, partner_audience
from notifier.adapters.wake_ups import ring_after_commit
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


def _nobody() -> None:
    """Rung after a commit that stored a document when no rendering worker listens."""


async def store_and_mail_invoice(
    event: InvoiceIssued, uow: UnitOfWork, *, stored: Callable[[], None] = _nobody
) -> None:
    """Store the document to render and queue its emails, in one transaction; no rendering here.

    Rendering costs about 0.1 s of CPU, and every event behind this one in the batch would
    wait for it: the rendering worker does it in the background (``stored`` wakes it after
    the commit), and delivery holds these emails until their PDF exists. An invoice already
    stored (the same invoice under another event id, or handled meanwhile by another replica)
    is not mailed again, and its document stays: an issued document never changes.
    """
    invoice = event.invoice
    session = uow.session
    if not await shop_known(session, event.shop_id):
        raise ShopNotKnownYet(f"shop {event.shop_id} has not been opened in the notifier yet")
    if not await store_pending_document(session, event.shop_id, invoice):
        return  # stored before, and mailed then
    ring_after_commit(session, stored)
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
