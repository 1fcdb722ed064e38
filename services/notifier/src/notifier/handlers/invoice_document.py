"""The stored PDF of an invoice or credit note, for the partner or its own customer (B4, A8)."""

from __future__ import annotations

import base64

from contracts.notifier import GetInvoiceDocument, InvoiceDocument
from notifier.adapters.invoice_documents import find_document, shop_known
from notifier.handlers.refusals import invoice_document_pending, invoice_not_found, shop_not_ready
from service_runtime.database import UnitOfWork


async def get_invoice_document(command: GetInvoiceDocument, uow: UnitOfWork) -> InvoiceDocument:
    """Read-only. With ``customer_id`` only that customer's document; another shop's or
    customer's answers invoice_not_found. A document not stored yet is pending: billing
    issued the invoice (the caller checked it there) and its event is on its way; so is one
    stored but not rendered yet (the rendering worker is at it)."""
    stored = await find_document(uow.session, command.invoice_id)
    if stored is None:
        if not await shop_known(uow.session, command.shop_id):
            raise shop_not_ready()
        raise invoice_document_pending()
    if stored.shop_id != command.shop_id:
        raise invoice_not_found()
    if command.customer_id is not None and stored.customer_id != command.customer_id:
        raise invoice_not_found()
    if stored.pdf is None:
        raise invoice_document_pending()
    return InvoiceDocument(
        invoice_id=stored.invoice_id,
        invoice_number=stored.invoice_number,
        filename=stored.filename,
        content_base64=base64.b64encode(stored.pdf).decode("ascii"),
    )
