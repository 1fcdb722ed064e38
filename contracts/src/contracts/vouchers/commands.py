"""Commands the vouchers service answers: adjustments, codes, pricing and redemption."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from contracts.base import Command
from contracts.money import Percent, PositiveMoney
from contracts.vouchers.shapes import (
    GroupAdjustment,
    PriceLineInput,
    Shape,
    ShippingInput,
    Voucher,
    VoucherTerms,
)


class VouchersCommand(Command):
    OWNER: ClassVar[str] = "vouchers"


# -- customer discount (V1, V2) -----------------------------------------------------------


class SetCustomerDiscount(VouchersCommand):
    """Set a customer's personal discount, or back to "Standard" with None (V1)."""

    ROUTING_KEY: ClassVar[str] = "vouchers.set_customer_discount.v1"
    type: Literal["SetCustomerDiscount"] = "SetCustomerDiscount"
    version: Literal[1] = 1

    customer_id: UUID
    discount_percent: Percent | None = Field(
        default=None, ge=1, le=100, description='1-100; None = "Standard".'
    )
    changed_by: str = Field(default="partner", description="Who made the change (for the report).")


class GetCustomerPricing(VouchersCommand):
    """Read how a customer's prices are adjusted (for the customer sheet)."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "vouchers.get_customer_pricing.v1"
    type: Literal["GetCustomerPricing"] = "GetCustomerPricing"
    version: Literal[1] = 1

    customer_id: UUID


# -- group adjustments (V3) ---------------------------------------------------------------


class SetGroupAdjustment(VouchersCommand):
    """Set a group's adjustment in percent (negative: discount; 0 removes it)."""

    ROUTING_KEY: ClassVar[str] = "vouchers.set_group_adjustment.v1"
    type: Literal["SetGroupAdjustment"] = "SetGroupAdjustment"
    version: Literal[1] = 1

    group_id: UUID
    percent: Percent = Field(ge=-100, le=100)


class ListGroupAdjustments(VouchersCommand):
    """Every group of the shop with its adjustment (0 where none is set)."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "vouchers.list_group_adjustments.v1"
    type: Literal["ListGroupAdjustments"] = "ListGroupAdjustments"
    version: Literal[1] = 1


class GroupAdjustments(Shape):
    items: list[GroupAdjustment]


# -- voucher codes (V4) -------------------------------------------------------------------


class CreateVoucher(VouchersCommand):
    """Create one voucher with a code the partner typed (case-insensitive, unique per shop)."""

    ROUTING_KEY: ClassVar[str] = "vouchers.create_voucher.v1"
    type: Literal["CreateVoucher"] = "CreateVoucher"
    version: Literal[1] = 1

    code: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    terms: VoucherTerms


class GenerateVouchers(VouchersCommand):
    """Create many vouchers with unique random codes at once (e.g. 500 for a flyer campaign)."""

    ROUTING_KEY: ClassVar[str] = "vouchers.generate_vouchers.v1"
    type: Literal["GenerateVouchers"] = "GenerateVouchers"
    version: Literal[1] = 1

    count: int = Field(ge=1, le=10_000)
    prefix: str = Field(default="", max_length=20, pattern=r"^([A-Za-z0-9][A-Za-z0-9_-]*)?$")
    terms: VoucherTerms


class GeneratedVouchers(Shape):
    count: int
    codes: list[str] = Field(description="Every generated code, upper-case.")


class ListVouchers(VouchersCommand):
    """A page of the shop's vouchers, newest first, with their use counts."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "vouchers.list_vouchers.v1"
    type: Literal["ListVouchers"] = "ListVouchers"
    version: Literal[1] = 1

    page: int = Field(default=1, ge=1)
    size: int = Field(default=25, ge=1, le=500)
    code_prefix: str | None = Field(default=None, description="Codes starting with this.")
    active: bool | None = None
    customer_id: UUID | None = Field(
        default=None, description="Vouchers only this customer may use."
    )


class VoucherPage(Shape):
    items: list[Voucher]
    total: int
    page: int
    size: int


class GetVoucher(VouchersCommand):
    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "vouchers.get_voucher.v1"
    type: Literal["GetVoucher"] = "GetVoucher"
    version: Literal[1] = 1

    voucher_id: UUID


class SetVoucherActive(VouchersCommand):
    """Deactivate a voucher (no new cart or order can use it) or activate it again."""

    ROUTING_KEY: ClassVar[str] = "vouchers.set_voucher_active.v1"
    type: Literal["SetVoucherActive"] = "SetVoucherActive"
    version: Literal[1] = 1

    voucher_id: UUID
    active: bool


# -- pricing (V7) -------------------------------------------------------------------------


class PriceCart(VouchersCommand):
    """Price lines for a customer (or an anonymous visitor: the Visitor group's prices)."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "vouchers.price_cart.v1"
    type: Literal["PriceCart"] = "PriceCart"
    version: Literal[1] = 1

    customer_id: UUID | None = Field(default=None, description="None: an anonymous visitor.")
    lines: list[PriceLineInput] = Field(max_length=500)
    shipping: ShippingInput | None = None
    voucher_code: str | None = None


# -- redemption (V4) ----------------------------------------------------------------------


class RedeemVoucher(VouchersCommand):
    """Hold a code for an order; idempotent per order (the same order gets the same answer)."""

    ROUTING_KEY: ClassVar[str] = "vouchers.redeem_voucher.v1"
    type: Literal["RedeemVoucher"] = "RedeemVoucher"
    version: Literal[1] = 1

    code: str
    order_id: UUID
    customer_id: UUID | None = None
    product_subtotal: PositiveMoney = Field(
        description="The order's product subtotal after group and customer discounts."
    )


class ReleaseRedemption(VouchersCommand):
    """Give an order's code back (order cancelled or not completed); idempotent."""

    ROUTING_KEY: ClassVar[str] = "vouchers.release_redemption.v1"
    type: Literal["ReleaseRedemption"] = "ReleaseRedemption"
    version: Literal[1] = 1

    order_id: UUID


class RedemptionReleased(Shape):
    order_id: UUID
    released: bool = Field(
        description="False when the order held no code (or gave it back before)."
    )


__all__ = [
    "CreateVoucher",
    "GenerateVouchers",
    "GeneratedVouchers",
    "GetCustomerPricing",
    "GetVoucher",
    "GroupAdjustments",
    "ListGroupAdjustments",
    "ListVouchers",
    "PriceCart",
    "RedeemVoucher",
    "RedemptionReleased",
    "ReleaseRedemption",
    "SetCustomerDiscount",
    "SetGroupAdjustment",
    "SetVoucherActive",
    "VoucherPage",
]
