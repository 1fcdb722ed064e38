"""Follow the customers service's customers (B2 terms, language, address); forget the person
when they are deleted, keeping their orders and invoices under a pseudonym (A9)."""

from __future__ import annotations

from billing.adapters import customer_copy
from billing.adapters.cart_store import delete_customer_carts
from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerRegistered,
    CustomersImported,
)
from service_runtime.database import UnitOfWork


async def record_registration(event: CustomerRegistered, uow: UnitOfWork) -> None:
    """Enough to order at once; the first CustomerChanged brings the terms and the address."""
    await customer_copy.save_registration(uow.session, event)


async def record_customer_change(event: CustomerChanged, uow: UnitOfWork) -> None:
    await customer_copy.save_snapshots(uow.session, event.shop_id, [event.customer])


async def record_customers_imported(event: CustomersImported, uow: UnitOfWork) -> None:
    await customer_copy.save_snapshots(uow.session, event.shop_id, event.customers)


async def forget_customer(event: CustomerDeleted, uow: UnitOfWork) -> None:
    """Carts go; orders, invoices and placements lose the link to the person; the copy goes.

    In this order (carts, orders, customer) so it takes its locks in the order a placement
    (cart, customer) and a cancellation (order, customer) take theirs.
    """
    session = uow.session
    await delete_customer_carts(session, event.shop_id, event.customer_id)
    await customer_copy.pseudonymise(session, event.shop_id, event.customer_id, event.pseudonym_id)
    await customer_copy.forget_customer(
        session, event.shop_id, event.customer_id, event.pseudonym_id, event.deleted_at
    )
