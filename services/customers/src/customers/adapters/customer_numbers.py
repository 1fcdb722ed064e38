"""Per-shop customer numbers without gaps: 1, 2, 3, ...

The counter row is incremented inside the registering transaction: its row lock orders
concurrent registrations of one shop, and a rolled-back registration gives its number back.
"""

from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from customers.adapters.tables import customer_number_counters as counters


async def next_customer_number(session: AsyncSession, shop_id: UUID) -> int:
    statement = (
        insert(counters)
        .values(shop_id=shop_id, last_number=1)
        .on_conflict_do_update(
            index_elements=[counters.c.shop_id], set_={"last_number": counters.c.last_number + 1}
        )
        .returning(counters.c.last_number)
    )
    number: int = (await session.execute(statement)).scalar_one()
    return number
