"""Keeps the partner's customer overview (O1, P8) from the customers service's events.

Every handler is idempotent and order-independent: snapshots carry a revision and only a
higher one replaces a row, deletions leave a tombstone, group names carry their change time.
"""

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert

from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerEmailVerified,
    CustomerGroupChanged,
    CustomerRegistered,
    CustomersImported,
)
from gateway.adapters.overview_writes import delete_customer, insert_registered, upsert_snapshots
from gateway.adapters.tables import customer_overview as overview
from gateway.adapters.tables import overview_groups
from gateway.domain.overview_rows import registered_row, snapshot_row
from service_runtime.database import UnitOfWork


async def add_customer(event: CustomerRegistered, uow: UnitOfWork) -> None:
    """List the new customer at once, before the record's first CustomerChanged."""
    await insert_registered(uow.session, registered_row(event))


async def mark_email_verified(event: CustomerEmailVerified, uow: UnitOfWork) -> None:
    """A row not there yet is no error: its CustomerChanged brings the verified state."""
    await uow.session.execute(
        update(overview)
        .where(overview.c.shop_id == event.shop_id, overview.c.customer_id == event.customer_id)
        .values(email_verified=True)
    )


async def apply_customer_changed(event: CustomerChanged, uow: UnitOfWork) -> None:
    await upsert_snapshots(uow.session, [snapshot_row(event.shop_id, event.customer)])


async def apply_customers_imported(event: CustomersImported, uow: UnitOfWork) -> None:
    """One statement for the whole chunk (up to 500 records)."""
    await upsert_snapshots(
        uow.session, [snapshot_row(event.shop_id, customer) for customer in event.customers]
    )


async def remove_customer(event: CustomerDeleted, uow: UnitOfWork) -> None:
    await delete_customer(uow.session, event.shop_id, event.customer_id, event.deleted_at)


async def apply_group_changed(event: CustomerGroupChanged, uow: UnitOfWork) -> None:
    """Keep the newest name of a group; a deleted group leaves the overview's names."""
    group = event.group
    if event.deleted:
        await uow.session.execute(
            delete(overview_groups).where(
                overview_groups.c.group_id == group.group_id,
                overview_groups.c.shop_id == event.shop_id,
            )
        )
        return
    statement = insert(overview_groups).values(
        group_id=group.group_id,
        shop_id=event.shop_id,
        name=group.name,
        system_key=group.system_key,
        changed_at=event.changed_at,
    )
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[overview_groups.c.group_id],
            set_={
                "name": statement.excluded.name,
                "system_key": statement.excluded.system_key,
                "changed_at": statement.excluded.changed_at,
            },
            where=overview_groups.c.changed_at < statement.excluded.changed_at,
        )
    )
