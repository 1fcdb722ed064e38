"""Pricing a cart through the vouchers service and answering it whole (every cart command)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from billing.adapters.cart_store import CartTotals
from billing.adapters.pricing_client import Pricer, PricingUnavailable
from billing.adapters.shop_settings import ShopTerms
from billing.domain.cart_lines import Line
from billing.domain.carts import StoredCart
from billing.domain.price_inputs import cart_line, price_line, shipping_input
from billing.handlers.refusals import pricing_unavailable
from contracts.base import Message
from contracts.billing import Cart, Product, ShippingOption
from contracts.vouchers import PriceCart, PricedCart, PriceLineInput, ShippingInput


async def price(
    pricer: Pricer,
    cause: Message,
    *,
    customer_id: UUID | None,
    lines: list[PriceLineInput],
    shipping: ShippingInput | None = None,
    voucher_code: str | None = None,
) -> PricedCart:
    """The vouchers service's prices, or 503 pricing_unavailable (the caller keeps nothing)."""
    command = PriceCart.caused_by(
        cause, customer_id=customer_id, lines=lines, shipping=shipping, voucher_code=voucher_code
    )
    try:
        return await pricer.price(command)
    except PricingUnavailable as unavailable:
        raise pricing_unavailable() from unavailable


async def priced_cart(
    pricer: Pricer,
    cause: Message,
    shop: ShopTerms,
    cart: StoredCart,
    lines: Sequence[Line],
    products: Mapping[str, Product],
    shipping_option: ShippingOption | None,
) -> Cart:
    """The cart priced now in its language; deactivated products already in it stay priced.

    ``products`` holds every line's product and ``shipping_option`` the cart's choice: the
    caller read them with the cart (one round trip, see cart_store.load_cart_for_pricing).
    """
    language, fallback = cart.language, shop.default_language
    shipping = (
        None if shipping_option is None else shipping_input(shipping_option, language, fallback)
    )
    pricing = await price(
        pricer,
        cause,
        customer_id=cart.customer_id,
        lines=[price_line(line, products[line.sku], language, fallback) for line in lines],
        shipping=shipping,
        voucher_code=cart.voucher_code,
    )
    return Cart(
        cart_id=cart.cart_id,
        customer_id=cart.customer_id,
        status=cart.status,
        currency=shop.currency,
        language=language,
        lines=[cart_line(line, products[line.sku], language, fallback) for line in lines],
        shipping_option=cart.shipping_option,
        voucher_code=cart.voucher_code,
        pricing=pricing,
        created_at=cart.created_at,
        last_activity_at=cart.last_activity_at,
    )


def totals(answer: Cart) -> CartTotals:
    return CartTotals(
        line_count=len(answer.lines),
        net_total=answer.pricing.net_total,
        gross_total=answer.pricing.gross_total,
    )
