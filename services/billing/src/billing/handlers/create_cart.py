"""A storefront opens a cart, for a visitor or a logged-in customer, maybe with first items."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from billing.adapters.cart_store import insert_cart, save_lines
from billing.adapters.price_list import load_products
from billing.adapters.pricing_client import Pricer
from billing.domain.cart_lines import MAX_LINES, CartFull, ItemRefused, Line, add_item
from billing.domain.carts import StoredCart
from billing.handlers.cart_pricing import priced_cart, totals
from billing.handlers.refusals import cart_full, invalid_input, known_shop
from contracts.base import FieldError
from contracts.billing import Cart, CreateCart
from service_runtime.database import UnitOfWork


async def create_cart(command: CreateCart, uow: UnitOfWork, *, pricer: Pricer) -> Cart:
    """Items are added one by one as AddCartLine adds them; every bad field is named at once."""
    session = uow.session
    shop = await known_shop(session, command.shop_id)
    products = await load_products(session, command.shop_id, {i.sku for i in command.items})
    lines: list[Line] = []
    problems: list[FieldError] = []
    for index, item in enumerate(command.items):
        prefix = f"items.{index}"
        try:
            lines = add_item(
                lines, products.get(item.sku), item, prefix=prefix, new_line_id=uuid4()
            )
        except ItemRefused as refused:
            problems.extend(refused.problems)
        except CartFull as full:
            raise cart_full(MAX_LINES, field=prefix) from full
    if problems:
        raise invalid_input(problems)
    now = datetime.now(UTC)
    cart = StoredCart(
        cart_id=uuid4(),
        shop_id=command.shop_id,
        customer_id=command.customer_id,
        status="open",
        language=command.language or shop.default_language,
        shipping_option=None,
        voucher_code=None,
        created_at=now,
        last_activity_at=now,
    )
    answer = await priced_cart(pricer, command, shop, cart, lines, products, None)
    await insert_cart(session, cart, totals(answer))
    await save_lines(session, cart, [], lines)
    return answer
