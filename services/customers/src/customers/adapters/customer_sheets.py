"""The customer sheet (P11, and the customer's own profile): record, group, notes, login facts."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.customers import CustomerGroup, CustomerNote, CustomerSheet
from customers.adapters.customer_records import load_record, snapshot_of
from customers.adapters.tables import customer_groups, customer_notes, shop_customers


async def load_sheet(
    session: AsyncSession, shop_id: UUID, customer_id: UUID
) -> CustomerSheet | None:
    """The sheet of one customer of ``shop_id``; None when the shop has no such customer."""
    row = await load_record(session, shop_id, customer_id)
    if row is None:
        return None
    snapshot = snapshot_of(row)
    group = None
    if snapshot.group_id is not None:
        found = (
            await session.execute(
                select(
                    customer_groups.c.group_id, customer_groups.c.name, customer_groups.c.system_key
                ).where(customer_groups.c.group_id == snapshot.group_id)
            )
        ).first()
        if found is not None:
            group = CustomerGroup(
                group_id=found.group_id, name=found.name, system_key=found.system_key
            )
    notes = [
        CustomerNote(note_id=n.note_id, text=n.text, author=n.author, created_at=n.created_at)
        for n in await session.execute(
            select(
                customer_notes.c.note_id,
                customer_notes.c.text,
                customer_notes.c.author,
                customer_notes.c.created_at,
            )
            .where(customer_notes.c.customer_id == customer_id)
            .order_by(customer_notes.c.created_at.desc(), customer_notes.c.note_id)
        )
    ]
    shared = await session.scalar(
        select(
            exists().where(
                shop_customers.c.identity_id == snapshot.identity_id,
                shop_customers.c.customer_id != customer_id,
            )
        )
    )
    mapping = row._mapping
    return CustomerSheet(
        customer=snapshot,
        group=group,
        notes=notes,
        last_login_at=mapping["last_login_at"],
        password_set=mapping["password_hash"] is not None,
        shared=bool(shared),
    )
