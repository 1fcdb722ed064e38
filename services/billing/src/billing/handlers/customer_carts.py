"""A customer's carts for the customer sheet (P11); customer_copy forgets them with the customer."""

from billing.adapters.cart_store import customer_carts
from contracts.billing import CustomerCarts, ListCustomerCarts
from service_runtime.database import UnitOfWork


async def list_customer_carts(command: ListCustomerCarts, uow: UnitOfWork) -> CustomerCarts:
    """Open and abandoned carts (ordered ones belong to orders), latest activity first."""
    items = await customer_carts(uow.session, command.shop_id, command.customer_id)
    return CustomerCarts(items=items)
