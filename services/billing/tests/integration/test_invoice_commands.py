"""Invoice commands through the runtime's dispatcher against PostgreSQL: credit notes from
the same number series, marking paid, reading and listing, and every refusal."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from billing.domain.invoice_dates import local_date
from contracts.billing import (
    CustomerBillingChanged,
    GetInvoice,
    Invoice,
    InvoiceIssued,
    InvoicePage,
    InvoicePaid,
    IssueCreditNote,
    ListInvoices,
    MarkInvoicePaid,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import events, fields_of, ok, refused
from invoices_support import invoice_row, issue, seed_customer, seed_order, seed_shop, set_invoice

pytestmark = pytest.mark.database


async def test_a_credit_note_takes_the_next_number_negates_the_invoice_and_credits_it(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime)
    customer_id = await seed_customer(runtime, shop_id)
    now = datetime.now(UTC)
    year = local_date(now, "Europe/Paris").year
    first = await issue(runtime, shop_id, await seed_order(runtime, shop_id, customer_id), now)
    second = await issue(runtime, shop_id, await seed_order(runtime, shop_id, customer_id), now)

    note = await ok(
        runtime,
        IssueCreditNote(shop_id=shop_id, invoice_id=first.invoice_id, reason="Wrong paper"),
        Invoice,
    )

    assert (first.invoice_number, second.invoice_number, note.invoice_number) == (
        f"{year}-000001",
        f"{year}-000002",
        f"{year}-000003",
    )
    assert (note.kind, note.credited_invoice_number, note.reason, note.status) == (
        "credit_note",
        first.invoice_number,
        "Wrong paper",
        "paid",
    )
    assert (note.order_id, note.customer_id, note.buyer) == (
        first.order_id,
        customer_id,
        first.buyer,
    )
    assert note.due_date == note.issue_date >= first.issue_date
    assert [(line.kind, line.description, line.net) for line in note.lines] == [
        (line.kind, line.description, -line.net) for line in first.lines
    ]
    assert [(v.rate, v.net, v.vat) for v in note.vat] == [
        (v.rate, -v.net, -v.vat) for v in first.vat
    ]
    assert (note.net_total, note.vat_total, note.gross_total) == (
        Decimal("-61.13"),
        Decimal("-7.88"),
        Decimal("-69.01"),
    )
    credited = await ok(runtime, GetInvoice(shop_id=shop_id, invoice_id=first.invoice_id), Invoice)
    assert credited.status == "credited"
    assert credited.model_dump(exclude={"status"}) == first.model_dump(exclude={"status"})
    row = await invoice_row(runtime, note.invoice_id)
    assert (row.kind, row.credited_invoice_id, row.net_total) == (
        "credit_note",
        first.invoice_id,
        Decimal("-61.13"),
    )
    issued = await events(runtime, InvoiceIssued)
    assert [(e.invoice.kind, e.first_name) for e in issued] == [
        ("invoice", "Nina"),
        ("invoice", "Nina"),
        ("credit_note", "Nina"),
    ]
    assert issued[-1].invoice == note
    figures = (await events(runtime, CustomerBillingChanged))[-1].figures
    assert (figures.unpaid_invoices, figures.unpaid_total) == (1, Decimal("69.01"))

    again = await refused(
        runtime, IssueCreditNote(shop_id=shop_id, invoice_id=first.invoice_id, reason="Twice")
    )
    of_note = await refused(
        runtime, IssueCreditNote(shop_id=shop_id, invoice_id=note.invoice_id, reason="Note")
    )
    pay_credited = await refused(
        runtime,
        MarkInvoicePaid(shop_id=shop_id, invoice_id=first.invoice_id, paid_on=now.date()),
    )
    pay_note = await refused(
        runtime, MarkInvoicePaid(shop_id=shop_id, invoice_id=note.invoice_id, paid_on=now.date())
    )
    unknown = await refused(
        runtime, IssueCreditNote(shop_id=shop_id, invoice_id=uuid4(), reason="Unknown")
    )
    elsewhere = await refused(
        runtime,
        IssueCreditNote(shop_id=await seed_shop(runtime), invoice_id=second.invoice_id, reason="x"),
    )
    assert [(e.code, e.status) for e in (again, of_note, pay_credited, pay_note)] == [
        ("already_credited", 409),
        ("invoice_is_credit_note", 409),
        ("invoice_credited", 409),
        ("invoice_is_credit_note", 409),
    ]
    assert first.invoice_number in again.detail
    assert [(e.code, e.status) for e in (unknown, elsewhere)] == [("invoice_not_found", 404)] * 2
    assert len(await events(runtime, InvoiceIssued)) == 3


async def test_marking_paid_records_the_day_once_and_refuses_a_day_to_come(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime)
    customer_id = await seed_customer(runtime, shop_id)
    now = datetime.now(UTC)
    unpaid = await issue(runtime, shop_id, await seed_order(runtime, shop_id, customer_id), now)
    overdue = await issue(runtime, shop_id, await seed_order(runtime, shop_id, customer_id), now)
    await set_invoice(runtime, overdue.invoice_id, status="overdue")
    today = local_date(now, "Europe/Paris")
    yesterday = today - timedelta(days=1)

    paid = await ok(
        runtime,
        MarkInvoicePaid(shop_id=shop_id, invoice_id=unpaid.invoice_id, paid_on=yesterday),
        Invoice,
    )
    again = await ok(
        runtime,
        MarkInvoicePaid(shop_id=shop_id, invoice_id=unpaid.invoice_id, paid_on=today),
        Invoice,
    )
    late = await ok(
        runtime,
        MarkInvoicePaid(shop_id=shop_id, invoice_id=overdue.invoice_id, paid_on=today),
        Invoice,
    )
    future = await refused(
        runtime,
        MarkInvoicePaid(
            shop_id=shop_id, invoice_id=unpaid.invoice_id, paid_on=today + timedelta(days=2)
        ),
    )
    unknown_shop = await refused(
        runtime, MarkInvoicePaid(shop_id=uuid4(), invoice_id=unpaid.invoice_id, paid_on=today)
    )
    unknown = await refused(
        runtime, MarkInvoicePaid(shop_id=shop_id, invoice_id=uuid4(), paid_on=today)
    )

    assert (paid.status, paid.paid_on) == ("paid", yesterday)
    assert again == paid
    assert (late.status, late.paid_on) == ("paid", today)
    assert (future.status, list(fields_of(future))) == (422, ["paid_on"])
    assert (unknown_shop.code, unknown_shop.status) == ("shop_not_ready", 503)
    assert (unknown.code, unknown.status) == ("invoice_not_found", 404)
    row = await invoice_row(runtime, unpaid.invoice_id)
    assert (row.status, row.paid_on) == ("paid", yesterday)
    assert Invoice.model_validate(row.document) == unpaid  # the document stays as issued
    paid_events = await events(runtime, InvoicePaid)
    assert [(e.invoice_number, e.paid_on, e.gross_total, e.customer_id) for e in paid_events] == [
        (unpaid.invoice_number, yesterday, Decimal("69.01"), customer_id),
        (overdue.invoice_number, today, Decimal("69.01"), customer_id),
    ]
    figures = [e.figures for e in await events(runtime, CustomerBillingChanged)]
    assert [f.unpaid_invoices for f in figures] == [1, 2, 1, 0]
    assert figures[-1].outstanding == Decimal("0.00")


async def test_invoices_are_read_and_listed_per_shop_and_customer_newest_first(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime)
    nina = await seed_customer(runtime, shop_id)
    paul = await seed_customer(runtime, shop_id, first_name="Paul", company=None)
    start = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    ninas = [
        await issue(
            runtime,
            shop_id,
            await seed_order(runtime, shop_id, nina),
            start + timedelta(hours=hour),
        )
        for hour in range(3)
    ]
    pauls = await issue(
        runtime,
        shop_id,
        await seed_order(runtime, shop_id, paul, first_name="Paul"),
        start + timedelta(hours=5),
    )
    await set_invoice(runtime, ninas[0].invoice_id, status="overdue")
    other_shop = await seed_shop(runtime)
    await issue(runtime, other_shop, await seed_order(runtime, other_shop), start)

    everything = await ok(runtime, ListInvoices(shop_id=shop_id), InvoicePage)
    second_page = await ok(runtime, ListInvoices(shop_id=shop_id, page=2, size=3), InvoicePage)
    of_nina = await ok(runtime, ListInvoices(shop_id=shop_id, customer_id=nina), InvoicePage)
    overdue = await ok(runtime, ListInvoices(shop_id=shop_id, status="overdue"), InvoicePage)
    mine = await ok(
        runtime,
        GetInvoice(shop_id=shop_id, invoice_id=ninas[1].invoice_id, customer_id=nina),
        Invoice,
    )
    not_pauls = await refused(
        runtime, GetInvoice(shop_id=shop_id, invoice_id=ninas[1].invoice_id, customer_id=paul)
    )
    not_here = await refused(
        runtime, GetInvoice(shop_id=other_shop, invoice_id=ninas[1].invoice_id)
    )

    numbers = [i.invoice_number for i in everything.items]
    assert numbers == [pauls.invoice_number] + [i.invoice_number for i in reversed(ninas)]
    assert everything.total == 4
    assert (second_page.total, [i.invoice_number for i in second_page.items]) == (
        4,
        [ninas[0].invoice_number],
    )
    assert of_nina.total == 3
    assert {i.customer_id for i in of_nina.items} == {nina}
    assert [(i.invoice_id, i.status) for i in overdue.items] == [(ninas[0].invoice_id, "overdue")]
    top = everything.items[0]
    assert (top.kind, top.order_id, top.order_number, top.buyer_name, top.currency) == (
        "invoice",
        pauls.order_id,
        pauls.order_number,
        "Paul Meyer",
        "EUR",
    )
    assert (top.issue_date, top.due_date, top.gross_total, top.status, top.paid_on) == (
        pauls.issue_date,
        pauls.due_date,
        Decimal("69.01"),
        "unpaid",
        None,
    )
    assert mine == ninas[1]
    assert [(e.code, e.status) for e in (not_pauls, not_here)] == [("invoice_not_found", 404)] * 2
