"""B6: a month's revenue export rows, slice by slice (the gateway streams the file)."""

from __future__ import annotations

from billing.adapters.invoice_records import shop_clock
from billing.adapters.revenue_rows import revenue_rows
from billing.handlers.refusals import shop_not_ready
from contracts.billing import ListRevenueRows, RevenuePage
from service_runtime.database import UnitOfWork


async def list_revenue_rows(command: ListRevenueRows, uow: UnitOfWork) -> RevenuePage:
    """A full slice names its last number in ``next_after``; a short one ends the month."""
    clock = await shop_clock(uow.session, command.shop_id)
    if clock is None:
        raise shop_not_ready()
    rows = await revenue_rows(
        uow.session,
        command.shop_id,
        command.year,
        command.month,
        after=command.after,
        limit=command.limit,
    )
    full = len(rows) == command.limit
    return RevenuePage(
        currency=clock.currency,
        rows=rows,
        next_after=rows[-1].shop_invoice_id if full else None,
    )
