"""P7 against PostgreSQL: who owes what against the credit limit, largest first."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from contracts.billing import ListOutstanding, Outstanding
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import ok, refused
from invoices_support import issue, seed_customer, seed_order, seed_shop, set_invoice

pytestmark = pytest.mark.database

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
GROSS = Decimal("69.01")


async def test_the_outstanding_list_adds_open_invoices_and_orders_not_invoiced_yet(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await seed_shop(runtime)
    # Anna: two open invoices (one overdue), one paid, one order on invoice not invoiced yet.
    anna = await seed_customer(runtime, shop_id, first_name="Anna", credit_limit="150.00")
    await issue(runtime, shop_id, await seed_order(runtime, shop_id, anna), NOW)
    late_one = await issue(runtime, shop_id, await seed_order(runtime, shop_id, anna), NOW)
    paid_one = await issue(runtime, shop_id, await seed_order(runtime, shop_id, anna), NOW)
    await set_invoice(runtime, late_one.invoice_id, status="overdue")
    await set_invoice(runtime, paid_one.invoice_id, status="paid")
    await seed_order(runtime, shop_id, anna, status="in_production")
    # Bert: only an order on invoice not invoiced yet, within his limit.
    bert = await seed_customer(runtime, shop_id, first_name="Bert", company=None)
    await seed_order(runtime, shop_id, bert, status="placed")
    # Carl owes nothing: a cancelled order, a prepaid one, a credited invoice.
    carl = await seed_customer(runtime, shop_id, first_name="Carl")
    await seed_order(runtime, shop_id, carl, status="cancelled")
    await seed_order(runtime, shop_id, carl, status="placed", payment_method="card")
    credited = await issue(runtime, shop_id, await seed_order(runtime, shop_id, carl), NOW)
    await set_invoice(runtime, credited.invoice_id, status="credited")
    # Guests and another shop's customers are not on this list.
    await issue(runtime, shop_id, await seed_order(runtime, shop_id), NOW)
    other_shop = await seed_shop(runtime)
    stranger = await seed_customer(runtime, other_shop)
    await seed_order(runtime, other_shop, stranger, status="placed")

    listed = await ok(runtime, ListOutstanding(shop_id=shop_id), Outstanding)
    over = await ok(runtime, ListOutstanding(shop_id=shop_id, over_limit_only=True), Outstanding)
    unknown = await refused(runtime, ListOutstanding(shop_id=uuid4()))

    assert listed.currency == "EUR"
    assert [c.customer_id for c in listed.customers] == [anna, bert]
    first, second = listed.customers
    assert (first.name, first.company, first.customer_number is not None) == (
        "Anna Meyer",
        "Meyer Druck GmbH",
        True,
    )
    assert (first.unpaid_invoices, first.overdue_invoices) == (2, 1)
    assert (first.unpaid_total, first.not_invoiced_total, first.outstanding) == (
        2 * GROSS,
        GROSS,
        3 * GROSS,
    )
    assert (first.credit_limit, first.over_limit) == (Decimal("150.00"), True)
    assert (second.unpaid_invoices, second.overdue_invoices, second.company) == (0, 0, None)
    assert (second.unpaid_total, second.not_invoiced_total, second.outstanding) == (
        Decimal("0.00"),
        GROSS,
        GROSS,
    )
    assert (second.credit_limit, second.over_limit) == (Decimal("500.00"), False)
    assert listed.total == 4 * GROSS
    assert ([c.customer_id for c in over.customers], over.total) == ([anna], 3 * GROSS)
    assert (unknown.code, unknown.status) == ("shop_not_ready", 503)
