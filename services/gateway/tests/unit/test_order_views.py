"""The customer view of orders (A8, N3): no provider side, no 'data_rejected', no provider notes;
and the refusals a customer reads say the status as they know it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from contracts.base import CommandError, FieldError
from contracts.billing import (
    Order,
    OrderAddress,
    OrderPage,
    OrderSummary,
    ProviderOrder,
    StatusChange,
)
from contracts.vouchers import PricedCart
from gateway.entrypoints.order_views import (
    CustomerOrder,
    customer_history,
    customer_order,
    customer_order_page,
    customer_refusal,
    customer_status,
)

T0 = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
ZERO = Decimal("0.00")


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def an_order(**fields: Any) -> Order:
    address = OrderAddress(name="Ada", line1="1 Main St", city="Paris", country="FR")
    values: dict[str, Any] = {
        "order_id": uuid4(),
        "order_number": 1,
        "customer_id": uuid4(),
        "customer_number": 1042,
        "pseudonym_id": None,
        "guest": False,
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "fr",
        "billing_address": address,
        "shipping_address": address,
        "payment_method": "invoice",
        "payment_status": "on_invoice",
        "status": "placed",
        "history": [StatusChange(status="placed", at=T0)],
        "currency": "EUR",
        "pricing": PricedCart(
            lines=[],
            product_subtotal=ZERO,
            surcharge_total=ZERO,
            vat=[],
            net_total=ZERO,
            vat_total=ZERO,
            gross_total=ZERO,
        ),
        "cart_id": uuid4(),
        "placed_at": T0,
        "cancelled_by": "operator",
        "provider": ProviderOrder(
            provider_order_id="PO-SECRET",
            wholesale_net=Decimal("12.34"),
            provider_invoice_id="PINV-1",
            provider_pay_method="direct_debit",
        ),
    }
    values.update(fields)
    return Order(**values)


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("placed", "placed"),
        ("data_received", "data_received"),
        ("data_rejected", "data_received"),
        ("data_checked", "data_checked"),
        ("in_production", "in_production"),
        ("shipped", "shipped"),
        ("cancelled", "cancelled"),
    ],
)
def test_every_status_but_the_rejection_shows_as_it_is(status: Any, shown: str) -> None:
    assert customer_status(status) == shown


def test_rejections_leave_the_history_and_new_data_shows_once() -> None:
    history = [
        StatusChange(status="placed", at=at(0), note="web order"),
        StatusChange(status="data_received", at=at(1), note="file v1"),
        StatusChange(status="data_rejected", at=at(2), note="bleed missing"),
        StatusChange(status="data_received", at=at(3), note="file v2 after rejection"),
        StatusChange(status="data_checked", at=at(4), note="ok"),
        StatusChange(status="in_production", at=at(5)),
        StatusChange(status="shipped", at=at(6), note="UPS"),
    ]
    shown = customer_history(history)
    assert [(c.status, c.at, c.note) for c in shown] == [
        ("placed", at(0), "web order"),
        ("data_received", at(1), None),
        ("data_checked", at(4), None),
        ("in_production", at(5), None),
        ("shipped", at(6), None),
    ]


def test_a_cancellation_keeps_its_reason() -> None:
    history = [
        StatusChange(status="placed", at=at(0)),
        StatusChange(status="data_rejected", at=at(1), note="wrong size"),
        StatusChange(status="cancelled", at=at(2), note="ordered the wrong size"),
    ]
    assert [(c.status, c.note) for c in customer_history(history)] == [
        ("placed", None),
        ("cancelled", "ordered the wrong size"),
    ]


def test_the_customer_order_never_shows_the_provider_side() -> None:
    order = an_order(
        status="data_rejected",
        history=[
            StatusChange(status="placed", at=at(0)),
            StatusChange(status="data_rejected", at=at(1), note="bleed missing"),
        ],
        tracking_number=None,
        invoice_number=None,
    )
    view = customer_order(order)
    text = view.model_dump_json()

    assert view.status == "data_received"
    assert [c.status for c in view.history] == ["placed"]
    for hidden in ("PO-SECRET", "12.34", "PINV-1", "direct_debit", "rejected", "bleed", "operator"):
        assert hidden not in text, hidden
    assert set(CustomerOrder.model_fields) == set(Order.model_fields) - {
        "provider",
        "pseudonym_id",
        "cancelled_by",
        "cart_id",
    }, "a new Order field is a decision: shown to customers or not"
    shared = set(CustomerOrder.model_fields) - {"status", "history"}
    assert {name: getattr(view, name) for name in shared} == {
        name: getattr(order, name) for name in shared
    }


def test_the_order_list_maps_every_status() -> None:
    summary = OrderSummary(
        order_id=uuid4(),
        order_number=3,
        customer_id=uuid4(),
        guest=False,
        name="Ada Lovelace",
        status="data_rejected",
        payment_method="card",
        payment_status="paid",
        currency="EUR",
        net_total=Decimal("100.00"),
        gross_total=Decimal("120.00"),
        placed_at=T0,
        invoice_number=None,
    )
    page = customer_order_page(OrderPage(items=[summary], total=31, page=2, size=30))
    assert (page.total, page.page, page.size) == (31, 2, 30)
    [item] = page.items
    assert item.status == "data_received"
    assert (item.order_id, item.net_total, item.gross_total) == (
        summary.order_id,
        Decimal("100.00"),
        Decimal("120.00"),
    )


def test_a_refusal_names_the_status_as_the_customer_sees_it() -> None:
    error = CommandError(
        code="invalid_transition",
        status=409,
        title="Not possible while data rejected",
        detail="The order is data_rejected.",
        fields=[FieldError(field="status", reason="is data_rejected")],
    )
    seen = customer_refusal(error)
    assert (seen.title, seen.detail) == (
        "Not possible while data received",
        "The order is data_received.",
    )
    assert seen.fields == [FieldError(field="status", reason="is data_received")]
    assert (seen.code, seen.status) == ("invalid_transition", 409)
