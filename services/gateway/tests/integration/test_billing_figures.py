"""The overview's orders, revenue and "(N unpaid)" from CustomerBillingChanged (B7, O1, O5) on
the real database: revisions, either order of a customer's events, deletion, another shop."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from contracts.billing import CustomerBillingChanged, CustomerBillingFigures
from contracts.customers import CustomerChanged, CustomersImported
from gateway.adapters.tables import customer_billing_figures
from gateway.adapters.tables import customer_overview as overview
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from overview_events import T0, deleted, handle, registered, snapshot

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_billing_"


@pytest.fixture
def runtime(app_runtime: tuple[Any, ServiceRuntime]) -> ServiceRuntime:
    return app_runtime[1]


def billing(
    shop_id: UUID,
    customer_id: UUID,
    revision: int,
    orders: int,
    revenue: str,
    unpaid: int = 0,
    *,
    outstanding: str = "0.00",
    credit_limit: str = "0.00",
) -> CustomerBillingChanged:
    return CustomerBillingChanged(
        shop_id=shop_id,
        customer_id=customer_id,
        revision=revision,
        figures=CustomerBillingFigures(
            orders_count=orders,
            order_revenue_net=Decimal(revenue),
            unpaid_invoices=unpaid,
            unpaid_total=Decimal(outstanding) if unpaid else Decimal("0.00"),
            outstanding=Decimal(outstanding),
            credit_limit=Decimal(credit_limit),
        ),
        changed_at=T0 + timedelta(minutes=revision),
    )


async def columns(runtime: ServiceRuntime, customer_id: UUID) -> tuple[int, Decimal, int] | None:
    """The overview row's (orders_count, order_revenue_net, unpaid_invoices); None: no row."""
    async with runtime.sessions() as session:
        row = (
            await session.execute(
                select(
                    overview.c.orders_count,
                    overview.c.order_revenue_net,
                    overview.c.unpaid_invoices,
                ).where(overview.c.customer_id == customer_id)
            )
        ).one_or_none()
    return None if row is None else (row.orders_count, row.order_revenue_net, row.unpaid_invoices)


async def kept(runtime: ServiceRuntime, customer_id: UUID) -> Any:
    async with runtime.sessions() as session:
        return (
            await session.execute(
                select(customer_billing_figures).where(
                    customer_billing_figures.c.customer_id == customer_id
                )
            )
        ).one_or_none()


async def test_only_a_higher_revision_changes_the_figures(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    await handle(runtime, registered(shop_id, customer_id, 1))
    assert await columns(runtime, customer_id) == (0, Decimal("0.00"), 0)

    await handle(runtime, billing(shop_id, customer_id, 1, 1, "120.00", 1, outstanding="144.00"))
    assert await columns(runtime, customer_id) == (1, Decimal("120.00"), 1)

    await handle(runtime, billing(shop_id, customer_id, 4, 3, "310.50", 2, outstanding="372.60"))
    await handle(runtime, billing(shop_id, customer_id, 2, 2, "200.00", 2))  # late: ignored
    await handle(runtime, billing(shop_id, customer_id, 4, 9, "999.99", 9))  # same: ignored
    await handle(runtime, billing(shop_id, customer_id, 1, 1, "120.00", 1))  # redelivered
    assert await columns(runtime, customer_id) == (3, Decimal("310.50"), 2)
    row = await kept(runtime, customer_id)
    assert (row.revision, row.outstanding, row.changed_at) == (
        4,
        Decimal("372.60"),
        T0 + timedelta(minutes=4),
    )

    await handle(runtime, billing(shop_id, customer_id, 5, 2, "190.50", 0))  # cancelled, paid
    assert await columns(runtime, customer_id) == (2, Decimal("190.50"), 0)

    # A profile change of the customer never touches billing's columns.
    await handle(
        runtime,
        CustomerChanged(shop_id=shop_id, customer=snapshot(customer_id, 1, 3, first_name="Al")),
    )
    assert await columns(runtime, customer_id) == (2, Decimal("190.50"), 0)


async def test_figures_before_the_row_are_taken_by_every_way_a_row_arrives(
    runtime: ServiceRuntime,
) -> None:
    shop_id = uuid4()
    by_registration, by_snapshot, by_import, without = uuid4(), uuid4(), uuid4(), uuid4()
    for n, customer_id in enumerate((by_registration, by_snapshot, by_import), start=1):
        await handle(runtime, billing(shop_id, customer_id, 1, n, f"{n}0.25", n - 1))
    assert await columns(runtime, by_registration) is None, "no row made by figures alone"

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
    assert await columns(runtime, by_registration) == (1, Decimal("10.25"), 0)
    assert await columns(runtime, by_snapshot) == (2, Decimal("20.25"), 1)
    assert await columns(runtime, by_import) == (3, Decimal("30.25"), 2)
    assert await columns(runtime, without) == (0, Decimal("0.00"), 0)

    # The registered row replaced by its first snapshot keeps the figures too.
    await handle(
        runtime, CustomerChanged(shop_id=shop_id, customer=snapshot(by_registration, 1, 1))
    )
    assert await columns(runtime, by_registration) == (1, Decimal("10.25"), 0)


async def test_racing_row_and_figures_events_never_lose_the_figures(
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
                billing(shop_id, customer_id, 1, 2, "75.00", 1),
            )
        )
    )
    assert [await columns(runtime, customer_id) for customer_id in ids] == [
        (2, Decimal("75.00"), 1)
    ] * len(ids)


async def test_deletion_drops_the_figures_and_late_ones_stay_out(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    await handle(
        runtime,
        registered(shop_id, customer_id, 1),
        billing(shop_id, customer_id, 1, 4, "400.00", 1),
    )
    await handle(runtime, deleted(shop_id, customer_id, 1))
    assert await kept(runtime, customer_id) is None
    assert await columns(runtime, customer_id) is None

    # Billing still reports the pseudonymised orders' figures; a late registration replays.
    await handle(
        runtime,
        billing(shop_id, customer_id, 2, 4, "400.00", 0),
        registered(shop_id, customer_id, 1),
    )
    assert await kept(runtime, customer_id) is None
    assert await columns(runtime, customer_id) is None


async def test_another_shops_figures_never_reach_the_customer(runtime: ServiceRuntime) -> None:
    shop_id, other_shop, customer_id = uuid4(), uuid4(), uuid4()
    await handle(
        runtime,
        registered(shop_id, customer_id, 1),
        billing(shop_id, customer_id, 1, 1, "50.00"),
        billing(other_shop, customer_id, 7, 9, "900.00", 3),
    )
    assert await columns(runtime, customer_id) == (1, Decimal("50.00"), 0)
    assert (await kept(runtime, customer_id)).shop_id == shop_id
