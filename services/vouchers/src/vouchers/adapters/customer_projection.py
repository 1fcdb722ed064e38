"""Keeps the customers and groups the customers service announces, set-based and order-tolerant."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Integer,
    String,
    Uuid,
    cast,
    column,
    delete,
    exists,
    select,
    values,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.customers import CustomerGroup, CustomerSnapshot
from vouchers.adapters.tables import customer_groups, customers, deleted_records

SNAPSHOT_COLUMNS = (
    "shop_id",
    "customer_id",
    "customer_number",
    "first_name",
    "last_name",
    "email",
    "group_id",
    "tax_exempt",
    "revision",
)


def newest_per_customer(snapshots: Iterable[CustomerSnapshot]) -> list[CustomerSnapshot]:
    """One snapshot per customer, the highest revision: a chunk may hold a customer twice."""
    newest: dict[UUID, CustomerSnapshot] = {}
    for snapshot in snapshots:
        kept = newest.get(snapshot.customer_id)
        if kept is None or snapshot.revision > kept.revision:
            newest[snapshot.customer_id] = snapshot
    return list(newest.values())


async def upsert_snapshots(
    session: AsyncSession, shop_id: UUID, snapshots: Iterable[CustomerSnapshot]
) -> None:
    """One statement per chunk; higher revisions only, discount untouched, deleted stay deleted."""
    rows = [
        (
            shop_id,
            s.customer_id,
            s.customer_number,
            s.first_name,
            s.last_name,
            s.email,
            s.group_id,
            s.tax_exempt,
            s.revision,
        )
        for s in newest_per_customer(snapshots)
    ]
    if not rows:
        return
    incoming = values(
        column("shop_id", Uuid),
        column("customer_id", Uuid),
        column("customer_number", Integer),
        column("first_name", String),
        column("last_name", String),
        column("email", String),
        column("group_id", Uuid),
        column("tax_exempt", Boolean),
        column("revision", Integer),
        name="incoming",
    ).data(rows)
    not_deleted = ~exists().where(
        deleted_records.c.shop_id == incoming.c.shop_id,
        deleted_records.c.record_id == incoming.c.customer_id,
    )
    # Typed columns: VALUES renders a None as a bare NULL, which PostgreSQL reads as text.
    typed = [cast(incoming.c[name], customers.c[name].type) for name in SNAPSHOT_COLUMNS]
    statement = insert(customers).from_select(
        list(SNAPSHOT_COLUMNS), select(*typed).where(not_deleted)
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[customers.c.shop_id, customers.c.customer_id],
            set_={name: statement.excluded[name] for name in SNAPSHOT_COLUMNS[2:]},
            where=customers.c.revision < statement.excluded.revision,
        )
    )


async def remember_deletion(
    session: AsyncSession,
    shop_id: UUID,
    record_id: UUID,
    kind: Literal["customer", "group"],
    at: datetime,
) -> None:
    await session.execute(
        insert(deleted_records)
        .values(shop_id=shop_id, record_id=record_id, kind=kind, deleted_at=at)
        .on_conflict_do_nothing()
    )


async def delete_customer(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, at: datetime
) -> None:
    """The row goes, its discount with it; the tombstone keeps a late snapshot out."""
    await remember_deletion(session, shop_id, customer_id, "customer", at)
    await session.execute(
        delete(customers).where(
            customers.c.shop_id == shop_id, customers.c.customer_id == customer_id
        )
    )


async def upsert_group(
    session: AsyncSession, shop_id: UUID, group: CustomerGroup, changed_at: datetime
) -> None:
    """Name and system key follow the newest change; the adjustment set here is kept."""
    deleted = await session.scalar(
        select(
            exists().where(
                deleted_records.c.shop_id == shop_id,
                deleted_records.c.record_id == group.group_id,
            )
        )
    )
    if deleted:
        return
    statement = insert(customer_groups).values(
        shop_id=shop_id,
        group_id=group.group_id,
        name=group.name,
        system_key=group.system_key,
        changed_at=changed_at,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[customer_groups.c.shop_id, customer_groups.c.group_id],
            set_={
                "name": statement.excluded.name,
                "system_key": statement.excluded.system_key,
                "changed_at": statement.excluded.changed_at,
            },
            where=customer_groups.c.changed_at <= statement.excluded.changed_at,
        )
    )


async def delete_group(session: AsyncSession, shop_id: UUID, group_id: UUID, at: datetime) -> None:
    await remember_deletion(session, shop_id, group_id, "group", at)
    await session.execute(
        delete(customer_groups).where(
            customer_groups.c.shop_id == shop_id, customer_groups.c.group_id == group_id
        )
    )
