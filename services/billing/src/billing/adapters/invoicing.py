"""Issuing invoices and credit notes (B4): numbering, lines, the InvoiceIssued event."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contracts.base import Message
from contracts.billing import Invoice
from service_runtime.database import UnitOfWork


async def invoice_order(uow: UnitOfWork, cause: Message, order_id: UUID, now: datetime) -> Invoice:
    """Issue the invoice of a shipped order inside the caller's transaction (placeholder)."""
    raise NotImplementedError
