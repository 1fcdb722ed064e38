"""The background worker that marks unpaid invoices overdue once their due date has passed.

Each pass marks up to ``batch_size`` invoices and writes one ``InvoiceOverdue`` each to the
outbox in the same transaction, so an event leaves exactly when its invoice changed state.
Several replicas may sweep at once: locked invoices are skipped and each is marked once.
A customer's figures do not change (overdue invoices are still unpaid ones).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import structlog

from billing.adapters.overdue_invoices import mark_overdue
from contracts.billing import InvoiceOverdue
from service_runtime.database import UnitOfWork
from service_runtime.pass_loop import PassWorker

log = structlog.get_logger(__name__)


async def sweep_once(
    unit_of_work: Callable[[], UnitOfWork],
    *,
    batch_size: int = 500,
    now: datetime | None = None,
) -> int:
    """One pass in one transaction: how many invoices it marked (and events it emitted)."""
    at = now or datetime.now(UTC)
    async with unit_of_work() as uow:
        overdue = await mark_overdue(uow.session, now=at, limit=batch_size)
        uow.emit(
            *(
                InvoiceOverdue(
                    shop_id=invoice.shop_id,
                    invoice_id=invoice.invoice_id,
                    invoice_number=invoice.invoice_number,
                    customer_id=invoice.customer_id,
                    gross_total=invoice.gross_total,
                    due_date=invoice.due_date,
                )
                for invoice in overdue
            )
        )
        await uow.commit()
    if overdue:
        log.info("invoices_overdue", count=len(overdue))
    return len(overdue)


class OverdueSweeper(PassWorker):
    """Runs ``sweep_once`` every ``interval`` seconds, at once again after a full batch."""

    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], *, interval: float, batch_size: int = 500
    ) -> None:
        super().__init__(name="overdue-sweeper", batch_size=batch_size, poll_interval=interval)
        self.unit_of_work = unit_of_work

    async def run_pass(self) -> int:
        return await sweep_once(self.unit_of_work, batch_size=self.batch_size)
