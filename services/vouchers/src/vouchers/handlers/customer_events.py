"""Follow the customers service's customers and groups; pricing never reads its database."""

from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerGroupChanged,
    CustomersImported,
)
from service_runtime.database import UnitOfWork
from vouchers.adapters.customer_projection import (
    delete_customer,
    delete_group,
    upsert_group,
    upsert_snapshots,
)


async def record_customer_change(event: CustomerChanged, uow: UnitOfWork) -> None:
    await upsert_snapshots(uow.session, event.shop_id, [event.customer])


async def record_customers_imported(event: CustomersImported, uow: UnitOfWork) -> None:
    await upsert_snapshots(uow.session, event.shop_id, event.customers)


async def forget_customer(event: CustomerDeleted, uow: UnitOfWork) -> None:
    await delete_customer(uow.session, event.shop_id, event.customer_id, event.deleted_at)


async def record_group_change(event: CustomerGroupChanged, uow: UnitOfWork) -> None:
    if event.deleted:
        await delete_group(uow.session, event.shop_id, event.group.group_id, event.changed_at)
    else:
        await upsert_group(uow.session, event.shop_id, event.group, event.changed_at)
