"""Wiring of invoices (B4), outstanding (P7) and revenue (B6): handlers and workers."""

from __future__ import annotations

from billing.config import BillingSettings
from billing.handlers.invoices import (
    get_invoice,
    issue_credit_note,
    list_shop_invoices,
    mark_invoice_paid,
)
from billing.handlers.outstanding import list_outstanding
from billing.handlers.revenue_rows import list_revenue_rows
from billing.overdue_sweeper import OverdueSweeper
from contracts.billing import (
    CustomerBillingChanged,
    GetInvoice,
    InvoiceIssued,
    InvoiceOverdue,
    InvoicePaid,
    IssueCreditNote,
    ListInvoices,
    ListOutstanding,
    ListRevenueRows,
    MarkInvoicePaid,
)
from service_runtime.service import BackgroundFactory, BackgroundWorker, Handlers, ServiceRuntime


def invoice_handlers() -> Handlers:
    """Partner and storefront invoice commands; InvoiceIssued also leaves from shipments."""
    return Handlers(
        commands={
            ListInvoices: list_shop_invoices,
            GetInvoice: get_invoice,
            MarkInvoicePaid: mark_invoice_paid,
            IssueCreditNote: issue_credit_note,
            ListOutstanding: list_outstanding,
            ListRevenueRows: list_revenue_rows,
        },
        emits=(InvoiceIssued, InvoicePaid, InvoiceOverdue, CustomerBillingChanged),
    )


def invoice_workers(settings: BillingSettings) -> list[BackgroundFactory]:
    def overdue_sweeper(runtime: ServiceRuntime) -> BackgroundWorker:
        return OverdueSweeper(
            runtime.unit_of_work,
            interval=settings.overdue_sweep_seconds,
            batch_size=settings.overdue_sweep_batch,
        )

    return [overdue_sweeper]
