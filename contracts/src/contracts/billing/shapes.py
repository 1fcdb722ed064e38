"""Shapes the billing service's messages share: the price list and carts (B1)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from contracts.gateway import Language
from contracts.money import Money, PositiveMoney, UnitPrice, VatRate
from contracts.vouchers.shapes import PricedCart

OptionCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
"""Option codes: lower-case letters, digits, '-' and '_' (e.g. 'express', 'standard-post')."""


class Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Names(Shape):
    """A name per language; the shop's default language is used where one is missing."""

    en: str | None = Field(default=None, max_length=200)
    fr: str | None = Field(default=None, max_length=200)
    de: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def at_least_one(self) -> Names:
        if not any(n and n.strip() for n in (self.en, self.fr, self.de)):
            raise ValueError("give a name in at least one language (en, fr or de)")
        return self

    def pick(self, language: Language, fallback: Language = "en") -> str:
        return (
            getattr(self, language)
            or getattr(self, fallback)
            or next(n for n in (self.en, self.fr, self.de) if n and n.strip())
        )


class ProductionOption(Shape):
    """A production time (standard, express, ...) and its net surcharge per unit."""

    code: OptionCode
    names: Names
    surcharge_unit_net: UnitPrice = Decimal("0")


class ProductTerms(Shape):
    """What a price-list entry says about its product; the partner API takes the SKU from
    its path, so this part is shared with the gateway's request body."""

    names: Names
    unit_net: UnitPrice = Field(description="The shop's net selling price per unit.")
    wholesale_unit_cost: UnitPrice = Field(
        description="What the print provider charges the partner per unit (provider revenue)."
    )
    vat_rate: VatRate
    production_options: Sequence[ProductionOption] = Field(
        min_length=1, max_length=20, description="The first is the default."
    )
    min_quantity: int = Field(default=1, ge=1)
    max_quantity: int = Field(default=100_000, ge=1, le=10_000_000)
    active: bool = Field(default=True, description="Inactive products cannot be added to carts.")

    @field_validator("production_options")
    @classmethod
    def unique_codes(cls, value: Sequence[ProductionOption]) -> Sequence[ProductionOption]:
        codes = [o.code for o in value]
        if len(set(codes)) != len(codes):
            raise ValueError("option codes must be unique")
        return value


class ProductInput(ProductTerms):
    """A product of the provider's range at the shop's own price (one price-list entry)."""

    sku: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class Product(ProductInput):
    updated_at: AwareDatetime


class ShippingOptionTerms(Shape):
    """A shipping option but its code (the partner API takes the code from its path)."""

    names: Names
    net: PositiveMoney
    vat_rate: VatRate
    active: bool = True


class ShippingOptionInput(ShippingOptionTerms):
    code: OptionCode


class ShippingOption(ShippingOptionInput):
    updated_at: AwareDatetime


class ItemRequest(Shape):
    """What a storefront sends for a product: never a price."""

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=10_000_000)
    production_option: str | None = Field(default=None, description="None: the product's first.")


CartStatus = Literal["open", "abandoned", "ordered"]


class CartLine(Shape):
    line_id: UUID
    sku: str
    name: str
    quantity: int
    production_option: str


class Cart(Shape):
    """A cart with its current pricing (repriced on every change)."""

    cart_id: UUID
    customer_id: UUID | None = Field(description="None: an anonymous visitor's cart.")
    status: CartStatus
    currency: str
    language: Language
    lines: list[CartLine]
    shipping_option: str | None
    voucher_code: str | None
    pricing: PricedCart
    created_at: AwareDatetime
    last_activity_at: AwareDatetime


class CartSummary(Shape):
    """A cart as the customer sheet lists it (P11, B1)."""

    cart_id: UUID
    status: CartStatus
    line_count: int
    net_total: Money
    gross_total: Money
    currency: str
    created_at: AwareDatetime
    last_activity_at: AwareDatetime
    abandoned_at: AwareDatetime | None = None
