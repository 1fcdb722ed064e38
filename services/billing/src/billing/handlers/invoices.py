"""Invoice commands (B4): list, read, mark paid, correct with a credit note."""

from __future__ import annotations

from datetime import UTC, datetime

from billing.adapters.customer_figures import publish_figures
from billing.adapters.invoice_records import (
    OPEN_STATUSES,
    invoice_from_row,
    list_invoices,
    load_invoice,
    set_status,
    shop_clock,
)
from billing.adapters.invoicing import credit_invoice
from billing.domain.invoice_dates import local_date
from billing.handlers.invoice_refusals import (
    already_credited,
    invoice_credited,
    invoice_not_found,
    is_credit_note,
    paid_on_in_future,
)
from billing.handlers.refusals import shop_not_ready
from contracts.billing import (
    GetInvoice,
    Invoice,
    InvoicePage,
    InvoicePaid,
    IssueCreditNote,
    ListInvoices,
    MarkInvoicePaid,
)
from service_runtime.database import UnitOfWork


async def list_shop_invoices(command: ListInvoices, uow: UnitOfWork) -> InvoicePage:
    """Invoices and credit notes, newest first; an unknown shop simply has none."""
    items, total = await list_invoices(
        uow.session,
        command.shop_id,
        customer_id=command.customer_id,
        status=command.status,
        offset=(command.page - 1) * command.size,
        limit=command.size,
    )
    return InvoicePage(items=items, total=total, page=command.page, size=command.size)


async def get_invoice(command: GetInvoice, uow: UnitOfWork) -> Invoice:
    """With ``customer_id`` (the storefront), another customer's invoice is not found."""
    row = await load_invoice(
        uow.session, command.shop_id, command.invoice_id, customer_id=command.customer_id
    )
    if row is None:
        raise invoice_not_found()
    return invoice_from_row(row)


async def mark_invoice_paid(command: MarkInvoicePaid, uow: UnitOfWork) -> Invoice:
    """Unpaid or overdue -> paid on the given day; already paid answers as it is."""
    now = datetime.now(UTC)
    clock = await shop_clock(uow.session, command.shop_id)
    if clock is None:
        raise shop_not_ready()
    today = local_date(now, clock.timezone)
    if command.paid_on > today:
        raise paid_on_in_future(today.isoformat())
    row = await load_invoice(uow.session, command.shop_id, command.invoice_id, lock=True)
    if row is None:
        raise invoice_not_found()
    if row.kind == "credit_note":
        raise is_credit_note(row.invoice_number)
    if row.status == "credited":
        raise invoice_credited(row.invoice_number)
    if row.status not in OPEN_STATUSES:
        return invoice_from_row(row)
    await set_status(uow.session, command.shop_id, row.invoice_id, "paid", paid_on=command.paid_on)
    paid = invoice_from_row(row).model_copy(update={"status": "paid", "paid_on": command.paid_on})
    uow.emit(
        InvoicePaid.caused_by(
            command,
            invoice_id=row.invoice_id,
            invoice_number=row.invoice_number,
            customer_id=row.customer_id,
            gross_total=row.gross_total,
            paid_on=command.paid_on,
        )
    )
    await publish_figures(uow, command, row.customer_id, now)
    return paid


async def issue_credit_note(command: IssueCreditNote, uow: UnitOfWork) -> Invoice:
    """A credit note for all of an issued invoice (unpaid, overdue or paid); once only."""
    clock = await shop_clock(uow.session, command.shop_id)
    if clock is None:
        raise shop_not_ready()
    row = await load_invoice(uow.session, command.shop_id, command.invoice_id, lock=True)
    if row is None:
        raise invoice_not_found()
    if row.kind == "credit_note":
        raise is_credit_note(row.invoice_number)
    if row.status == "credited":
        raise already_credited(row.invoice_number)
    return await credit_invoice(
        uow, command, row, command.reason, datetime.now(UTC), clock.timezone
    )
