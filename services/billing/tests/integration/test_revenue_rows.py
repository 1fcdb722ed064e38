"""B6 against PostgreSQL: a month's invoices and credit notes with their provider side, in
number order, slice by slice; other months and other shops left out."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from billing.adapters.invoice_records import load_invoice
from billing.adapters.invoicing import credit_invoice
from billing.adapters.revenue_rows import revenue_rows, revenue_statement
from contracts.billing import IssueCreditNote, ListRevenueRows, RevenuePage
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import ok, refused
from invoices_support import issue, order_row, seed_customer, seed_order, seed_shop

pytestmark = pytest.mark.database

MARCH = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


async def test_a_months_rows_come_in_number_order_slice_by_slice_credit_notes_negative(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime)
    customer_id = await seed_customer(runtime, shop_id)
    february = await issue(
        runtime, shop_id, await seed_order(runtime, shop_id, customer_id), MARCH - timedelta(days=2)
    )
    march = []
    for day in range(7):
        order_id = await seed_order(
            runtime,
            shop_id,
            customer_id,
            payment_method="invoice" if day % 2 else "card",
            paid_at=None if day % 2 else MARCH,
            wholesale_net=f"2{day}.40",
        )
        march.append(await issue(runtime, shop_id, order_id, MARCH + timedelta(days=day * 4)))
    # 31 March 23:30 in UTC is 1 April in Paris: April's.
    april = await issue(
        runtime,
        shop_id,
        await seed_order(runtime, shop_id),
        datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
    )
    # A credit note issued in March for the February invoice.
    async with runtime.unit_of_work() as uow:
        command = IssueCreditNote(shop_id=shop_id, invoice_id=february.invoice_id, reason="Damaged")
        row = await load_invoice(uow.session, shop_id, february.invoice_id, lock=True)
        note = await credit_invoice(
            uow,
            command,
            row,
            command.reason,
            datetime(2026, 4, 1, 7, 0, tzinfo=UTC),
            "Europe/Paris",
        )
        await uow.commit()
    other_shop = await seed_shop(runtime)
    await issue(runtime, other_shop, await seed_order(runtime, other_shop), MARCH)

    slices: list[RevenuePage] = []
    after: str | None = None
    while True:
        page = await ok(
            runtime,
            ListRevenueRows(shop_id=shop_id, year=2026, month=3, after=after, limit=3),
            RevenuePage,
        )
        slices.append(page)
        if page.next_after is None:
            break
        after = page.next_after
    rows = [row for page in slices for row in page.rows]
    april_rows = await ok(
        runtime, ListRevenueRows(shop_id=shop_id, year=2026, month=4), RevenuePage
    )
    unknown = await refused(runtime, ListRevenueRows(shop_id=uuid4(), year=2026, month=3))

    assert [len(page.rows) for page in slices] == [3, 3, 1]
    assert [page.next_after for page in slices] == [
        march[2].invoice_number,
        march[5].invoice_number,
        None,
    ]
    assert [r.shop_invoice_id for r in rows] == [i.invoice_number for i in march]
    assert [r.shop_invoice_id for r in april_rows.rows] == [
        april.invoice_number,
        note.invoice_number,
    ]
    assert slices[0].currency == "EUR"
    first_order = await order_row(runtime, march[0].order_id)
    first = rows[0]
    assert first.model_dump() == {
        "provider_invoice_id": first_order.provider_invoice_id,
        "provider_invoice_date": date(2026, 3, 10),
        "provider_order_revenue": Decimal("20.40"),
        "provider_order_id": first_order.provider_order_id,
        "provider_pay_method": "direct_debit",
        "shop_invoice_id": march[0].invoice_number,
        "shop_order_id": first_order.order_number,
        "shop_order_revenue": Decimal("61.13"),
        "shop_pay_method": "card",
    }
    assert [r.shop_pay_method for r in rows[:2]] == ["card", "invoice"]
    assert sum(r.shop_order_revenue for r in rows) == 7 * Decimal("61.13")
    credit_row = april_rows.rows[1]
    february_order = await order_row(runtime, february.order_id)
    assert (credit_row.shop_order_id, credit_row.provider_order_id) == (
        february_order.order_number,
        february_order.provider_order_id,
    )
    assert (credit_row.shop_order_revenue, credit_row.provider_order_revenue) == (
        Decimal("-61.13"),
        Decimal("-21.40"),
    )
    assert (unknown.code, unknown.status) == ("shop_not_ready", 503)


MONTH_OF_INVOICES = 100_000
SEED_ORDERS = """
INSERT INTO orders (order_id, shop_id, order_number, idempotency_key, cart_id, guest, language,
    payment_method, payment_status, status, history, currency, pricing, net_total, vat_total,
    gross_total, placed_at, provider_order_id, wholesale_net)
