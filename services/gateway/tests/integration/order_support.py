"""Orders, invoices and PDFs the fake billing and notifier answer with in the order and invoice
routes' tests (import after putting this folder on sys.path)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from price_support import NOW, empty_pricing
from pydantic import BaseModel

from contracts.base import Command, CommandError, FieldError
from contracts.billing import (
    Invoice,
    InvoiceLine,
    InvoicePage,
    InvoiceParty,
    InvoiceSummary,
    Order,
    OrderAddress,
    OrderPage,
    OrderSummary,
    PlaceOrder,
    ProviderOrder,
    StatusChange,
)
from contracts.notifier import InvoiceDocument
from service_runtime.rpc_client import RpcRefused

PROVIDER_ORDER_ID = "PO-4F1C2A9B7E3D"
WHOLESALE = Decimal("12.34")
PDF = b"%PDF-1.7\n% an invoice\n%%EOF\n"
ADDRESS = OrderAddress(name="Ada Lovelace", line1="12 rue des Lilas", city="Paris", country="FR")


def refusal(
    code: str,
    status: int,
    *fields: tuple[str, str],
    detail: str = "",
    retry_after: int | None = None,
) -> Callable[[Command], BaseModel]:
    """An answer that refuses the command as a service does (RpcRefused with a CommandError)."""

    def answer(_: Command) -> BaseModel:
        raise RpcRefused(
            CommandError(
                code=code,
                status=status,
                title=code.replace("_", " "),
                detail=detail,
                fields=[FieldError(field=f, reason=r) for f, r in fields],
                retry_after=retry_after,
            )
        )

    return answer


def an_order(
    *,
    order_id: UUID | None = None,
    customer_id: UUID | None = None,
    cart_id: UUID | None = None,
    status: str = "placed",
    history: list[StatusChange] | None = None,
    **fields: Any,
) -> Order:
    """An order as billing answers it, the provider's production order included."""
    values: dict[str, Any] = {
        "order_id": order_id or uuid4(),
        "order_number": 7,
        "customer_id": customer_id,
        "customer_number": 1042 if customer_id else None,
        "guest": customer_id is None,
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
        "billing_address": ADDRESS,
        "shipping_address": ADDRESS,
        "payment_method": "card",
        "payment_status": "awaiting_payment",
        "status": status,
        "history": history or [StatusChange(status="placed", at=NOW)],
        "currency": "EUR",
        "pricing": empty_pricing(),
        "cart_id": cart_id or uuid4(),
        "placed_at": NOW,
        "provider": ProviderOrder(provider_order_id=PROVIDER_ORDER_ID, wholesale_net=WHOLESALE),
    }
    values.update(fields)
    return Order(**values)


def order_for(command: PlaceOrder) -> Order:
    """What billing answers a placement: the command's cart, buyer and payment method."""
    guest = command.guest
    return an_order(
        customer_id=command.customer_id,
        cart_id=command.cart_id,
        payment_method=command.payment_method,
        email=guest.email if guest else "customer@example.com",
        language=guest.language if guest else "en",
    )


class OrdersByKey:
    """Billing's idempotency: the first order placed with a key is the answer to that key."""

    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}

    def __call__(self, command: PlaceOrder) -> Order:
        return self.orders.setdefault(command.idempotency_key, order_for(command))


def a_summary(order: Order) -> OrderSummary:
    return OrderSummary(
        order_id=order.order_id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        customer_number=order.customer_number,
        guest=order.guest,
        name="Ada Lovelace",
        status=order.status,
        payment_method=order.payment_method,
        payment_status=order.payment_status,
        currency="EUR",
        net_total=Decimal("100.00"),
        gross_total=Decimal("120.00"),
        placed_at=NOW,
    )


def order_page(*orders: Order) -> OrderPage:
    return OrderPage(items=[a_summary(o) for o in orders], total=len(orders), page=1, size=25)


def an_invoice(
    *, invoice_id: UUID | None = None, customer_id: UUID | None = None, **fields: Any
) -> Invoice:
    values: dict[str, Any] = {
        "invoice_id": invoice_id or uuid4(),
        "invoice_number": "2026-000123",
        "kind": "invoice",
        "order_id": uuid4(),
        "order_number": 7,
        "customer_id": customer_id,
        "buyer": InvoiceParty(name="Ada Lovelace", customer_number=1042, address=ADDRESS),
        "language": "en",
        "currency": "EUR",
        "issued_at": NOW,
        "issue_date": NOW.date(),
        "due_date": NOW.date() + timedelta(days=30),
        "payment_method": "invoice",
        "lines": [
            InvoiceLine(
                kind="product",
                description="Flyers A5, 500 x",
                sku="FLY",
                quantity=500,
                unit_net=Decimal("0.2000"),
                net=Decimal("100.00"),
                vat_rate=Decimal("20.00"),
            )
        ],
        "vat": [{"rate": "20.00", "net": "100.00", "vat": "20.00"}],
        "net_total": Decimal("100.00"),
        "vat_total": Decimal("20.00"),
        "gross_total": Decimal("120.00"),
        "status": "unpaid",
    }
    values.update(fields)
    return Invoice(**values)


def invoice_page(*invoices: Invoice) -> InvoicePage:
    return InvoicePage(
        items=[
            InvoiceSummary(
                invoice_id=i.invoice_id,
                invoice_number=i.invoice_number,
                kind=i.kind,
                order_id=i.order_id,
                order_number=i.order_number,
                customer_id=i.customer_id,
                buyer_name=i.buyer.name,
                currency=i.currency,
                issue_date=i.issue_date,
                due_date=i.due_date,
                gross_total=i.gross_total,
                status=i.status,
            )
            for i in invoices
        ],
        total=len(invoices),
        page=1,
        size=25,
    )


def a_document(invoice_id: UUID, filename: str = "invoice_2026-000123.pdf") -> InvoiceDocument:
    return InvoiceDocument(
        invoice_id=invoice_id,
        invoice_number="2026-000123",
        filename=filename,
        content_base64=base64.b64encode(PDF).decode(),
    )


def provider_traces(text: str) -> list[str]:
    """What of the provider's side a customer-facing answer shows (nothing, it must be)."""
    return [t for t in (PROVIDER_ORDER_ID, "provider", "wholesale", str(WHOLESALE)) if t in text]
