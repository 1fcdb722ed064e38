"""The overview read model's event handlers against the real database: revisions, tombstones,
batch imports, group names, sessions dropped on deny and delete."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import event, func, insert, select, update

from contracts.customers import (
    B2BTerms,
    CustomerEmailVerified,
    CustomerGroup,
    CustomerGroupChanged,
    CustomersImported,
    PostalAddress,
)
from gateway.adapters.tables import customer_overview as overview
from gateway.adapters.tables import customer_sessions, deleted_customers, overview_groups
from gateway.bootstrap import HANDLERS, create_runtime
from gateway.config import GatewaySettings
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from overview_events import T0, changed, deleted, handle, registered, snapshot

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_overview_"


@pytest.fixture(scope="module")
async def runtime(module_database_url: str) -> AsyncIterator[ServiceRuntime]:
    """Unstarted: the tests call the handlers with its units of work, as the dispatcher does."""
    runtime = create_runtime(GatewaySettings(database_url=module_database_url))
    yield runtime
    await runtime.engine.dispose()


async def row_of(runtime: ServiceRuntime, customer_id: UUID) -> Any:
    async with runtime.sessions() as session:
        return (
            await session.execute(select(overview).where(overview.c.customer_id == customer_id))
        ).one_or_none()


async def open_session(runtime: ServiceRuntime, shop_id: UUID, customer_id: UUID) -> str:
    digest = uuid4().hex + uuid4().hex
    async with runtime.sessions() as session:
        await session.execute(
            insert(customer_sessions).values(
                token_digest=digest,
                shop_id=shop_id,
                customer_id=customer_id,
                identity_id=uuid4(),
                created_at=T0,
                expires_at=T0 + timedelta(days=30),
            )
        )
        await session.commit()
    return digest


async def sessions_of(runtime: ServiceRuntime, customer_id: UUID) -> int:
    async with runtime.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(customer_sessions)
            .where(customer_sessions.c.customer_id == customer_id)
        )
    return count or 0


async def test_a_snapshot_fills_every_column_of_the_row(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    customer = snapshot(
        customer_id,
        42,
        1,
        first_name="Émile",
        last_name="Zola",
        company="  Presses Réunies ",
        phone="+33612345678",
        language="fr",
        address=PostalAddress(line1="1 rue X", postcode="75001", city="Paris", country="FR"),
        vat_number="FR40303265045",
        registration_number="732 829 320",
        newsletter=True,
        tax_exempt=True,
        group_id=uuid4(),
        b2b=B2BTerms(pays_by_invoice=True, credit_limit=Decimal("500.00")),
    )
    await handle(runtime, changed(shop_id, customer))

    row = await row_of(runtime, customer_id)
    assert row.shop_id == shop_id
    assert (row.customer_number, row.first_name, row.last_name) == (42, "Émile", "Zola")
    assert row.sort_name == "zola émile"
    assert row.company == "Presses Réunies"
    assert row.search_text == "42 émile zola customer42@example.com presses réunies"
    assert (row.phone, row.language, row.address_country) == ("+33612345678", "fr", "FR")
    assert (row.vat_number, row.registration_number) == ("FR40303265045", "732 829 320")
    assert (row.newsletter, row.tax_exempt, row.b2b, row.pays_by_invoice) == (True,) * 4
    assert not row.denied
    assert row.group_id == customer.group_id
    assert row.identity_id == customer.identity_id
    assert row.revision == 1
    assert row.registered_at == T0
    assert row.profile_changed_at == customer.profile_changed_at
    assert (row.orders_count, row.order_revenue_net, row.unpaid_invoices) == (0, 0, 0)


async def test_only_a_higher_revision_replaces_the_row(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    second = changed(shop_id, snapshot(customer_id, 7, 2, last_name="Second", company="Acme"))
    first = changed(shop_id, snapshot(customer_id, 7, 1, last_name="First"))
    third = changed(shop_id, snapshot(customer_id, 7, 3, last_name="Third", company=None))

    await handle(runtime, second, first, second)  # late and duplicate events
    row = await row_of(runtime, customer_id)
    assert (row.revision, row.last_name, row.company, row.b2b) == (2, "Second", "Acme", True)

    await handle(runtime, third, first)
    row = await row_of(runtime, customer_id)
    assert (row.revision, row.last_name, row.company, row.b2b) == (3, "Third", None, False)


async def test_billing_columns_survive_profile_updates(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    await handle(runtime, changed(shop_id, snapshot(customer_id, 3, 1)))
    async with runtime.sessions() as session:
        await session.execute(
            update(overview)
            .where(overview.c.customer_id == customer_id)
            .values(orders_count=4, order_revenue_net=Decimal("123.40"), unpaid_invoices=1)
        )
        await session.commit()

    await handle(runtime, changed(shop_id, snapshot(customer_id, 3, 2, first_name="Augusta")))
    row = await row_of(runtime, customer_id)
    assert row.first_name == "Augusta"
    assert (row.orders_count, row.order_revenue_net, row.unpaid_invoices) == (
        4,
        Decimal("123.40"),
        1,
    )


async def test_registration_lists_the_customer_until_its_snapshot_arrives(
    runtime: ServiceRuntime,
) -> None:
    shop_id, early, late = uuid4(), uuid4(), uuid4()
    await handle(runtime, registered(shop_id, early, 1, company="Hopper & Co"))
    row = await row_of(runtime, early)
    assert (row.revision, row.first_name, row.language, row.email_verified) == (
        0,
        "Grace",
        "fr",
        False,
    )
    assert (row.sort_name, row.b2b) == ("hopper grace", True)
    assert row.search_text == "1 grace hopper customer1@example.com hopper & co"
    await handle(runtime, changed(shop_id, snapshot(early, 1, 1)))
    assert (await row_of(runtime, early)).first_name == "Ada"

    # The snapshot first, the registration late: the registration changes nothing.
    await handle(runtime, changed(shop_id, snapshot(late, 2, 1)), registered(shop_id, late, 2))
    row = await row_of(runtime, late)
    assert (row.revision, row.first_name) == (1, "Ada")


async def test_email_verification_before_the_row_is_no_error(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    verified = CustomerEmailVerified(shop_id=shop_id, customer_id=customer_id, verified_at=T0)
    await handle(runtime, verified)
    assert await row_of(runtime, customer_id) is None

    await handle(runtime, registered(shop_id, customer_id, 5), verified, verified)
    assert (await row_of(runtime, customer_id)).email_verified is True


async def test_deletion_leaves_a_tombstone_nothing_brings_back(runtime: ServiceRuntime) -> None:
    shop_id, customer_id, other = uuid4(), uuid4(), uuid4()
    await handle(runtime, changed(shop_id, snapshot(customer_id, 9, 1)))
    await handle(runtime, changed(shop_id, snapshot(other, 10, 1)))
    await open_session(runtime, shop_id, customer_id)
    kept = await open_session(runtime, shop_id, other)

    gone = deleted(shop_id, customer_id, 9)
    await handle(runtime, gone, gone)  # twice: idempotent
    assert await row_of(runtime, customer_id) is None
    assert await sessions_of(runtime, customer_id) == 0
    assert await sessions_of(runtime, other) == 1, kept

    late = snapshot(customer_id, 9, 5)
    await handle(
        runtime,
        changed(shop_id, late),
        registered(shop_id, customer_id, 9),
        CustomersImported(shop_id=shop_id, import_id=uuid4(), chunk=1, chunks=1, customers=[late]),
    )
    assert await row_of(runtime, customer_id) is None
    async with runtime.sessions() as session:
        tombstone = (
            await session.execute(
                select(deleted_customers).where(deleted_customers.c.customer_id == customer_id)
            )
        ).one()
    assert (tombstone.shop_id, tombstone.deleted_at) == (shop_id, gone.deleted_at)


async def test_deletion_before_any_other_event_still_wins(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    await handle(
        runtime,
        deleted(shop_id, customer_id, 4),
        registered(shop_id, customer_id, 4),
        changed(shop_id, snapshot(customer_id, 4, 3)),
    )
    assert await row_of(runtime, customer_id) is None


async def test_a_denied_customer_loses_its_sessions(runtime: ServiceRuntime) -> None:
    shop_id, customer_id = uuid4(), uuid4()
    await handle(runtime, changed(shop_id, snapshot(customer_id, 11, 1)))
    await open_session(runtime, shop_id, customer_id)

    denied = changed(shop_id, snapshot(customer_id, 11, 2, denied=True))
    await handle(runtime, denied)
    assert (await row_of(runtime, customer_id)).denied is True
    assert await sessions_of(runtime, customer_id) == 0

    # Allowed again and logged in: the late 'denied' snapshot must not log them out.
    await handle(runtime, changed(shop_id, snapshot(customer_id, 11, 3, denied=False)))
    await open_session(runtime, shop_id, customer_id)
    await handle(runtime, denied)
    assert (await row_of(runtime, customer_id)).denied is False
    assert await sessions_of(runtime, customer_id) == 1


async def test_an_import_chunk_is_one_upsert_statement(runtime: ServiceRuntime) -> None:
    shop_id = uuid4()
    ids = [uuid4() for _ in range(500)]
    older, tombstoned = ids[0], ids[1]
    await handle(
        runtime,
        changed(shop_id, snapshot(older, 1, 4, first_name="Newer")),
        changed(shop_id, snapshot(tombstoned, 2, 1)),
        deleted(shop_id, tombstoned, 2),
    )
    customers = [
        snapshot(customer_id, n, 3, first_name=f"Imported{n}", source="import")
        for n, customer_id in enumerate(ids, start=1)
    ]
    customers.append(snapshot(ids[2], 3, 2, first_name="Stale duplicate"))
    imported = CustomersImported(
        shop_id=shop_id, import_id=uuid4(), chunk=1, chunks=1, customers=customers
    )

    statements: list[str] = []

    def count(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        statements.append(sql)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with runtime.unit_of_work() as uow:
            await HANDLERS.events[CustomersImported](imported, uow)
            await uow.commit()
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
    writes = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len([s for s in writes if "INTO customer_overview" in s]) == 1
    assert len([s for s in writes if "INTO overview_shop_totals" in s]) == 1, "one per shop"
    assert len(statements) <= 4  # the locks, the upsert, the shop's total, maybe a check

    async with runtime.sessions() as session:
        rows = {
            r.customer_id: r
            for r in (
                await session.execute(select(overview).where(overview.c.shop_id == shop_id))
            ).all()
        }
    assert len(rows) == 499
    assert tombstoned not in rows
    assert rows[older].first_name == "Newer"
    assert rows[ids[2]].first_name == "Imported3"
    assert rows[ids[499]].first_name == "Imported500"
    assert {r.revision for cid, r in rows.items() if cid != older} == {3}


async def test_group_names_keep_the_newest_change(runtime: ServiceRuntime) -> None:
    shop_id, group_id = uuid4(), uuid4()

    def group_event(name: str, minutes: int, *, gone: bool = False) -> CustomerGroupChanged:
        return CustomerGroupChanged(
            shop_id=shop_id,
            group=CustomerGroup(group_id=group_id, name=name, system_key=None),
            deleted=gone,
            changed_at=T0 + timedelta(minutes=minutes),
        )

    async def name() -> str | None:
        async with runtime.sessions() as session:
            return await session.scalar(
                select(overview_groups.c.name).where(overview_groups.c.group_id == group_id)
            )

    await handle(runtime, group_event("Resellers", 1))
    assert await name() == "Resellers"
    await handle(runtime, group_event("Wholesale", 3), group_event("Resellers", 1))
    assert await name() == "Wholesale"
    await handle(runtime, group_event("Wholesale", 4, gone=True))
    assert await name() is None
