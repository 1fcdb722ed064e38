"""Set-based writes of the overview read model: revision-guarded upserts, tombstones, sessions.

Events may arrive twice, late or out of order, and several gateway replicas consume them at
once. Revisions order the changes of one record; a per-customer advisory lock orders a
deletion against a concurrent upsert so that a tombstone is always seen.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
    column,
    delete,
    exists,
    false,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.tables import customer_billing_figures as figures
from gateway.adapters.tables import customer_discounts as discounts
from gateway.adapters.tables import customer_overview as overview
from gateway.adapters.tables import customer_sessions, deleted_customers
from gateway.adapters.tables import overview_shop_totals as shop_totals

LOCK_SPACE = 0x6F76  # 'ov': the first key of the overview's advisory locks
"""Keeps these advisory locks apart from any other use of pg_advisory_xact_lock."""

SNAPSHOT_COLUMNS = (
    "customer_id",
    "shop_id",
    "customer_number",
    "first_name",
    "last_name",
    "sort_name",
    "company",
    "email",
    "email_verified",
    "phone",
    "language",
    "vat_number",
    "registration_number",
    "address_country",
    "newsletter",
    "tax_exempt",
    "group_id",
    "denied",
    "b2b",
    "pays_by_invoice",
    "registered_at",
    "profile_changed_at",
    "identity_id",
    "revision",
    "search_text",
)
"""Columns a CustomerSnapshot fills; orders, revenue and unpaid invoices belong to billing."""

REGISTERED_COLUMNS = (
    "customer_id",
    "shop_id",
    "customer_number",
    "first_name",
    "last_name",
    "sort_name",
    "company",
    "email",
    "email_verified",
    "language",
    "b2b",
    "registered_at",
    "profile_changed_at",
    "identity_id",
    "revision",
    "search_text",
)


LOCK_BUCKETS = 256
"""Customers share this many locks: a transaction applying a batch of thousands (an import)
holds at most this many, far below PostgreSQL's lock table (max_locks_per_transaction x
connections); sharing a lock only serialises two writers a moment longer."""


def lock_key(customer_id: UUID) -> int:
    """The customer's lock bucket."""
    return customer_id.int % LOCK_BUCKETS


async def lock_customers(session: AsyncSession, customer_ids: Iterable[UUID]) -> None:
    """Hold each customer's lock until commit, taken in one order so two batches never deadlock."""
    keys = sorted({lock_key(customer_id) for customer_id in customer_ids})
    if not keys:
        return
    pieces = func.unnest(cast(bindparam("keys", keys, type_=ARRAY(Integer)), ARRAY(Integer)))
    key = pieces.table_valued(column("key", Integer)).render_derived(name="lock_keys")
    await session.execute(select(func.pg_advisory_xact_lock(LOCK_SPACE, key.c.key)))


DISCOUNT_COLUMNS = ("discount_percent", "special_condition")
"""Columns a new row takes from customer_discounts: the vouchers service's events own them."""

BILLING_COLUMNS = ("orders_count", "order_revenue_net", "unpaid_invoices")
"""Columns a new row takes from customer_billing_figures: the billing service's events own them."""

TAKEN_COLUMNS = DISCOUNT_COLUMNS + BILLING_COLUMNS


def _incoming(rows: Sequence[dict[str, Any]], names: Sequence[str]) -> Select[Any]:
    """The rows as one unnest() of typed arrays (one parameter per column, any batch size),
    minus customers that have a tombstone, each with the discount and the billing figures
    already known for it (none known: Standard, no orders)."""
    arrays = []
    for name in names:
        array_type = ARRAY(overview.c[name].type)
        values = [row[name] for row in rows]
        arrays.append(cast(bindparam(f"in_{name}", values, type_=array_type), array_type))
    incoming = (
        func.unnest(*arrays)
        .table_valued(*(column(name, overview.c[name].type) for name in names))
        .render_derived(name="incoming")
    )
    return (
        select(
            *(incoming.c[name] for name in names),
            discounts.c.discount_percent,
            func.coalesce(discounts.c.special_condition, false()),
            func.coalesce(figures.c.orders_count, 0),
            func.coalesce(figures.c.order_revenue_net, 0),
            func.coalesce(figures.c.unpaid_invoices, 0),
        )
        .outerjoin(
            discounts,
            and_(
                discounts.c.customer_id == incoming.c.customer_id,
                discounts.c.shop_id == incoming.c.shop_id,
            ),
        )
        .outerjoin(
            figures,
            and_(
                figures.c.customer_id == incoming.c.customer_id,
                figures.c.shop_id == incoming.c.shop_id,
            ),
        )
        .where(~exists().where(deleted_customers.c.customer_id == incoming.c.customer_id))
    )


