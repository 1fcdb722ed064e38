"""Commands about invoices (B4), the outstanding list (P7) and the revenue export (B6)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from contracts.billing.commands import BillingCommand
from contracts.billing.invoices import InvoiceStatus


class ListInvoices(BillingCommand):
    """A page of invoices and credit notes, newest first."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.list_invoices.v1"
    type: Literal["ListInvoices"] = "ListInvoices"
    version: Literal[1] = 1

    customer_id: UUID | None = None
    status: InvoiceStatus | None = None
    page: int = Field(default=1, ge=1)
    size: int = Field(default=25, ge=1, le=100)


class GetInvoice(BillingCommand):
    """One invoice; with ``customer_id``, only if it is that customer's (else invoice_not_found)."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.get_invoice.v1"
    type: Literal["GetInvoice"] = "GetInvoice"
    version: Literal[1] = 1

    invoice_id: UUID
    customer_id: UUID | None = None


class MarkInvoicePaid(BillingCommand):
    """The partner records that an invoice was paid, and when."""

    ROUTING_KEY: ClassVar[str] = "billing.mark_invoice_paid.v1"
    type: Literal["MarkInvoicePaid"] = "MarkInvoicePaid"
    version: Literal[1] = 1

    invoice_id: UUID
    paid_on: date


class IssueCreditNote(BillingCommand):
    """Correct an issued invoice: a credit note for all of it, numbered from the same sequence."""

    ROUTING_KEY: ClassVar[str] = "billing.issue_credit_note.v1"
    type: Literal["IssueCreditNote"] = "IssueCreditNote"
    version: Literal[1] = 1

    invoice_id: UUID
    reason: str = Field(min_length=1, max_length=1000)


class ListOutstanding(BillingCommand):
    """P7: customers who owe something, largest outstanding first."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.list_outstanding.v1"
    type: Literal["ListOutstanding"] = "ListOutstanding"
    version: Literal[1] = 1

    over_limit_only: bool = False


class ListRevenueRows(BillingCommand):
    """A slice of a month's revenue export rows (B6), in invoice-number order."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.list_revenue_rows.v1"
    type: Literal["ListRevenueRows"] = "ListRevenueRows"
    version: Literal[1] = 1

    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    after: str | None = Field(default=None, description="Invoice number the last slice ended at.")
    limit: int = Field(default=2000, ge=1, le=5000)


__all__ = [
    "GetInvoice",
    "IssueCreditNote",
    "ListInvoices",
    "ListOutstanding",
    "ListRevenueRows",
    "MarkInvoicePaid",
]
