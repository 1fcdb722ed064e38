"""The overview's "SC" marker and discount from CustomerDiscountChanged (V1, V2) on the real
database: revisions, either order of a customer's events, deletion, the list's filter."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import select

from contracts.customers import (
    CustomerChanged,
    CustomersImported,
)
from contracts.vouchers import CustomerDiscountChanged
from gateway.adapters.tables import customer_discounts
from gateway.adapters.tables import customer_overview as overview
from gateway.domain.tokens import new_partner_token
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from gateway_support import insert_partner_token, insert_shop
from overview_events import T0, deleted, handle, registered, snapshot

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_discounts_"


@pytest.fixture
def runtime(app_runtime: tuple[Any, ServiceRuntime]) -> ServiceRuntime:
    return app_runtime[1]


def discount(
    shop_id: UUID, customer_id: UUID, percent: str | None, revision: int
) -> CustomerDiscountChanged:
    return CustomerDiscountChanged(
        shop_id=shop_id,
        customer_id=customer_id,
        discount_percent=Decimal(percent) if percent is not None else None,
        previous_percent=None,
        special_condition=percent is not None,
        revision=revision,
        changed_by="partner",
        changed_at=T0 + timedelta(minutes=revision),
    )


async def marker(runtime: ServiceRuntime, customer_id: UUID) -> tuple[bool, Decimal | None] | None:
    """The overview row's (special_condition, discount_percent), None without a row."""
    async with runtime.sessions() as session:
        row = (
            await session.execute(
                select(overview.c.special_condition, overview.c.discount_percent).where(
                    overview.c.customer_id == customer_id
                )
            )
        ).one_or_none()
    return None if row is None else (row.special_condition, row.discount_percent)


async def kept_discount(runtime: ServiceRuntime, customer_id: UUID) -> Any:
    async with runtime.sessions() as session:
        return (
            await session.execute(
                select(customer_discounts).where(customer_discounts.c.customer_id == customer_id)
            )
        ).one_or_none()


