"""How an invoice PDF is named (B4): the kind and the number, e.g. ``invoice_2026-000123.pdf``."""

from __future__ import annotations

from contracts.billing.invoices import InvoiceKind


def document_filename(kind: InvoiceKind, invoice_number: str) -> str:
    """``invoice_2026-000123.pdf`` or ``credit_note_2026-000124.pdf`` (the number is already safe)."""
    return f"{kind}_{invoice_number}.pdf"
