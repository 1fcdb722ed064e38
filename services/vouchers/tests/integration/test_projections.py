"""The customers and groups this service keeps from the customers service's events (no shared
database): revision guard, import chunks, deletions, renames that keep the adjustment."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select

from contracts.customers import CustomerChanged, CustomerDeleted, CustomersImported
from contracts.vouchers import GetCustomerPricing, ListGroupAdjustments, SetCustomerDiscount
from service_runtime.service import ServiceRuntime
from vouchers.adapters.tables import customers, shops
from vouchers.handlers.customer_discount import get_customer_pricing, set_customer_discount
from vouchers.handlers.customer_events import (
    forget_customer,
    record_customer_change,
    record_customers_imported,
    record_group_change,
)
from vouchers.handlers.group_adjustments import list_group_adjustments
from vouchers.handlers.shop_opened import record_shop

sys.path.insert(0, str(Path(__file__).parent))
from vouchers_support import (
    StatementLog,
    add_customer,
    adjust_group,
    group_changed,
    handle,
    open_shop,
    refusal,
    run,
    shop_opened,
    snapshot,
)

pytestmark = pytest.mark.database


async def customer_row(runtime: ServiceRuntime, shop_id: UUID, customer_id: UUID) -> Any:
    async with runtime.sessions() as session:
        return (
            await session.execute(
                select(customers).where(
                    customers.c.shop_id == shop_id, customers.c.customer_id == customer_id
                )
            )
        ).first()


async def test_shop_opened_records_the_currency_once(runtime: ServiceRuntime) -> None:
    event = shop_opened(currency="CHF")
    await handle(runtime, record_shop, event)
    await handle(runtime, record_shop, shop_opened(event.shop_id, currency="EUR"))
    async with runtime.sessions() as session:
        rows = (
            await session.execute(select(shops.c.currency).where(shops.c.shop_id == event.shop_id))
        ).all()
    assert [r.currency for r in rows] == ["CHF"]


async def test_a_snapshot_applies_only_when_its_revision_is_higher_and_keeps_the_discount(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    customer_id = await add_customer(runtime, shop.shop_id, revision=2, first_name="Ada")
    await run(
        runtime,
        set_customer_discount,
        SetCustomerDiscount(
            shop_id=shop.shop_id, customer_id=customer_id, discount_percent=Decimal(15)
        ),
    )

    async def announce(revision: int, **fields: object) -> None:
        changed = snapshot(customer_id, revision, **fields)
        await handle(
            runtime, record_customer_change, CustomerChanged(shop_id=shop.shop_id, customer=changed)
        )

    await announce(1, first_name="Older")  # late and stale
    await announce(2, first_name="Same revision")  # a replay of what we have
    row = await customer_row(runtime, shop.shop_id, customer_id)
    assert (row.first_name, row.revision) == ("Ada", 2)

    await announce(3, first_name="Augusta", tax_exempt=True, group_id=shop.guest)
    row = await customer_row(runtime, shop.shop_id, customer_id)
    assert (row.first_name, row.revision, row.tax_exempt, row.group_id) == (
        "Augusta",
        3,
        True,
        shop.guest,
    )
    assert (row.discount_percent, row.discount_revision) == (Decimal("15.00"), 1)
    pricing = await run(
        runtime,
        get_customer_pricing,
        GetCustomerPricing(shop_id=shop.shop_id, customer_id=customer_id),
    )
    assert pricing.group is not None
    assert (pricing.group.group_name, pricing.tax_exempt, pricing.special_condition) == (
        "Guest",
        True,
        True,
    )


async def test_an_import_chunk_upserts_500_customers_in_one_statement(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    known = await add_customer(runtime, shop.shop_id, revision=5, last_name="Known")
    await run(
        runtime,
        set_customer_discount,
        SetCustomerDiscount(shop_id=shop.shop_id, customer_id=known, discount_percent=Decimal(5)),
    )
    fresh = [snapshot(last_name=f"Imported {n}", group_id=shop.customer) for n in range(497)]
    chunk = [
        *fresh,
        snapshot(known, 4, last_name="Stale"),  # older than what we have: ignored
        snapshot(fresh[0].customer_id, 2, last_name="Twice, newer"),  # twice in one chunk
        snapshot(fresh[1].customer_id, 1, last_name="Twice, same revision"),
    ]
    event = CustomersImported(
        shop_id=shop.shop_id, import_id=uuid4(), chunk=1, chunks=1, customers=chunk
    )
    with StatementLog(runtime) as log:
        await handle(runtime, record_customers_imported, event)
    assert [q.split()[:3] for q in log.queries()] == [["INSERT", "INTO", "customers"]]
    # A replay (the inbox normally drops it) changes nothing either.
    await handle(runtime, record_customers_imported, event)

    async with runtime.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(customers).where(customers.c.shop_id == shop.shop_id)
        )
    assert count == 498
    assert (await customer_row(runtime, shop.shop_id, known)).last_name == "Known"
    assert (await customer_row(runtime, shop.shop_id, known)).discount_percent == Decimal("5.00")
    first = await customer_row(runtime, shop.shop_id, fresh[0].customer_id)
    assert (first.last_name, first.revision) == ("Twice, newer", 2)
    second = await customer_row(runtime, shop.shop_id, fresh[1].customer_id)
    assert second.last_name == "Imported 1"


async def test_a_deleted_customer_goes_with_their_discount_and_never_comes_back(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    customer_id = await add_customer(runtime, shop.shop_id, revision=3)
    await run(
        runtime,
        set_customer_discount,
        SetCustomerDiscount(
            shop_id=shop.shop_id, customer_id=customer_id, discount_percent=Decimal(20)
        ),
    )
    now = datetime.now(UTC)
    deleted = CustomerDeleted(
        shop_id=shop.shop_id,
        customer_id=customer_id,
        identity_id=uuid4(),
        customer_number=1,
        pseudonym_id=uuid4(),
        deleted_by="partner",
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        deleted_at=now,
    )
    await handle(runtime, forget_customer, deleted)
    await handle(runtime, forget_customer, deleted)
    assert await customer_row(runtime, shop.shop_id, customer_id) is None

    # A snapshot that was overtaken by the deletion arrives late: it brings nobody back.
    late = snapshot(customer_id, 4)
    await handle(
        runtime, record_customer_change, CustomerChanged(shop_id=shop.shop_id, customer=late)
    )
    await handle(
        runtime,
        record_customers_imported,
        CustomersImported(
            shop_id=shop.shop_id, import_id=uuid4(), chunk=1, chunks=1, customers=[late]
        ),
    )
    assert await customer_row(runtime, shop.shop_id, customer_id) is None
    missing = await refusal(
        runtime,
        get_customer_pricing,
        GetCustomerPricing(shop_id=shop.shop_id, customer_id=customer_id),
    )
    assert (missing.code, missing.status) == ("customer_not_found", 404)


async def test_a_group_rename_keeps_its_adjustment_and_a_deletion_is_final(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    vip = uuid4()
    created = datetime.now(UTC)
    await handle(
        runtime, record_group_change, group_changed(shop.shop_id, vip, "VIP", changed_at=created)
    )
    await adjust_group(runtime, shop.shop_id, vip, "-12.5")

    renamed = created + timedelta(seconds=2)
    await handle(
        runtime, record_group_change, group_changed(shop.shop_id, vip, "Gold", changed_at=renamed)
    )
    # An older rename delivered late loses to the newer one.
    await handle(
        runtime,
        record_group_change,
        group_changed(shop.shop_id, vip, "Silver", changed_at=created + timedelta(seconds=1)),
    )

    async def listed() -> list[tuple[str, Decimal]]:
        items = (
            await run(runtime, list_group_adjustments, ListGroupAdjustments(shop_id=shop.shop_id))
        ).items
        return [(g.group_name, g.percent) for g in items if g.system_key is None]

    assert await listed() == [("Gold", Decimal("-12.50"))]

    gone = renamed + timedelta(seconds=1)
    await handle(
        runtime,
        record_group_change,
        group_changed(shop.shop_id, vip, "Gold", deleted=True, changed_at=gone),
    )
    assert await listed() == []
    await handle(
        runtime,
        record_group_change,
        group_changed(shop.shop_id, vip, "Gold", changed_at=renamed),
    )
    assert await listed() == [], "a change overtaken by the deletion does not bring the group back"
