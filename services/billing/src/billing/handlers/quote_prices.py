"""Prices of products for a customer or a visitor, before anything goes into a cart."""

from __future__ import annotations

from uuid import uuid4

from billing.adapters.price_list import load_products
from billing.adapters.pricing_client import Pricer
from billing.domain.cart_lines import ItemRefused, Line, check_item
from billing.domain.price_inputs import price_line
from billing.handlers.cart_pricing import price
from billing.handlers.refusals import invalid_input, known_shop
from contracts.base import FieldError
from contracts.billing import PriceQuote, QuotePrices
from contracts.vouchers import PriceLineInput
from service_runtime.database import UnitOfWork


async def quote_prices(command: QuotePrices, uow: UnitOfWork, *, pricer: Pricer) -> PriceQuote:
    """One priced line per item asked for (no merging), without voucher or shipping."""
    shop = await known_shop(uow.session, command.shop_id)
    products = await load_products(uow.session, command.shop_id, {i.sku for i in command.items})
    language = command.language or shop.default_language
    problems: list[FieldError] = []
    inputs: list[PriceLineInput] = []
    for index, item in enumerate(command.items):
        product = products.get(item.sku)
        try:
            option = check_item(product, item, f"items.{index}")
        except ItemRefused as refused:
            problems.extend(refused.problems)
            continue
        line = Line(uuid4(), item.sku, item.quantity, option, index)
        inputs.append(price_line(line, products[item.sku], language, shop.default_language))
    if problems:
        raise invalid_input(problems)
    pricing = await price(pricer, command, customer_id=command.customer_id, lines=inputs)
    return PriceQuote(currency=shop.currency, pricing=pricing)
