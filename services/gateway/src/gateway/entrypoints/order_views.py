"""Orders as their customer sees them (A8): never the provider's side, never 'data_rejected' (N3).

The print provider's production order (its id, wholesale revenue, its invoice to the partner)
is the partner's business; so is a rejection of the print data, which the partner sorts out
with the customer in their own words. A rejected order shows as 'data_received', the
rejection entries leave its history, and the provider's notes on its steps are not shown (a
note on a later step could tell of the rejection). The views are built field by field: a
field added to the Order contract never reaches customers unnoticed.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.base import CommandError
from contracts.billing import (
    Order,
    OrderAddress,
    OrderPage,
    OrderStatus,
    OrderSummary,
    PaymentMethod,
    PaymentStatus,
    StatusChange,
)
from contracts.gateway import Language
from contracts.vouchers import PricedCart

CustomerOrderStatus = Literal[
    "placed", "data_received", "data_checked", "in_production", "shipped", "cancelled"
]
"""B3 as the customer sees it: 'data_rejected' shows as 'data_received'."""

NOTED_STATUSES: frozenset[OrderStatus] = frozenset({"placed", "cancelled"})
"""Steps whose note is the shop's or the customer's own words (a cancellation's reason)."""


class CustomerStatusChange(BaseModel):
    """One step of the order's life, oldest first."""

    status: CustomerOrderStatus
    at: datetime
    note: str | None = Field(default=None, description="A cancellation's reason.")


class CustomerOrder(BaseModel):
    """The customer's order with the prices it was placed at."""

    order_id: UUID
    order_number: int = Field(description="The number the shop's emails and invoice show.")
    customer_id: UUID | None = Field(description="None for a guest order.")
    customer_number: int | None
    guest: bool
    email: str | None
    first_name: str | None
    last_name: str | None
    language: Language
    billing_address: OrderAddress | None
    shipping_address: OrderAddress | None
    payment_method: PaymentMethod
    payment_status: PaymentStatus = Field(
        description="'awaiting_payment': the order starts once paid."
    )
    paid_at: datetime | None
    status: CustomerOrderStatus
    history: list[CustomerStatusChange]
    currency: str
    pricing: PricedCart
    voucher_code: str | None
    placed_at: datetime
    cancelled_at: datetime | None
    tracking_number: str | None
    invoice_id: UUID | None = Field(description="Set once the order is invoiced (at shipment).")
    invoice_number: str | None


class CustomerOrderSummary(BaseModel):
    """An order as the customer's order list shows it."""

    order_id: UUID
    order_number: int
    status: CustomerOrderStatus
    payment_method: PaymentMethod
    payment_status: PaymentStatus
    currency: str
    net_total: Decimal
    gross_total: Decimal
    placed_at: datetime
    invoice_number: str | None


class CustomerOrderPage(BaseModel):
    items: list[CustomerOrderSummary] = Field(description="Newest first.")
    total: int
    page: int
    size: int


def customer_status(status: OrderStatus) -> CustomerOrderStatus:
    """'data_rejected' is told to the partner only (N3)."""
    return "data_received" if status == "data_rejected" else status


def customer_history(history: list[StatusChange]) -> list[CustomerStatusChange]:
    """Rejections dropped; a step repeated once they are gone (data received again after new
    data) is shown once; only the shop's and the customer's own notes are kept."""
    shown: list[CustomerStatusChange] = []
    for change in history:
        if change.status == "data_rejected":
            continue
        if shown and shown[-1].status == change.status:
            continue
        shown.append(
            CustomerStatusChange(
                status=customer_status(change.status),
                at=change.at,
                note=change.note if change.status in NOTED_STATUSES else None,
            )
        )
    return shown


def customer_order(order: Order) -> CustomerOrder:
    return CustomerOrder(
        order_id=order.order_id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        customer_number=order.customer_number,
        guest=order.guest,
        email=order.email,
        first_name=order.first_name,
        last_name=order.last_name,
        language=order.language,
        billing_address=order.billing_address,
        shipping_address=order.shipping_address,
        payment_method=order.payment_method,
        payment_status=order.payment_status,
        paid_at=order.paid_at,
        status=customer_status(order.status),
        history=customer_history(order.history),
        currency=order.currency,
        pricing=order.pricing,
        voucher_code=order.voucher_code,
        placed_at=order.placed_at,
        cancelled_at=order.cancelled_at,
        tracking_number=order.tracking_number,
        invoice_id=order.invoice_id,
        invoice_number=order.invoice_number,
    )


def customer_order_summary(summary: OrderSummary) -> CustomerOrderSummary:
    return CustomerOrderSummary(
        order_id=summary.order_id,
        order_number=summary.order_number,
        status=customer_status(summary.status),
        payment_method=summary.payment_method,
        payment_status=summary.payment_status,
        currency=summary.currency,
        net_total=summary.net_total,
        gross_total=summary.gross_total,
        placed_at=summary.placed_at,
        invoice_number=summary.invoice_number,
    )


def customer_order_page(page: OrderPage) -> CustomerOrderPage:
    return CustomerOrderPage(
        items=[customer_order_summary(s) for s in page.items],
        total=page.total,
        page=page.page,
        size=page.size,
    )


def _unrejected(text: str) -> str:
    return text.replace("data_rejected", "data_received").replace("data rejected", "data received")


def customer_refusal(error: CommandError) -> CommandError:
    """A refusal that names the current status (a cancellation too late) names it as the
    customer sees it."""
    fields = [f.model_copy(update={"reason": _unrejected(f.reason)}) for f in error.fields]
    return error.model_copy(
        update={
            "title": _unrejected(error.title),
            "detail": _unrejected(error.detail),
            "fields": fields,
        }
    )