def _latest_per_customer(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per customer, the highest revision (one statement may not touch a row twice)."""
    latest: dict[UUID, dict[str, Any]] = {}
    for row in rows:
        known = latest.get(row["customer_id"])
        if known is None or known["revision"] < row["revision"]:
            latest[row["customer_id"]] = row
    return list(latest.values())


async def count_new_rows(session: AsyncSession, shop_ids: Iterable[UUID]) -> None:
    """Add the rows just inserted (one shop id each) to their shops' totals, in the
    transaction that inserted them."""
    changes = Counter(shop_ids)
    if not changes:
        return
    await adjust_shop_totals(session, changes)


async def adjust_shop_totals(session: AsyncSession, changes: Mapping[UUID, int]) -> None:
    """Shops in id order, so that two transactions never wait for each other's rows."""
    for shop_id in sorted(changes):
        delta = changes[shop_id]
        if delta == 0:
            continue
        statement = insert(shop_totals).values(shop_id=shop_id, customers=delta)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[shop_totals.c.shop_id],
                set_={"customers": shop_totals.c.customers + delta},
            )
        )


async def upsert_snapshots(session: AsyncSession, rows: Iterable[dict[str, Any]]) -> None:
    """Insert or update each row unless a row of the same or a higher revision is there."""
    batch = _latest_per_customer(rows)
    if not batch:
        return
    await lock_customers(session, (row["customer_id"] for row in batch))
    statement = insert(overview).from_select(
        SNAPSHOT_COLUMNS + TAKEN_COLUMNS, _incoming(batch, SNAPSHOT_COLUMNS)
    )
    statement = statement.on_conflict_do_update(
        index_elements=[overview.c.customer_id],
        set_={name: statement.excluded[name] for name in SNAPSHOT_COLUMNS[1:]},
        where=overview.c.revision < statement.excluded.revision,
    )
    # xmax is 0 on a row this statement inserted (an update sets it): new rows are counted.
    written = await session.execute(
        statement.returning(overview.c.shop_id, literal_column("xmax = 0").label("inserted"))
    )
    await count_new_rows(session, (row.shop_id for row in written if row.inserted))
    denied = [row["customer_id"] for row in batch if row["denied"]]
    if denied:
        await drop_sessions_of_denied(session, denied)


async def insert_registered(session: AsyncSession, row: dict[str, Any]) -> None:
    """The basic row of a new customer, unless any row (or a tombstone) is there already."""
    await lock_customers(session, [row["customer_id"]])
    statement = insert(overview).from_select(
        REGISTERED_COLUMNS + TAKEN_COLUMNS, _incoming([row], REGISTERED_COLUMNS)
    )
    inserted = await session.execute(
        statement.on_conflict_do_nothing(index_elements=[overview.c.customer_id]).returning(
            overview.c.shop_id
        )
    )
    await count_new_rows(session, inserted.scalars())


async def drop_sessions_of_denied(session: AsyncSession, customer_ids: Sequence[UUID]) -> None:
    """Log out denied customers; a late 'denied' snapshot spares one allowed again since."""
    allowed_since = exists().where(
        overview.c.customer_id == customer_sessions.c.customer_id,
        overview.c.denied.is_(False),
    )
    await session.execute(
        delete(customer_sessions).where(
            customer_sessions.c.customer_id.in_(customer_ids), ~allowed_since
        )
    )


async def delete_customer(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, deleted_at: datetime
) -> None:
    """Row, discount and billing figures gone, tombstone kept (so nothing brings them back),
    sessions dropped; all idempotent."""
    await lock_customers(session, [customer_id])
    await session.execute(
        insert(deleted_customers)
        .values(customer_id=customer_id, shop_id=shop_id, deleted_at=deleted_at)
        .on_conflict_do_nothing(index_elements=[deleted_customers.c.customer_id])
    )
    removed = await session.execute(
        delete(overview).where(overview.c.customer_id == customer_id).returning(overview.c.shop_id)
    )
    await adjust_shop_totals(session, dict.fromkeys(removed.scalars(), -1))
    await session.execute(
        delete(discounts).where(
            discounts.c.customer_id == customer_id, discounts.c.shop_id == shop_id
        )
    )
    await session.execute(
        delete(figures).where(figures.c.customer_id == customer_id, figures.c.shop_id == shop_id)
    )
    await session.execute(
        delete(customer_sessions).where(customer_sessions.c.customer_id == customer_id)
    )
