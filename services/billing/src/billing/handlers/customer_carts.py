"""A customer's carts for the customer sheet (P11), and forgetting them when they leave."""

from billing.adapters.cart_store import customer_carts, delete_customer_carts
from contracts.billing import CustomerCarts, ListCustomerCarts
from contracts.customers import CustomerDeleted
from service_runtime.database import UnitOfWork


async def list_customer_carts(command: ListCustomerCarts, uow: UnitOfWork) -> CustomerCarts:
    """Open and abandoned carts (ordered ones belong to orders), latest activity first."""
    items = await customer_carts(uow.session, command.shop_id, command.customer_id)
    return CustomerCarts(items=items)


async def forget_customer_carts(event: CustomerDeleted, uow: UnitOfWork) -> None:
    """A deleted customer's carts go, lines and all (orders are kept elsewhere)."""
    await delete_customer_carts(uow.session, event.shop_id, event.customer_id)
