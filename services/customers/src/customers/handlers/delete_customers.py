"""P4: the partner deletes one or many customers, all or none, without telling them."""

from contracts.customers import CustomersDeletion, DeleteCustomers
from customers.adapters.customer_deletion import delete_records
from customers.adapters.customer_records import select_records
from customers.adapters.tables import shop_customers
from customers.handlers.refusals import not_in_shop
from service_runtime.database import UnitOfWork


async def delete_customers(command: DeleteCustomers, uow: UnitOfWork) -> CustomersDeletion:
    wanted = list(dict.fromkeys(command.customer_ids))
    records = (
        await uow.session.execute(
            select_records()
            .where(
                shop_customers.c.shop_id == command.shop_id,
                shop_customers.c.customer_id.in_(wanted),
            )
            .order_by(shop_customers.c.customer_id)
            .with_for_update(of=shop_customers)
        )
    ).all()
    found = {r._mapping["customer_id"] for r in records}
    if missing := [str(i) for i in wanted if i not in found]:
        raise not_in_shop("customer", missing)
    await delete_records(uow, command, records, deleted_by="partner")
    return CustomersDeletion(deleted=wanted)
