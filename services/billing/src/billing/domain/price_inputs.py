"""What the vouchers service prices, built from the price list in the reader's language."""

from __future__ import annotations

from billing.domain.cart_lines import Line
from contracts.billing import CartLine, Product, ProductionOption, ShippingOption
from contracts.gateway import Language
from contracts.vouchers import PriceLineInput, ShippingInput


def effective_option(product: Product, code: str) -> ProductionOption:
    """The line's option, or the product's default when the partner no longer offers it."""
    for option in product.production_options:
        if option.code == code:
            return option
    return product.production_options[0]


def price_line(
    line: Line, product: Product, language: Language, fallback: Language
) -> PriceLineInput:
    option = effective_option(product, line.production_option)
    return PriceLineInput(
        line_id=line.line_id,
        sku=line.sku,
        name=product.names.pick(language, fallback),
        quantity=line.quantity,
        unit_net=product.unit_net,
        production_option=option.code,
        production_option_name=option.names.pick(language, fallback),
        surcharge_unit_net=option.surcharge_unit_net,
        vat_rate=product.vat_rate,
    )


def cart_line(line: Line, product: Product, language: Language, fallback: Language) -> CartLine:
    return CartLine(
        line_id=line.line_id,
        sku=line.sku,
        name=product.names.pick(language, fallback),
        quantity=line.quantity,
        production_option=effective_option(product, line.production_option).code,
    )


def shipping_input(option: ShippingOption, language: Language, fallback: Language) -> ShippingInput:
    return ShippingInput(
        code=option.code,
        name=option.names.pick(language, fallback),
        net=option.net,
        vat_rate=option.vat_rate,
    )
