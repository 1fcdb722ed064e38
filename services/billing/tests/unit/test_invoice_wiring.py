"""Wiring of invoices: the six invoice commands, the events they emit, the overdue sweeper."""

from billing.bootstrap import create_runtime
from billing.config import BillingSettings
from billing.invoice_wiring import invoice_handlers, invoice_workers
from billing.overdue_sweeper import OverdueSweeper
from contracts.billing import (
    RESULTS,
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


def test_invoice_handlers_answer_the_invoice_commands_and_name_their_events() -> None:
    wired = invoice_handlers()

    assert set(wired.commands) == {
        ListInvoices,
        GetInvoice,
        MarkInvoicePaid,
        IssueCreditNote,
        ListOutstanding,
        ListRevenueRows,
    }
    assert set(wired.commands) <= set(RESULTS)
    assert set(wired.emits) == {InvoiceIssued, InvoicePaid, InvoiceOverdue, CustomerBillingChanged}
    assert dict(wired.events) == {}


def test_the_runtime_carries_an_overdue_sweeper_with_its_settings_without_connecting() -> None:
    settings = BillingSettings(overdue_sweep_seconds=42.0, overdue_sweep_batch=7)

    (factory,) = invoice_workers(settings)
    runtime = create_runtime(settings)

    (sweeper,) = [w for w in runtime.background if isinstance(w, OverdueSweeper)]
    assert (sweeper.poll_interval, sweeper.batch_size, sweeper.running) == (42.0, 7, False)
    built = factory(runtime)
    assert isinstance(built, OverdueSweeper)
    assert built.unit_of_work == runtime.unit_of_work
