"""Customer discounts and the overview's "SC" marker (V1, V2), whichever event comes first.

A discount may arrive before the customer's overview row (the row then takes it from
``customer_discounts`` when it is inserted) or after it (the row is updated here). The
per-customer advisory lock of the overview's writes orders the two, so neither is lost.
"""

from decimal import Decimal
from uuid import UUID

from sqlalchemy import exists, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.overview_writes import lock_customers
from gateway.adapters.tables import customer_discounts as discounts
from gateway.adapters.tables import customer_overview as overview
from gateway.adapters.tables import deleted_customers


async def record_discount(
    session: AsyncSession,
    *,
    shop_id: UUID,
    customer_id: UUID,
    discount_percent: Decimal | None,
    special_condition: bool,
    revision: int,
) -> bool:
    """Keep the discount unless a same or higher revision (or a tombstone) is there; True
    when it was applied, and then the customer's overview row shows it too."""
    await lock_customers(session, [customer_id])
    tombstoned = await session.scalar(
        select(exists().where(deleted_customers.c.customer_id == customer_id))
    )
    if tombstoned:
        return False
    statement = insert(discounts).values(
        customer_id=customer_id,
        shop_id=shop_id,
        discount_percent=discount_percent,
        special_condition=special_condition,
        revision=revision,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[discounts.c.customer_id],
        set_={
            "discount_percent": statement.excluded.discount_percent,
            "special_condition": statement.excluded.special_condition,
            "revision": statement.excluded.revision,
        },
        where=(discounts.c.revision < statement.excluded.revision)
        & (discounts.c.shop_id == statement.excluded.shop_id),
    )
    applied = (
        await session.execute(statement.returning(discounts.c.customer_id))
    ).first() is not None
    if applied:
        await session.execute(
            update(overview)
            .where(overview.c.shop_id == shop_id, overview.c.customer_id == customer_id)
            .values(discount_percent=discount_percent, special_condition=special_condition)
        )
    return applied
