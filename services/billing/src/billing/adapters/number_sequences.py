"""Per-shop numbers people see (orders, invoices): sequential and gap-free.

A number is taken by one upsert in the transaction that uses it. The row stays locked until
that transaction ends, so a rollback gives the number back and concurrent takers queue:
PostgreSQL sequences would be faster but leave gaps, which an invoice series may not have.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import number_sequences


async def take_next(session: AsyncSession, shop_id: UUID, name: str) -> int:
    """The next number of the shop's sequence ``name`` (1 for a new sequence)."""
    statement = insert(number_sequences).values(shop_id=shop_id, name=name, last_value=1)
    taken = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[number_sequences.c.shop_id, number_sequences.c.name],
            set_={"last_value": number_sequences.c.last_value + 1},
        ).returning(number_sequences.c.last_value)
    )
    return int(taken.scalar_one())
