"""Commands about orders (B2, B3, B5): storefront placement, partner and operator steps."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.billing.commands import BillingCommand
from contracts.billing.orders import (
    CancelledBy,
    GuestContact,
    OrderAddress,
    OrderStatus,
    PaymentMethod,
    ProviderStep,
)
from contracts.money import PositiveMoney

IdempotencyKey = str


class PlaceOrder(BillingCommand):
    """Turn a cart into an order (B2, A10): priced once more, voucher redeemed, exactly once per key.

    A customer's order names ``customer_id`` (the cart must be theirs); a guest's names
    ``guest`` (the cart must be a visitor's) and both addresses.
    """

    ROUTING_KEY: ClassVar[str] = "billing.place_order.v1"
    type: Literal["PlaceOrder"] = "PlaceOrder"
    version: Literal[1] = 1

    idempotency_key: IdempotencyKey = Field(
        min_length=1, max_length=200, description="The same key gives the same order, never two."
    )
    cart_id: UUID
    customer_id: UUID | None = None
    guest: GuestContact | None = None
    payment_method: PaymentMethod
    billing_address: OrderAddress | None = Field(
        default=None, description="None: the customer's address on file (customers only)."
    )
    shipping_address: OrderAddress | None = Field(
        default=None, description="None: the billing address."
    )


class GetOrder(BillingCommand):
    """One order; with ``customer_id``, only if it is that customer's (else order_not_found)."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.get_order.v1"
    type: Literal["GetOrder"] = "GetOrder"
    version: Literal[1] = 1

    order_id: UUID
    customer_id: UUID | None = None


class ListOrders(BillingCommand):
    """A page of the shop's orders, newest first; filtered by customer and status."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.list_orders.v1"
    type: Literal["ListOrders"] = "ListOrders"
    version: Literal[1] = 1

    customer_id: UUID | None = None
    status: OrderStatus | None = None
    page: int = Field(default=1, ge=1)
    size: int = Field(default=25, ge=1, le=100)


class AdvanceOrder(BillingCommand):
    """The print provider reports a step of the production order (operator API).

    'shipped' needs the tracking number; it invoices the order. The provider's invoice id
    and date default to a generated id and today.
    """

    ROUTING_KEY: ClassVar[str] = "billing.advance_order.v1"
    type: Literal["AdvanceOrder"] = "AdvanceOrder"
    version: Literal[1] = 1

    order_id: UUID
    step: ProviderStep
    note: str | None = Field(default=None, max_length=1000)
    tracking_number: str | None = Field(default=None, max_length=100)
    provider_invoice_id: str | None = Field(default=None, max_length=60)
    provider_invoice_date: date | None = Field(
        default=None, description="Default: today in the shop's time zone."
    )


class CancelOrder(BillingCommand):
    """Cancel an order before production starts; gives its voucher back."""

    ROUTING_KEY: ClassVar[str] = "billing.cancel_order.v1"
    type: Literal["CancelOrder"] = "CancelOrder"
    version: Literal[1] = 1

    order_id: UUID
    cancelled_by: CancelledBy
    customer_id: UUID | None = Field(
        default=None, description="When the customer cancels: the order must be theirs."
    )
    reason: str | None = Field(default=None, max_length=1000)


class RecordPayment(BillingCommand):
    """The payment provider (outside this system) reports a payment; a prepayment order paid in
    full is released to production."""

    ROUTING_KEY: ClassVar[str] = "billing.record_payment.v1"
    type: Literal["RecordPayment"] = "RecordPayment"
    version: Literal[1] = 1

    order_id: UUID
    idempotency_key: IdempotencyKey = Field(min_length=1, max_length=200)
    amount: PositiveMoney
    reference: str = Field(min_length=1, max_length=200, description="The provider's reference.")
    paid_at: AwareDatetime | None = Field(default=None, description="Default: now.")


class ConfigurePayments(BillingCommand):
    """Set the shop's payment methods and the provider pay method (B5, B6)."""

    ROUTING_KEY: ClassVar[str] = "billing.configure_payments.v1"
    type: Literal["ConfigurePayments"] = "ConfigurePayments"
    version: Literal[1] = 1

    payment_methods: list[PaymentMethod] = Field(min_length=1)
    provider_pay_method: str = Field(min_length=1, max_length=60)


class GetPaymentSettings(BillingCommand):
    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.get_payment_settings.v1"
    type: Literal["GetPaymentSettings"] = "GetPaymentSettings"
    version: Literal[1] = 1


class ListPaymentOptions(BillingCommand):
    """The methods a checkout offers this caller, 'invoice' only when allowed (B2)."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "billing.list_payment_options.v1"
    type: Literal["ListPaymentOptions"] = "ListPaymentOptions"
    version: Literal[1] = 1

    customer_id: UUID | None = Field(default=None, description="None: a guest.")
    cart_id: UUID | None = Field(
        default=None, description="With a cart, 'invoice' also checks the credit limit."
    )


__all__ = [
    "AdvanceOrder",
    "CancelOrder",
    "ConfigurePayments",
    "GetOrder",
    "GetPaymentSettings",
    "ListOrders",
    "ListPaymentOptions",
    "PlaceOrder",
    "RecordPayment",
]
