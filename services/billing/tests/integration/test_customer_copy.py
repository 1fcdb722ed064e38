"""Billing's copy of the shop customers (B2): the newest snapshot wins in any arrival order;
a deleted customer never comes back, and their orders and invoices keep only a pseudonym (A9)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import insert, select

from billing.adapters.tables import customers, invoices
from contracts.billing import (
    GetOrder,
    ListOrders,
    Order,
    OrderPage,
)
from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerRegistered,
    CustomersImported,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import (
    FakePricer,
    cart_count,
    deliver,
    ok,
    open_shop,
    put_product,
    refused,
)
from orders_support import (
    FakeVouchers,
    add_customer,
    cart_for,
    on_invoice,
    order_rows,
    order_runtime,
    place,
    snapshot,
)

pytestmark = pytest.mark.database


@pytest.fixture
async def runtime(database_url: str, pricer: FakePricer) -> AsyncIterator[ServiceRuntime]:
    runtime = order_runtime(database_url, pricer, FakeVouchers())
    yield runtime
    await runtime.engine.dispose()


async def copy_of(runtime: ServiceRuntime, customer_id: UUID) -> Any:
    async with runtime.sessions() as session:
        return (
            await session.execute(select(customers).where(customers.c.customer_id == customer_id))
        ).first()


def registered(shop_id: UUID, customer_id: UUID) -> CustomerRegistered:
    return CustomerRegistered(
        shop_id=shop_id,
        customer_id=customer_id,
        identity_id=uuid4(),
        customer_number=7,
        email="old@example.com",
        first_name="Old",
        last_name="Name",
        language="en",
        registered_at=datetime.now(UTC),
        email_verified=True,
        company="Old Co",
    )


def deleted(shop_id: UUID, customer_id: UUID, pseudonym_id: UUID) -> CustomerDeleted:
    return CustomerDeleted(
        shop_id=shop_id,
        customer_id=customer_id,
        identity_id=uuid4(),
        customer_number=7,
        pseudonym_id=pseudonym_id,
        deleted_by="customer",
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        deleted_at=datetime.now(UTC),
    )


async def test_the_highest_revision_wins_whatever_the_order_of_arrival(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    first, late = uuid4(), uuid4()
    newer = snapshot(shop_id, customer_id=first, revision=2, b2b=on_invoice("300.00", days=14))
    older = snapshot(shop_id, customer_id=first, revision=1, first_name="Stale")
    chunk = [
        snapshot(shop_id, customer_id=late, revision=4, email="four@example.com"),
        snapshot(shop_id, customer_id=late, revision=3, email="three@example.com"),
        snapshot(shop_id, customer_id=first, revision=3, last_name="Byron"),
    ]

    await deliver(
        runtime,
        registered(shop_id, first),
        CustomerChanged(shop_id=shop_id, customer=newer),
        CustomerChanged(shop_id=shop_id, customer=older),
        registered(shop_id, first),
    )
    after_changes = await copy_of(runtime, first)
    await deliver(
        runtime,
        CustomersImported(shop_id=shop_id, import_id=uuid4(), chunk=1, chunks=1, customers=chunk),
        registered(shop_id, late),
    )
    only_registered = uuid4()
    await deliver(runtime, registered(shop_id, only_registered))

    assert (after_changes.revision, after_changes.first_name, after_changes.email) == (
        2,
        "Ada",
        "ada@example.com",
    )
    assert (after_changes.pays_by_invoice, after_changes.credit_limit) == (True, Decimal("300.00"))
    assert (after_changes.payment_terms_days, after_changes.address["city"]) == (14, "Paris")
    imported_first, imported_late = await copy_of(runtime, first), await copy_of(runtime, late)
    assert (imported_first.revision, imported_first.last_name) == (3, "Byron")
    assert (imported_late.revision, imported_late.email) == (4, "four@example.com")
    fresh = await copy_of(runtime, only_registered)
    assert (fresh.revision, fresh.email, fresh.company, fresh.pays_by_invoice) == (
        0,
        "old@example.com",
        "Old Co",
        False,
    )
    assert (fresh.credit_limit, fresh.payment_terms_days, fresh.address) == (
        Decimal("0.00"),
        0,
        None,
    )


async def test_a_deleted_customer_is_pseudonymised_in_orders_and_invoices_and_never_returns(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    ada = await add_customer(runtime, shop_id, b2b=on_invoice("500.00"))
    kept = await add_customer(runtime, shop_id, customer_number=9, email="kept@example.com")
    order = await ok(
        runtime,
        place(
            shop_id,
            (await cart_for(runtime, shop_id, ada.customer_id)).cart_id,
            customer_id=ada.customer_id,
            method="invoice",
        ),
        Order,
    )
    other = await ok(
        runtime,
        place(
            shop_id,
            (await cart_for(runtime, shop_id, kept.customer_id)).cart_id,
            customer_id=kept.customer_id,
        ),
        Order,
    )
    await cart_for(runtime, shop_id, ada.customer_id)  # an open cart that goes with her
    document = {"invoice_number": "2026-000001", "buyer": {"name": "Ada Lovelace"}}
    invoice_id = uuid4()
    async with runtime.sessions() as session:
        await session.execute(
            insert(invoices).values(
                invoice_id=invoice_id,
                shop_id=shop_id,
                invoice_number="2026-000001",
                kind="invoice",
                order_id=order.order_id,
                customer_id=ada.customer_id,
                document=document,
                net_total=Decimal("45.00"),
                gross_total=Decimal("54.00"),
                issued_at=datetime.now(UTC),
                issue_date=date(2026, 11, 27),
                due_date=date(2026, 12, 27),
                status="unpaid",
            )
        )
        await session.commit()
    pseudonym = uuid4()

    await deliver(runtime, deleted(shop_id, ada.customer_id, pseudonym))
    await deliver(
        runtime,
        CustomerChanged(shop_id=shop_id, customer=ada.model_copy(update={"revision": 9})),
        registered(shop_id, ada.customer_id),
    )
    gone = await refused(
        runtime,
        place(
            shop_id,
            (await cart_for(runtime, shop_id, ada.customer_id)).cart_id,
            customer_id=ada.customer_id,
        ),
    )

    rows = {r.order_id: r for r in await order_rows(runtime, shop_id)}
    row = rows[order.order_id]
    assert (row.customer_id, row.pseudonym_id, row.customer_number) == (None, pseudonym, None)
    personal = ("email", "first_name", "last_name", "company", "vat_number")
    assert [getattr(row, c) for c in personal] == [None] * len(personal)
    assert (row.billing_address, row.shipping_address) == (None, None)
    assert (row.net_total, row.gross_total, row.wholesale_net) == (
        Decimal("45.00"),
        Decimal("54.00"),
        Decimal("20.00"),
    )
    assert (rows[other.order_id].customer_id, rows[other.order_id].email) == (
        kept.customer_id,
        "kept@example.com",
    )
    async with runtime.sessions() as session:
        invoice = (
            await session.execute(select(invoices).where(invoices.c.invoice_id == invoice_id))
        ).one()
    assert (invoice.customer_id, invoice.document) == (None, document)
    assert await copy_of(runtime, ada.customer_id) is None
    assert await cart_count(runtime, shop_id) == 2  # kept's ordered cart and the one just made
    assert (gone.code, gone.status) == ("customer_not_found", 404)
    shown = await ok(runtime, GetOrder(shop_id=shop_id, order_id=order.order_id), Order)
    assert (shown.customer_id, shown.pseudonym_id, shown.email, shown.first_name) == (
        None,
        pseudonym,
        None,
        None,
    )
    assert shown.pricing == order.pricing
    theirs = await ok(runtime, ListOrders(shop_id=shop_id, customer_id=ada.customer_id), OrderPage)
    assert theirs.total == 0
