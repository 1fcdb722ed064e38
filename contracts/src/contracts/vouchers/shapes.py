"""Shapes the vouchers service's messages share: adjustments, vouchers, priced carts (V1-V7)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from contracts.money import Money, Percent, PositiveMoney, UnitPrice, VatRate


class Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# -- adjustments (V1-V3) ----------------------------------------------------------------


class GroupAdjustment(Shape):
    """A group's price adjustment (V3): negative percent = discount, positive = surcharge."""

    group_id: UUID
    group_name: str = Field(examples=["Customer"])
    system_key: Literal["visitor", "guest", "customer"] | None = None
    percent: Percent = Field(
        ge=-100, le=100, description="-5.00 lowers product prices by 5 %, 10.00 raises them."
    )


class CustomerPricing(Shape):
    """How a customer's prices are adjusted: group (V3), personal discount (V1) and "SC" (V2)."""

    customer_id: UUID
    discount_percent: Percent | None = Field(
        default=None, ge=1, le=100, description='None = "Standard" (no personal discount).'
    )
    special_condition: bool = Field(description='"SC": the customer has a custom discount.')
    group: GroupAdjustment | None = Field(
        default=None, description="The customer's group and its adjustment, if any."
    )
    tax_exempt: bool = False


# -- voucher codes (V4) -------------------------------------------------------------------

VoucherKind = Literal["percent", "fixed"]

VoucherRefusalReason = Literal[
    "unknown",
    "not_yet_valid",
    "expired",
    "used_up",
    "minimum_not_reached",
    "not_for_this_customer",
    "inactive",
]
"""Why a code cannot be applied; stable values a storefront can translate."""


class VoucherTerms(Shape):
    """What a voucher gives and when; shared by typed and generated codes."""

    kind: VoucherKind = Field(description="'percent' of the product subtotal or a 'fixed' amount.")
    value: Decimal = Field(
        gt=0,
        max_digits=12,
        decimal_places=2,
        description="Percent (up to 100) for 'percent', an amount in the shop's currency for 'fixed'.",
    )
    min_order_value: PositiveMoney = Field(
        default=Decimal("0.00"),
        description="Net product subtotal after group and customer discounts needed to apply it.",
    )
    valid_from: AwareDatetime | None = Field(default=None, description="None: valid at once.")
    valid_until: AwareDatetime | None = Field(default=None, description="None: never expires.")
    redemption_limit: int = Field(
        default=1, ge=1, le=1_000_000, description="How many orders may redeem it (1 by default)."
    )
    customer_id: UUID | None = Field(
        default=None, description="Only this customer may use it; None: anyone."
    )
    active: bool = True

    @field_validator("value")
    @classmethod
    def percent_at_most_100(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        if info.data.get("kind") == "percent" and value > 100:
            raise ValueError("a percent voucher gives at most 100")
        return value

    @field_validator("valid_until")
    @classmethod
    def after_valid_from(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        valid_from = info.data.get("valid_from")
        if value is not None and valid_from is not None and value <= valid_from:
            raise ValueError("must be after valid_from")
        return value


class Voucher(VoucherTerms):
    """A voucher code of a shop with its use count."""

    voucher_id: UUID
    code: str = Field(description="Upper-case; codes are case-insensitive.", examples=["SPRING-10"])
    use_count: int = Field(ge=0, description="Redemptions held by orders now.")
    created_at: AwareDatetime


# -- pricing (V7) -------------------------------------------------------------------------


class PriceLineInput(Shape):
    """One cart line as the price list prices it; the vouchers service adds the adjustments."""

    line_id: UUID
    sku: str
    name: str = Field(description="Product name in the reader's language.")
    quantity: int = Field(ge=1)
    unit_net: UnitPrice
    production_option: str = Field(examples=["standard", "express"])
    production_option_name: str = Field(examples=["Express (2 days)"])
    surcharge_unit_net: UnitPrice = Field(
        description="Production-time surcharge per unit; never discounted."
    )
    vat_rate: VatRate


class ShippingInput(Shape):
    """The shipping option chosen for a cart; never discounted."""

    code: str
    name: str
    net: PositiveMoney
    vat_rate: VatRate


AdjustmentKind = Literal["group", "customer_discount", "voucher"]


class PriceAdjustment(Shape):
    """One step of the stacking order applied to a line; negative lowers the price."""

    kind: AdjustmentKind
    name: str = Field(examples=["Customer group -5 %", "Your discount 10 %", "Voucher SPRING-10"])
    percent: Percent | None = Field(default=None, description="The step's rate, if it has one.")
    amount: Money


class PricedLine(Shape):
    """A cart line after every step; ``net`` = ``product_net`` + ``surcharge_net``."""

    line_id: UUID
    sku: str
    name: str
    quantity: int
    unit_net: UnitPrice
    list_net: Money = Field(description="Quantity x unit price, rounded to the cent.")
    adjustments: list[PriceAdjustment] = Field(description="In the stacking order (V7).")
    product_net: Money = Field(description="list_net plus every adjustment; never below zero.")
    production_option: str
    production_option_name: str
    surcharge_net: Money = Field(description="Quantity x surcharge per unit; never discounted.")
    net: Money
    vat_rate: VatRate = Field(description="0 when the customer is tax-exempt.")
    vat: Money
    gross: Money


class VoucherApplication(Shape):
    """The voucher code on a cart and whether it applies now."""

    code: str
    applied: bool
    reason: VoucherRefusalReason | None = Field(default=None, description="Why not, if not.")
    detail: str = Field(default="", description="The reason in plain English.")
    kind: VoucherKind | None = None
    value: Decimal | None = None
    amount: Money = Field(
        default=Decimal("0.00"), description="What it takes off (negative or zero)."
    )
    missing_amount: Money | None = Field(
        default=None, description="For minimum_not_reached: how much more is needed."
    )


class PricedShipping(Shape):
    code: str
    name: str
    net: Money
    vat_rate: VatRate
    vat: Money
    gross: Money


class VatAmount(Shape):
    """The VAT of one rate: the sum of the printed lines' VAT at that rate."""

    rate: VatRate
    net: Money
    vat: Money


class PricedCart(Shape):
    """A cart priced by the documented stacking order (V7); totals equal the sum of the lines."""

    lines: list[PricedLine]
    product_subtotal: Money = Field(
        description="Sum of product_net (after group, customer discount and voucher)."
    )
    surcharge_total: Money
    voucher: VoucherApplication | None = None
    shipping: PricedShipping | None = None
    vat: list[VatAmount] = Field(description="One entry per rate, ascending.")
    net_total: Money
    vat_total: Money
    gross_total: Money
    tax_exempt: bool = False
    vat_exemption_reason: str | None = Field(
        default=None, description="Why no VAT is charged, when none is."
    )


class Redemption(Shape):
    """An order's hold on a voucher code."""

    order_id: UUID
    voucher_id: UUID
    code: str
    customer_id: UUID | None
    redeemed_at: AwareDatetime
