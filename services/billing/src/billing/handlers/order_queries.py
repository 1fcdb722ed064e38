"""Reading orders: one order, and a page of the shop's orders (B3, A8, P11)."""

from __future__ import annotations

from billing.adapters.order_records import list_orders as list_order_rows
from billing.adapters.order_records import load_order
from billing.handlers.order_refusals import order_not_found
from billing.handlers.payments import shop_terms
from contracts.billing import GetOrder, ListOrders, Order, OrderPage
from service_runtime.database import UnitOfWork


async def get_order(command: GetOrder, uow: UnitOfWork) -> Order:
    """With ``customer_id``, another customer's order (or a guest's) is 'not found'."""
    order = await load_order(uow.session, command.shop_id, command.order_id)
    if order is None:
        await shop_terms(uow.session, command.shop_id)
        raise order_not_found()
    if command.customer_id is not None and order.customer_id != command.customer_id:
        raise order_not_found()
    return order


async def list_orders(command: ListOrders, uow: UnitOfWork) -> OrderPage:
    await shop_terms(uow.session, command.shop_id)
    items, total = await list_order_rows(
        uow.session,
        command.shop_id,
        customer_id=command.customer_id,
        status=command.status,
        page=command.page,
        size=command.size,
    )
    return OrderPage(items=items, total=total, page=command.page, size=command.size)
