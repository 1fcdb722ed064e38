"""Shapes of orders (B2, B3, B5): who ordered, what was priced, where it stands, the provider's side."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.billing.shapes import Shape
from contracts.gateway import Language
from contracts.money import Money
from contracts.vouchers.shapes import PricedCart

PaymentMethod = Literal["card", "paypal", "bank_transfer", "invoice"]
"""How the customer pays. All but 'invoice' are prepayment: recorded here when the payment
provider (outside this system) reports them, and the order waits for that."""

PREPAYMENT_METHODS: tuple[PaymentMethod, ...] = ("card", "paypal", "bank_transfer")

PaymentStatus = Literal["awaiting_payment", "paid", "on_invoice"]
"""'awaiting_payment': a prepayment order not paid yet (not released to production);
'on_invoice': paid later against the invoice; 'paid': prepaid in full."""

OrderStatus = Literal[
    "placed",
    "data_received",
    "data_checked",
    "data_rejected",
    "in_production",
    "shipped",
    "cancelled",
]
"""B3. 'data_rejected' is the partner's business only: customers never see it."""

ProviderStep = Literal["data_received", "data_checked", "data_rejected", "in_production", "shipped"]
"""What the print provider's platform reports about a production order."""

CancelledBy = Literal["customer", "partner", "operator"]


class OrderAddress(Shape):
    """A billing or shipping address as printed on the order and the invoice."""

    name: str = Field(min_length=1, max_length=200, description="Person or department.")
    company: str | None = Field(default=None, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(default=None, max_length=20)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, upper-case.")


class GuestContact(Shape):
    """Who a guest order is for (A10): no account, no customer number."""

    email: str = Field(description="Normalised by the gateway (email-validator).")
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, description="E.164.")
    language: Language = "en"


class ProviderOrder(Shape):
    """The print provider's production order behind a shop order (B5); partner and ops only."""

    provider_order_id: str = Field(examples=["PO-4F1C2A9B7E3D"])
    wholesale_net: Money = Field(
        description="Provider order revenue: the price list's wholesale costs of the lines."
    )
    released_at: AwareDatetime | None = Field(
        default=None,
        description="When production may start: at once on invoice, when paid on prepayment.",
    )
    tracking_number: str | None = None
    provider_invoice_id: str | None = Field(
        default=None, description="The provider's invoice to the partner, issued at shipment."
    )
    provider_invoice_date: date | None = None
    provider_pay_method: str | None = Field(
        default=None, description="How the partner pays the provider (the shop's setting)."
    )


class StatusChange(Shape):
    """One step of an order's life, oldest first."""

    status: OrderStatus
    at: AwareDatetime
    note: str | None = None


class Order(Shape):
    """A shop order with the prices it was placed at (never repriced)."""

    order_id: UUID
    order_number: int = Field(ge=1, description="Per-shop sequential number people see.")
    customer_id: UUID | None = Field(
        description="None: a guest order, or the customer was deleted (see pseudonym_id)."
    )
    customer_number: int | None = None
    pseudonym_id: UUID | None = Field(
        default=None, description="Set when the customer deleted their account (A9)."
    )
    guest: bool
    email: str | None = Field(description="Where order emails go; None after pseudonymisation.")
    first_name: str | None
    last_name: str | None
    language: Language
    billing_address: OrderAddress | None
    shipping_address: OrderAddress | None
    payment_method: PaymentMethod
    payment_status: PaymentStatus
    paid_at: AwareDatetime | None = None
    status: OrderStatus
    history: list[StatusChange]
    currency: str
    pricing: PricedCart = Field(description="The cart's pricing at placement.")
    voucher_code: str | None = None
    cart_id: UUID
    placed_at: AwareDatetime
    cancelled_at: AwareDatetime | None = None
    cancelled_by: CancelledBy | None = None
    tracking_number: str | None = None
    invoice_id: UUID | None = None
    invoice_number: str | None = None
    provider: ProviderOrder


class OrderSummary(Shape):
    """An order as lists show it."""

    order_id: UUID
    order_number: int
    customer_id: UUID | None
    customer_number: int | None = None
    guest: bool
    name: str | None = Field(description="First and last name; None after pseudonymisation.")
    status: OrderStatus
    payment_method: PaymentMethod
    payment_status: PaymentStatus
    currency: str
    net_total: Money
    gross_total: Money
    placed_at: AwareDatetime
    invoice_number: str | None = None


class OrderPage(Shape):
    items: list[OrderSummary]
    total: int
    page: int
    size: int


class PaymentSettings(Shape):
    """Which payment methods a shop offers, and how the partner pays the print provider."""

    payment_methods: list[PaymentMethod] = Field(min_length=1)
    provider_pay_method: str = Field(
        min_length=1,
        max_length=60,
        examples=["direct_debit"],
        description="Shown in the revenue export's 'provider pay method' column.",
    )


class PaymentOption(Shape):
    """One payment method as a checkout offers it."""

    method: PaymentMethod
    available: bool
    reason: str | None = Field(default=None, description="Why not, in plain English.")


class PaymentOptions(Shape):
    """What a checkout may offer this caller; the figures explain an unavailable 'invoice'."""

    currency: str
    options: list[PaymentOption]
    outstanding: Money | None = Field(
        default=None, description="Unpaid invoices plus orders on invoice not invoiced yet."
    )
    credit_limit: Money | None = None


__all__ = [
    "PREPAYMENT_METHODS",
    "CancelledBy",
    "GuestContact",
    "Order",
    "OrderAddress",
    "OrderPage",
    "OrderStatus",
    "OrderSummary",
    "PaymentMethod",
    "PaymentOption",
    "PaymentOptions",
    "PaymentSettings",
    "PaymentStatus",
    "ProviderOrder",
    "ProviderStep",
    "StatusChange",
]
