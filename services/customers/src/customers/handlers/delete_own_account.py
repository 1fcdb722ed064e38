"""A9: a customer deletes their record in this shop; the merchant is told, with the comment."""

from contracts.customers import CustomerDeletion, DeleteOwnAccount
from customers.adapters.customer_deletion import delete_records
from customers.adapters.customer_records import load_record
from customers.handlers.refusals import not_in_shop
from service_runtime.database import UnitOfWork


async def delete_own_account(command: DeleteOwnAccount, uow: UnitOfWork) -> CustomerDeletion:
    record = await load_record(uow.session, command.shop_id, command.customer_id, lock=True)
    if record is None:
        raise not_in_shop("customer")
    comment = (command.comment or "").strip() or None
    deleted_at = await delete_records(
        uow, command, [record], deleted_by="customer", comment=comment
    )
    return CustomerDeletion(customer_id=command.customer_id, deleted_at=deleted_at)
