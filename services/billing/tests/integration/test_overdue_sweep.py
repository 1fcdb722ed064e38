"""The overdue sweep against PostgreSQL: each invoice past due in its shop's calendar is
marked once, even with two passes at the same moment, with one InvoiceOverdue each."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from billing.overdue_sweeper import OverdueSweeper, sweep_once
from contracts.billing import CustomerBillingChanged, InvoiceOverdue
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import events, eventually
from invoices_support import invoice_row, issue, seed_customer, seed_order, seed_shop, set_invoice

pytestmark = pytest.mark.database

ISSUED = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


async def test_two_concurrent_passes_mark_each_invoice_past_due_once(
    runtime: ServiceRuntime,
) -> None:
    paris = await seed_shop(runtime, timezone="Europe/Paris")
    new_york = await seed_shop(runtime, timezone="America/New_York")
    customer_id = await seed_customer(runtime, paris)
    due = [
        await issue(runtime, paris, await seed_order(runtime, paris, customer_id), ISSUED)
        for _ in range(25)
    ]
    for invoice in due:
        await set_invoice(runtime, invoice.invoice_id, due_date=date(2026, 3, 31))
    # 1 April 01:30 in Paris, still 31 March in New York: due that day there, not yet overdue.
    now = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    not_yet = await issue(runtime, new_york, await seed_order(runtime, new_york), ISSUED)
    await set_invoice(runtime, not_yet.invoice_id, due_date=date(2026, 3, 31))
    paid = await issue(runtime, paris, await seed_order(runtime, paris), ISSUED)
    await set_invoice(runtime, paid.invoice_id, due_date=date(2026, 3, 1), status="paid")
    figures_before = len(await events(runtime, CustomerBillingChanged))

    counts = await asyncio.gather(
        sweep_once(runtime.unit_of_work, batch_size=10, now=now),
        sweep_once(runtime.unit_of_work, batch_size=10, now=now),
        sweep_once(runtime.unit_of_work, batch_size=10, now=now),
    )
    rest = 0
    while (swept := await sweep_once(runtime.unit_of_work, batch_size=10, now=now)) > 0:
        rest += swept

    assert sum(counts) + rest == len(due)
    overdue = await events(runtime, InvoiceOverdue)
    assert sorted(e.invoice_number for e in overdue) == sorted(i.invoice_number for i in due)
    first = next(e for e in overdue if e.invoice_id == due[0].invoice_id)
    assert (first.shop_id, first.customer_id, first.gross_total, first.due_date) == (
        paris,
        customer_id,
        due[0].gross_total,
        date(2026, 3, 31),
    )
    assert {(await invoice_row(runtime, i.invoice_id)).status for i in due} == {"overdue"}
    assert (await invoice_row(runtime, not_yet.invoice_id)).status == "unpaid"
    assert (await invoice_row(runtime, paid.invoice_id)).status == "paid"
    assert len(await events(runtime, CustomerBillingChanged)) == figures_before

    next_day_there = datetime(2026, 4, 1, 4, 30, tzinfo=UTC)
    assert await sweep_once(runtime.unit_of_work, now=next_day_there) == 1
    assert (await invoice_row(runtime, not_yet.invoice_id)).status == "overdue"


async def test_the_background_worker_sweeps_on_its_own(runtime: ServiceRuntime) -> None:
    shop_id = await seed_shop(runtime)
    invoice = await issue(runtime, shop_id, await seed_order(runtime, shop_id), ISSUED)
    await set_invoice(runtime, invoice.invoice_id, due_date=date(2026, 3, 2))
    sweeper = OverdueSweeper(runtime.unit_of_work, interval=0.05, batch_size=10)

    async def overdue() -> None:
        assert (await invoice_row(runtime, invoice.invoice_id)).status == "overdue"

    await sweeper.start()
    try:
        assert sweeper.running
        await eventually(overdue)
    finally:
        await sweeper.stop()

    assert not sweeper.running
    assert [e.invoice_id for e in await events(runtime, InvoiceOverdue)] == [invoice.invoice_id]