SELECT gen_random_uuid(), :shop_id, g, 'key-' || g, gen_random_uuid(), true, 'en', 'invoice',
    'on_invoice', 'shipped', '[]', 'EUR', '{}', 10, 2, 12, :placed_at,
    :prefix || g, 5
FROM generate_series(1, :count) AS g
"""
SEED_INVOICES = """
INSERT INTO invoices (invoice_id, shop_id, invoice_number, kind, order_id, document, net_total,
    gross_total, issued_at, issue_date, due_date, status)
SELECT gen_random_uuid(), shop_id, '2026-' || lpad(order_number::text, 6, '0'), 'invoice',
    order_id, '{}', 10, 12, :placed_at,
    DATE '2026-03-01' + (order_number * 31 / (:count + 1)), DATE '2026-05-01', 'unpaid'
FROM orders WHERE shop_id = :shop_id
"""


def plan_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("Plans", []) for n in plan_nodes(child))]


async def test_a_deep_slice_of_a_100000_invoice_month_reads_only_its_own_rows(
    runtime: ServiceRuntime,
) -> None:
    """The plan, run: one range of ix_invoices_shop_issue_date_number started at ``after``,
    in index order (no sort), each order joined by its primary key, stopped after ``limit``."""
    shop_id = await seed_shop(runtime)
    params = {
        "shop_id": shop_id,
        "count": MONTH_OF_INVOICES,
        "placed_at": MARCH,
        "prefix": f"PO-{uuid4().hex[:6]}-",
    }
    async with runtime.sessions() as session:
        await session.execute(text(SEED_ORDERS), params)
        await session.execute(text(SEED_INVOICES), params)
        await session.commit()
        await session.execute(text("ANALYZE orders"))
        await session.execute(text("ANALYZE invoices"))
        await session.commit()

    async with runtime.sessions() as session:
        statement = revenue_statement(shop_id, 2026, 3, after="2026-090000", limit=2000)
        compiled = statement.compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
        explained = await session.scalar(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}"))
        rows = await revenue_rows(session, shop_id, 2026, 3, after="2026-090000", limit=2000)

    nodes = plan_nodes(explained[0]["Plan"])
    kinds = [n["Node Type"] for n in nodes]
    scans = {n.get("Index Name"): n for n in nodes if "Index Name" in n}
    assert "Sort" not in kinds, kinds
    assert "Seq Scan" not in kinds, kinds
    # The third index finds the day ``after`` was issued on (a unique lookup, one row).
    assert set(scans) == {
        "ix_invoices_shop_issue_date_number",
        "pk_orders",
        "uq_invoices_shop_id_invoice_number",
    }, kinds
    month_range = scans["ix_invoices_shop_issue_date_number"]
    assert month_range["Actual Rows"] <= 2001, month_range
    assert month_range.get("Rows Removed by Filter", 0) == 0, month_range
    assert [r.shop_invoice_id for r in rows] == [f"2026-{n:06d}" for n in range(90_001, 92_001)]
