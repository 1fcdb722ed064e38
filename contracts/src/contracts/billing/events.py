"""Events the billing service publishes (through its outbox)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import Event
from contracts.billing.invoices import CustomerBillingFigures, Invoice
from contracts.billing.orders import Order, OrderStatus
from contracts.gateway import Language
from contracts.money import Money


class CartAbandoned(Event):
    """A cart with lines saw no activity for the shop's abandonment time and was not ordered.

    Published once per stretch of inactivity: a cart changed again and then left again is
    abandoned again.
    """

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.cart.abandoned.v1"
    type: Literal["CartAbandoned"] = "CartAbandoned"
    version: Literal[1] = 1

    cart_id: UUID
    customer_id: UUID | None = Field(description="None: a visitor's cart (nobody to write to).")
    line_count: int = Field(ge=1)
    net_total: Money
    gross_total: Money
    currency: str
    last_activity_at: AwareDatetime
    abandoned_at: AwareDatetime


class OrderPlaced(Event):
    """An order was placed (B2): the notifier confirms it, the overview counts it."""

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.order.placed.v1"
    type: Literal["OrderPlaced"] = "OrderPlaced"
    version: Literal[1] = 1

    order: Order


class OrderStatusChanged(Event):
    """An order moved to another status (B3), cancellation included.

    'data_rejected' is for the partner only: nothing about it may reach the customer.
    """

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.order.status_changed.v1"
    type: Literal["OrderStatusChanged"] = "OrderStatusChanged"
    version: Literal[1] = 1

    order_id: UUID
    order_number: int
    customer_id: UUID | None
    guest: bool
    email: str | None = Field(description="The customer's or guest's address for the email.")
    first_name: str | None
    last_name: str | None
    language: Language
    previous_status: OrderStatus
    status: OrderStatus
    note: str | None = None
    tracking_number: str | None = None
    voucher_code: str | None = Field(default=None, description="Given back when cancelled.")
    currency: str
    gross_total: Money
    changed_at: AwareDatetime


class OrderPlacementAbandoned(Event):
    """A placement that may have redeemed a voucher never became an order: give the code back.

    The compensating step of placement; published through the outbox, so a crash between the
    redemption and the order still ends here.
    """

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.order.placement_abandoned.v1"
    type: Literal["OrderPlacementAbandoned"] = "OrderPlacementAbandoned"
    version: Literal[1] = 1

    order_id: UUID
    voucher_code: str
    abandoned_at: AwareDatetime


class InvoiceIssued(Event):
    """An invoice or credit note was issued (B4): the notifier renders the PDF and mails it."""

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.invoice.issued.v1"
    type: Literal["InvoiceIssued"] = "InvoiceIssued"
    version: Literal[1] = 1

    invoice: Invoice
    first_name: str | None = Field(description="For the email's greeting.")


class InvoicePaid(Event):
    """An invoice was marked paid."""

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.invoice.paid.v1"
    type: Literal["InvoicePaid"] = "InvoicePaid"
    version: Literal[1] = 1

    invoice_id: UUID
    invoice_number: str
    customer_id: UUID | None
    gross_total: Money
    paid_on: date


class InvoiceOverdue(Event):
    """An unpaid invoice passed its due date (found once by the scheduled sweep)."""

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.invoice.overdue.v1"
    type: Literal["InvoiceOverdue"] = "InvoiceOverdue"
    version: Literal[1] = 1

    invoice_id: UUID
    invoice_number: str
    customer_id: UUID | None
    gross_total: Money
    due_date: date


class CustomerBillingChanged(Event):
    """A customer's order and invoice figures after a change (B7, P7); state-carrying:
    keep the highest ``revision``."""

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.customer.figures_changed.v1"
    type: Literal["CustomerBillingChanged"] = "CustomerBillingChanged"
    version: Literal[1] = 1

    customer_id: UUID
    revision: int = Field(ge=1, description="Grows with every change of this customer's figures.")
    figures: CustomerBillingFigures
    changed_at: AwareDatetime


EVENTS = (
    CartAbandoned,
    OrderPlaced,
    OrderStatusChanged,
    OrderPlacementAbandoned,
    InvoiceIssued,
    InvoicePaid,
    InvoiceOverdue,
    CustomerBillingChanged,
)

__all__ = [
    "EVENTS",
    "CartAbandoned",
    "CustomerBillingChanged",
    "InvoiceIssued",
    "InvoiceOverdue",
    "InvoicePaid",
    "OrderPlaced",
    "OrderPlacementAbandoned",
    "OrderStatusChanged",
]
