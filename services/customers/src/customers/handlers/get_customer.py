"""P11 and the customer's own profile (GET /me): the sheet of one customer of the shop."""

from contracts.customers import CustomerSheet, GetCustomer
from customers.adapters.customer_sheets import load_sheet
from customers.handlers.refusals import not_in_shop
from service_runtime.database import UnitOfWork


async def get_customer(command: GetCustomer, uow: UnitOfWork) -> CustomerSheet:
    """Another shop's customer is not found (404), like one that does not exist."""
    sheet = await load_sheet(uow.session, command.shop_id, command.customer_id)
    if sheet is None:
        raise not_in_shop("customer")
    return sheet
