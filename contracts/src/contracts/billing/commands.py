"""Commands the billing service answers: the price list (partner) and carts (storefront)."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from contracts.base import Command
from contracts.billing.shapes import (
    CartSummary,
    ItemRequest,
    Product,
    ProductInput,
    Shape,
    ShippingOption,
    ShippingOptionInput,
)
from contracts.gateway import Language
from contracts.vouchers.shapes import PricedCart


class BillingCommand(Command):
    OWNER: ClassVar[str] = "billing"


# -- price list (partner) -----------------------------------------------------------------


class PutProduct(BillingCommand):
    """Create a product in the shop's price list or replace it (keyed by SKU)."""

    ROUTING_KEY: ClassVar[str] = "billing.put_product.v1"
    type: Literal["PutProduct"] = "PutProduct"
    version: Literal[1] = 1

    product: ProductInput


class ProductSaved(Shape):
    product: Product
    created: bool


class GetProduct(BillingCommand):
    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.get_product.v1"
    type: Literal["GetProduct"] = "GetProduct"
    version: Literal[1] = 1

    sku: str


class ListProducts(BillingCommand):
    """The shop's price list (products and shipping options), SKU order."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.list_products.v1"
    type: Literal["ListProducts"] = "ListProducts"
    version: Literal[1] = 1

    include_inactive: bool = Field(default=True, description="False for storefronts.")


class PriceList(Shape):
    currency: str
    products: list[Product]
    shipping_options: list[ShippingOption]


class PutShippingOption(BillingCommand):
    """Create a shipping option or replace it (keyed by code)."""

    ROUTING_KEY: ClassVar[str] = "billing.put_shipping_option.v1"
    type: Literal["PutShippingOption"] = "PutShippingOption"
    version: Literal[1] = 1

    option: ShippingOptionInput


class ShippingOptionSaved(Shape):
    option: ShippingOption
    created: bool


class CartSettings(Shape):
    abandon_after_hours: int = Field(
        default=24,
        ge=1,
        le=24 * 90,
        description="Hours without activity before a cart is abandoned.",
    )


class ConfigureCarts(BillingCommand):
    ROUTING_KEY: ClassVar[str] = "billing.configure_carts.v1"
    type: Literal["ConfigureCarts"] = "ConfigureCarts"
    version: Literal[1] = 1

    settings: CartSettings


class GetCartSettings(BillingCommand):
    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.get_cart_settings.v1"
    type: Literal["GetCartSettings"] = "GetCartSettings"
    version: Literal[1] = 1


# -- carts (storefront) -------------------------------------------------------------------


class CartCommand(BillingCommand):
    """Acts on one cart for a caller: ``customer_id`` is the logged-in customer, None a visitor.

    A visitor's cart is reached by its id alone; a customer's cart only by that customer
    (anyone else gets 404). A customer who opens a visitor's cart takes it over.
    """

    cart_id: UUID
    customer_id: UUID | None = None
    language: Language | None = Field(default=None, description="Names in this language.")


class CreateCart(BillingCommand):
    ROUTING_KEY: ClassVar[str] = "billing.create_cart.v1"
    type: Literal["CreateCart"] = "CreateCart"
    version: Literal[1] = 1

    customer_id: UUID | None = None
    language: Language | None = None
    items: list[ItemRequest] = Field(default_factory=list, max_length=200)


class GetCart(CartCommand):
    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.get_cart.v1"
    type: Literal["GetCart"] = "GetCart"
    version: Literal[1] = 1


class AddCartLine(CartCommand):
    ROUTING_KEY: ClassVar[str] = "billing.add_cart_line.v1"
    type: Literal["AddCartLine"] = "AddCartLine"
    version: Literal[1] = 1

    item: ItemRequest


class ChangeCartLine(CartCommand):
    ROUTING_KEY: ClassVar[str] = "billing.change_cart_line.v1"
    type: Literal["ChangeCartLine"] = "ChangeCartLine"
    version: Literal[1] = 1

    line_id: UUID
    quantity: int | None = Field(default=None, ge=1, le=10_000_000)
    production_option: str | None = None


class RemoveCartLine(CartCommand):
    ROUTING_KEY: ClassVar[str] = "billing.remove_cart_line.v1"
    type: Literal["RemoveCartLine"] = "RemoveCartLine"
    version: Literal[1] = 1

    line_id: UUID


class ChooseShipping(CartCommand):
    ROUTING_KEY: ClassVar[str] = "billing.choose_shipping.v1"
    type: Literal["ChooseShipping"] = "ChooseShipping"
    version: Literal[1] = 1

    shipping_option: str | None = Field(description="None removes the choice.")


class ApplyVoucherCode(CartCommand):
    """Put a voucher code on the cart; refused with the reason when it cannot apply now."""

    ROUTING_KEY: ClassVar[str] = "billing.apply_voucher_code.v1"
    type: Literal["ApplyVoucherCode"] = "ApplyVoucherCode"
    version: Literal[1] = 1

    code: str = Field(min_length=1, max_length=60)


class RemoveVoucherCode(CartCommand):
    ROUTING_KEY: ClassVar[str] = "billing.remove_voucher_code.v1"
    type: Literal["RemoveVoucherCode"] = "RemoveVoucherCode"
    version: Literal[1] = 1


class QuotePrices(BillingCommand):
    """Prices of products for a customer (discounts applied) or a visitor (Visitor group)."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.quote_prices.v1"
    type: Literal["QuotePrices"] = "QuotePrices"
    version: Literal[1] = 1

    customer_id: UUID | None = None
    language: Language | None = None
    items: list[ItemRequest] = Field(min_length=1, max_length=200)


class PriceQuote(Shape):
    currency: str
    pricing: PricedCart = Field(description="One line per item asked for; no voucher, no shipping.")


class ListCustomerCarts(BillingCommand):
    """A customer's open and abandoned carts, for the customer sheet (P11)."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.list_customer_carts.v1"
    type: Literal["ListCustomerCarts"] = "ListCustomerCarts"
    version: Literal[1] = 1

    customer_id: UUID


class CustomerCarts(Shape):
    items: list[CartSummary]


__all__ = [
    "AddCartLine",
    "ApplyVoucherCode",
    "CartCommand",
    "CartSettings",
    "ChangeCartLine",
    "ChooseShipping",
    "ConfigureCarts",
    "CreateCart",
    "CustomerCarts",
    "GetCart",
    "GetCartSettings",
    "GetProduct",
    "ListCustomerCarts",
    "ListProducts",
    "PriceList",
    "PriceQuote",
    "ProductSaved",
    "PutProduct",
    "PutShippingOption",
    "QuotePrices",
    "RemoveCartLine",
    "RemoveVoucherCode",
    "ShippingOptionSaved",
]
