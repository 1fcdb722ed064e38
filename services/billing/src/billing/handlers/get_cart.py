"""A storefront reads a cart: repriced now (prices and vouchers may have changed), never written."""

from __future__ import annotations

from dataclasses import replace

from billing.adapters.cart_store import load_cart, load_lines
from billing.adapters.pricing_client import Pricer
from billing.domain.carts import visible_to
from billing.handlers.cart_pricing import priced_cart
from billing.handlers.refusals import cart_not_found, known_shop
from contracts.billing import Cart, GetCart
from service_runtime.database import UnitOfWork


async def get_cart(command: GetCart, uow: UnitOfWork, *, pricer: Pricer) -> Cart:
    """Reading takes nothing over: a visitor's cart stays the visitor's until it is changed."""
    session = uow.session
    cart = await load_cart(session, command.shop_id, command.cart_id)
    if cart is None or not visible_to(cart, command.customer_id):
        raise cart_not_found()
    shop = await known_shop(session, command.shop_id)
    lines = await load_lines(session, command.shop_id, command.cart_id)
    shown = replace(cart, language=command.language or cart.language)
    return await priced_cart(session, pricer, command, shop, shown, lines)
