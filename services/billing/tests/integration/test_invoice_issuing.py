"""Issuing an order's invoice at shipment against PostgreSQL: number, lines, dates, status
by payment, idempotency, the events; and 200 concurrent shipments numbered 1..200."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select

from billing.adapters.invoicing import invoice_order
from billing.adapters.tables import invoices
from contracts.billing import CustomerBillingChanged, Invoice, InvoiceIssued
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import events
from invoices_support import (
    issue,
    order_row,
    pricing,
    seed_customer,
    seed_order,
    seed_shop,
    shipped,
)

pytestmark = pytest.mark.database

SHIPPED_AT = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


async def test_a_shipped_order_on_invoice_gets_its_numbered_invoice_due_after_the_terms(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime)
    customer_id = await seed_customer(runtime, shop_id, payment_terms_days=30)
    order_id = await seed_order(runtime, shop_id, customer_id, payment_terms_days=30)

    invoice = await issue(runtime, shop_id, order_id, SHIPPED_AT)

    expected = pricing()
    assert (invoice.invoice_number, invoice.kind, invoice.status) == (
        "2026-000001",
        "invoice",
        "unpaid",
    )
    assert (invoice.issued_at, invoice.issue_date, invoice.due_date, invoice.paid_on) == (
        SHIPPED_AT,
        date(2026, 3, 10),
        date(2026, 4, 9),
        None,
    )
    assert (invoice.customer_id, invoice.order_id, invoice.payment_method) == (
        customer_id,
        order_id,
        "invoice",
    )
    assert (invoice.language, invoice.currency) == ("de", "EUR")
    assert invoice.buyer.model_dump(exclude={"address"}) == {
        "name": "Nina Meyer",
        "company": "Meyer Druck GmbH",
        "email": "nina@example.com",
        "vat_number": "DE123456789",
        "customer_number": 7,
    }
    assert invoice.buyer.address is not None
    assert invoice.buyer.address.city == "Berlin"
    assert [(line.kind, line.net) for line in invoice.lines] == [
        ("product", Decimal("30.85")),
        ("discount", Decimal("-1.54")),
        ("discount", Decimal("-2.93")),
        ("discount", Decimal("-2.64")),
        ("surcharge", Decimal("2.50")),
        ("product", Decimal("38.97")),
        ("discount", Decimal("-1.95")),
        ("discount", Decimal("-3.70")),
        ("discount", Decimal("-3.33")),
        ("shipping", Decimal("4.90")),
    ]
    assert invoice.lines[1].description == "Customer -5% (Flyers)"
    assert sum(line.net for line in invoice.lines) == invoice.net_total == Decimal("61.13")
    assert (invoice.vat, invoice.vat_total, invoice.gross_total) == (
        expected.vat,
        Decimal("7.88"),
        Decimal("69.01"),
    )
    assert not invoice.tax_exempt

    order = await order_row(runtime, order_id)
    assert order.invoice_id == invoice.invoice_id
    async with runtime.sessions() as session:
        stored = (
            await session.execute(select(invoices).where(invoices.c.order_id == order_id))
        ).one()
    assert Invoice.model_validate(stored.document) == invoice
    assert (stored.net_total, stored.gross_total, stored.status) == (
        Decimal("61.13"),
        Decimal("69.01"),
        "unpaid",
    )
    (issued,) = await events(runtime, InvoiceIssued)
    assert (issued.invoice, issued.first_name, issued.shop_id) == (invoice, "Nina", shop_id)
    (figures,) = await events(runtime, CustomerBillingChanged)
    assert (figures.customer_id, figures.revision) == (customer_id, 1)
    assert (figures.figures.unpaid_invoices, figures.figures.unpaid_total) == (1, Decimal("69.01"))
    assert figures.figures.outstanding == Decimal("69.01")


async def test_invoicing_twice_returns_the_first_invoice_and_takes_no_number(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime)
    first_order = await seed_order(runtime, shop_id)
    second_order = await seed_order(runtime, shop_id)

    first = await issue(runtime, shop_id, first_order, SHIPPED_AT)
    again = await issue(runtime, shop_id, first_order, SHIPPED_AT.replace(hour=18))
    second = await issue(runtime, shop_id, second_order, SHIPPED_AT)

    assert again == first
    assert second.invoice_number == "2026-000002"
    assert [e.invoice.invoice_number for e in await events(runtime, InvoiceIssued)] == [
        "2026-000001",
        "2026-000002",
    ]
    assert await events(runtime, CustomerBillingChanged) == []  # a guest has no figures


async def test_a_prepaid_order_is_invoiced_paid_and_due_at_once_in_the_shops_calendar(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime, timezone="Europe/Paris")
    paid_late = datetime(2026, 12, 30, 23, 15, tzinfo=UTC)  # 31 December in Paris
    order_id = await seed_order(
        runtime,
        shop_id,
        payment_method="card",
        paid_at=paid_late,
        priced=pricing(tax_exempt=True),
    )
    new_year_in_paris = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)

    invoice = await issue(runtime, shop_id, order_id, new_year_in_paris)

    assert invoice.invoice_number == "2027-000001"
    assert (invoice.issue_date, invoice.due_date) == (date(2027, 1, 1), date(2027, 1, 1))
    assert (invoice.status, invoice.paid_on, invoice.payment_method) == (
        "paid",
        date(2026, 12, 31),
        "card",
    )
    assert invoice.tax_exempt
    assert invoice.vat_exemption_reason == "Reverse charge: VAT due by the buyer"
    assert {line.vat_rate for line in invoice.lines} == {Decimal("0.00")}
    assert invoice.vat_total == Decimal("0.00")
    assert invoice.gross_total == invoice.net_total == sum(line.net for line in invoice.lines)


async def test_an_invoice_is_never_dated_before_the_one_numbered_just_before(
    runtime: ServiceRuntime,
) -> None:
    """Two shipments racing past midnight: the later number keeps the later date."""
    shop_id = await seed_shop(runtime)
    first, second = await seed_order(runtime, shop_id), await seed_order(runtime, shop_id)

    after_midnight = await issue(runtime, shop_id, first, datetime(2026, 3, 10, 23, 0, tzinfo=UTC))
    before_midnight = await issue(
        runtime, shop_id, second, datetime(2026, 3, 10, 22, 59, tzinfo=UTC)
    )

    assert (after_midnight.invoice_number, after_midnight.issue_date) == (
        "2026-000001",
        date(2026, 3, 11),
    )
    assert (before_midnight.invoice_number, before_midnight.issue_date) == (
        "2026-000002",
        date(2026, 3, 11),
    )


ORDERS = 200
ROLLED_BACK = 10


class Abandoned(Exception):
    """Raised after invoicing, so the transaction rolls back with the number it took."""


async def test_two_hundred_concurrent_shipments_number_1_to_200_and_rollbacks_leave_no_gap(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime)
    customer_id = await seed_customer(runtime, shop_id)
    committing = [await seed_order(runtime, shop_id, customer_id) for _ in range(ORDERS)]
    failing = [await seed_order(runtime, shop_id, customer_id) for _ in range(ROLLED_BACK)]
    # Every 20th transaction in the crowd rolls back after it took its number.
    crowd = list(committing)
    for index, order_id in enumerate(failing):
        crowd.insert(index * 20 + 10, order_id)

    async def ship(order_id: UUID) -> str:
        async with runtime.unit_of_work() as uow:
            invoice = await invoice_order(uow, shipped(shop_id, order_id), order_id, SHIPPED_AT)
            if order_id in failing:
                raise Abandoned(invoice.invoice_number)
            await uow.commit()
        return invoice.invoice_number

    outcomes = await asyncio.gather(*(ship(o) for o in crowd), return_exceptions=True)

    numbers = sorted(o for o in outcomes if isinstance(o, str))
    assert numbers == [f"2026-{n:06d}" for n in range(1, ORDERS + 1)]
    failures = [o for o in outcomes if not isinstance(o, str)]
    assert len(failures) == ROLLED_BACK
    assert all(isinstance(o, Abandoned) for o in failures), failures

    later = [(await issue(runtime, shop_id, o, SHIPPED_AT)).invoice_number for o in failing]
    assert later == [f"2026-{n:06d}" for n in range(ORDERS + 1, ORDERS + ROLLED_BACK + 1)]
    issued = await events(runtime, InvoiceIssued)
    assert len(issued) == ORDERS + ROLLED_BACK
    assert len({e.invoice.invoice_number for e in issued}) == ORDERS + ROLLED_BACK
    figures = await events(runtime, CustomerBillingChanged)
    assert max(f.revision for f in figures) == ORDERS + ROLLED_BACK
    assert max(f.figures.unpaid_invoices for f in figures) == ORDERS + ROLLED_BACK
