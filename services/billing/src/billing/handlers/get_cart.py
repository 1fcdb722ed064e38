"""A storefront reads a cart: repriced now (prices and vouchers may have changed), never written."""

from __future__ import annotations

from dataclasses import replace

from billing.adapters.cart_store import load_cart_for_pricing
from billing.adapters.pricing_client import Pricer
from billing.domain.carts import visible_to
from billing.handlers.cart_pricing import priced_cart
from billing.handlers.refusals import cart_not_found
from contracts.billing import Cart, GetCart
from service_runtime.database import UnitOfWork


async def get_cart(command: GetCart, uow: UnitOfWork, *, pricer: Pricer) -> Cart:
    """Reading takes nothing over: a visitor's cart stays the visitor's until it is changed."""
    loaded = await load_cart_for_pricing(uow.session, command.shop_id, command.cart_id)
    if loaded is None or not visible_to(loaded.cart, command.customer_id):
        raise cart_not_found()
    shown = replace(loaded.cart, language=command.language or loaded.cart.language)
    return await priced_cart(
        pricer, command, loaded.shop, shown, loaded.lines, loaded.products, loaded.shipping
    )