async def test_only_a_higher_revision_changes_the_marker(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    await handle(runtime, registered(shop_id, customer_id, 1))
    assert await marker(runtime, customer_id) == (False, None)

    await handle(runtime, discount(shop_id, customer_id, "10", 1))
    assert await marker(runtime, customer_id) == (True, Decimal("10.00"))

    await handle(runtime, discount(shop_id, customer_id, "12.5", 3))
    await handle(runtime, discount(shop_id, customer_id, None, 2))  # late: ignored
    await handle(runtime, discount(shop_id, customer_id, "10", 1))  # redelivered: ignored
    assert await marker(runtime, customer_id) == (True, Decimal("12.50"))

    await handle(runtime, discount(shop_id, customer_id, None, 4))  # back to "Standard"
    assert await marker(runtime, customer_id) == (False, None)
    assert (await kept_discount(runtime, customer_id)).revision == 4


async def test_a_discount_before_the_row_is_taken_by_every_way_a_row_arrives(
    runtime: ServiceRuntime,
) -> None:
    shop_id = uuid4()
    by_registration, by_snapshot, by_import, without = uuid4(), uuid4(), uuid4(), uuid4()
    for n, customer_id in enumerate((by_registration, by_snapshot, by_import), start=1):
        await handle(runtime, discount(shop_id, customer_id, str(5 * n), 1))
    assert await marker(runtime, by_registration) is None

    await handle(
        runtime,
        registered(shop_id, by_registration, 1),
        CustomerChanged(shop_id=shop_id, customer=snapshot(by_snapshot, 2, 1)),
        CustomersImported(
            shop_id=shop_id,
            import_id=uuid4(),
            chunk=1,
            chunks=1,
            customers=[snapshot(by_import, 3, 1), snapshot(without, 4, 1)],
        ),
    )
    assert await marker(runtime, by_registration) == (True, Decimal("5.00"))
    assert await marker(runtime, by_snapshot) == (True, Decimal("10.00"))
    assert await marker(runtime, by_import) == (True, Decimal("15.00"))
    assert await marker(runtime, without) == (False, None)

    # Profile changes never touch the discount the vouchers service owns.
    await handle(
        runtime,
        CustomerChanged(shop_id=shop_id, customer=snapshot(by_registration, 1, 2)),
        CustomerChanged(shop_id=shop_id, customer=snapshot(by_snapshot, 2, 5, first_name="Al")),
    )
    assert await marker(runtime, by_registration) == (True, Decimal("5.00"))
    assert await marker(runtime, by_snapshot) == (True, Decimal("10.00"))


async def test_racing_row_and_discount_events_never_lose_the_marker(
    runtime: ServiceRuntime,
) -> None:
    """Each pair runs in two transactions at once, as two gateway replicas would."""
    shop_id = uuid4()
    ids = [uuid4() for _ in range(20)]
    await asyncio.gather(
        *(
            handle(runtime, event)
            for n, customer_id in enumerate(ids, start=1)
            for event in (
                registered(shop_id, customer_id, n),
                discount(shop_id, customer_id, "7", 1),
            )
        )
    )
    assert [await marker(runtime, customer_id) for customer_id in ids] == [
        (True, Decimal("7.00"))
    ] * len(ids)


async def test_deletion_drops_the_discount_and_a_late_one_stays_out(
    runtime: ServiceRuntime,
) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    await handle(
        runtime, registered(shop_id, customer_id, 1), discount(shop_id, customer_id, "20", 1)
    )
    await handle(runtime, deleted(shop_id, customer_id, 1))
    assert await kept_discount(runtime, customer_id) is None

    await handle(
        runtime, discount(shop_id, customer_id, "30", 2), registered(shop_id, customer_id, 1)
    )
    assert await kept_discount(runtime, customer_id) is None
    assert await marker(runtime, customer_id) is None


async def test_the_list_filters_on_the_marker_and_shows_the_discount(
    client: httpx.AsyncClient, runtime: ServiceRuntime
) -> None:
    shop_id, token = uuid4(), new_partner_token()
    other_shop = uuid4()
    async with runtime.unit_of_work() as uow:
        await insert_shop(uow.session, shop_id, T0, slug=f"sc-{shop_id.hex[:8]}")
        await insert_partner_token(uow.session, shop_id, token, "tests", T0)
        await uow.commit()
    auth = {"Authorization": f"Bearer {token}"}
    ids = [uuid4() for _ in range(4)]
    foreign = uuid4()
    await handle(
        runtime,
        CustomersImported(
            shop_id=shop_id,
            import_id=uuid4(),
            chunk=1,
            chunks=1,
            customers=[snapshot(c, n, 1) for n, c in enumerate(ids, start=1)],
        ),
        CustomerChanged(shop_id=other_shop, customer=snapshot(foreign, 1, 1)),
        discount(shop_id, ids[1], "12.5", 1),
        discount(shop_id, ids[3], "100", 1),
        discount(shop_id, ids[2], "5", 1),
        discount(shop_id, ids[2], None, 2),
        discount(other_shop, foreign, "50", 1),
    )

    marked = await client.get(
        "/partner/v1/customers", params={"special_condition": "true"}, headers=auth
    )
    assert marked.status_code == 200, marked.text
    body = marked.json()
    assert [(i["customer_number"], i["discount_percent"]) for i in body["items"]] == [
        (2, "12.50"),
        (4, "100.00"),
    ]
    assert {i["special_condition"] for i in body["items"]} == {True}
    assert body["total"] == 2

    plain = await client.get(
        "/partner/v1/customers",
        params={"special_condition": "false", "sort": "name"},
        headers=auth,
    )
    assert sorted(i["customer_number"] for i in plain.json()["items"]) == [1, 3]
    assert {i["discount_percent"] for i in plain.json()["items"]} == {None}

    export = await client.get(
        "/partner/v1/customers/export", params={"special_condition": "true"}, headers=auth
    )
    assert export.status_code == 200
    assert "customer2@example.com" in export.text
    assert "customer1@example.com" not in export.text

    bad = await client.get(
        "/partner/v1/customers", params={"special_condition": "maybe"}, headers=auth
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["special_condition"]
