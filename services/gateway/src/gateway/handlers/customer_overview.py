"""Keeps the partner's customer overview (O1) from the customers service's events."""

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert

from contracts.customers import CustomerEmailVerified, CustomerRegistered
from gateway.adapters.tables import customer_overview as overview
from service_runtime.database import UnitOfWork


class NotYetInReadModel(Exception):
    """An update arrived before the row it updates; the broker redelivers it."""


async def add_customer(event: CustomerRegistered, uow: UnitOfWork) -> None:
    await uow.session.execute(
        insert(overview)
        .values(
            customer_id=event.customer_id,
            shop_id=event.shop_id,
            customer_number=event.customer_number,
            first_name=event.first_name,
            last_name=event.last_name,
            sort_name=f"{event.last_name} {event.first_name}".lower(),
            email=event.email,
            email_verified=event.email_verified,
            registered_at=event.registered_at,
            profile_changed_at=event.registered_at,
        )
        .on_conflict_do_nothing()
    )


async def mark_email_verified(event: CustomerEmailVerified, uow: UnitOfWork) -> None:
    result = await uow.session.execute(
        update(overview)
        .where(overview.c.shop_id == event.shop_id, overview.c.customer_id == event.customer_id)
        .values(email_verified=True)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotYetInReadModel(str(event.customer_id))
