"""P3: deny a customer (the gateway drops their tokens on seeing denied=true) or allow again."""

from sqlalchemy import update

from contracts.customers import CustomerSheet, SetCustomerDenied
from customers.adapters.customer_records import announce_changes, load_record
from customers.adapters.customer_sheets import load_sheet
from customers.adapters.tables import shop_customers
from customers.handlers.refusals import not_in_shop
from service_runtime.database import UnitOfWork


async def set_customer_denied(command: SetCustomerDenied, uow: UnitOfWork) -> CustomerSheet:
    session = uow.session
    record = await load_record(session, command.shop_id, command.customer_id, lock=True)
    if record is None:
        raise not_in_shop("customer")
    if record._mapping["denied"] != command.denied:
        await session.execute(
            update(shop_customers)
            .where(shop_customers.c.customer_id == command.customer_id)
            .values(denied=command.denied)
        )
        await announce_changes(uow, command, [command.customer_id])
    sheet = await load_sheet(session, command.shop_id, command.customer_id)
    assert sheet is not None  # locked above, so still there
    return sheet
