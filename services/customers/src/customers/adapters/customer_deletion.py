"""Deletes shop records (P4, A9): the event first, then the record, then a person left with none.

Notes, codes and one-time tokens go with the record (ON DELETE CASCADE). An identity is
kept while any shop still has a record of the person; the last deletion removes it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID, uuid4

from sqlalchemy import Row, delete, exists, select

from contracts.base import Message
from contracts.customers import CustomerDeleted
from customers.adapters.tables import identities, shop_customers
from service_runtime.database import UnitOfWork


async def delete_records(
    uow: UnitOfWork,
    cause: Message,
    records: Sequence[Row[tuple[object, ...]]],
    *,
    deleted_by: Literal["customer", "partner"],
    comment: str | None = None,
) -> datetime:
    """Delete the given records (rows of ``select_records``); returns when it happened."""
    now = datetime.now(UTC)
    if not records:
        return now
    session = uow.session
    identity_ids = sorted({r._mapping["identity_id"] for r in records})
    # Locked first: a login in another shop (A6) cannot add a record to an identity we may delete.
    await session.execute(
        select(identities.c.identity_id)
        .where(identities.c.identity_id.in_(identity_ids))
        .order_by(identities.c.identity_id)
        .with_for_update()
    )
    for record in records:
        r = record._mapping
        uow.emit(
            CustomerDeleted.caused_by(
                cause,
                customer_id=r["customer_id"],
                identity_id=r["identity_id"],
                customer_number=r["customer_number"],
                pseudonym_id=uuid4(),
                deleted_by=deleted_by,
                comment=comment,
                email=r["email"],
                first_name=r["first_name"],
                last_name=r["last_name"],
                deleted_at=now,
            )
        )
    customer_ids: list[UUID] = [r._mapping["customer_id"] for r in records]
    await session.execute(
        delete(shop_customers).where(shop_customers.c.customer_id.in_(customer_ids))
    )
    await session.execute(
        delete(identities).where(
            identities.c.identity_id.in_(identity_ids),
            ~exists().where(shop_customers.c.identity_id == identities.c.identity_id),
        )
    )
    return now
