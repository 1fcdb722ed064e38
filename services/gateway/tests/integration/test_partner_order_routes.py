"""Partner orders, payments and payment settings with real partner tokens on PostgreSQL and fake
billing: the commands each route sends, the Idempotency-Key of payments, the full order with
the provider's side, validation and refusals (B2, B3, B5)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.billing import (
    CancelOrder,
    ConfigurePayments,
    GetOrder,
    GetPaymentSettings,
    ListOrders,
    PaymentSettings,
    RecordPayment,
    StatusChange,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from order_support import PROVIDER_ORDER_ID, an_order, order_page, refusal
from price_support import NOW, FakeServices, open_shop, serving

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_partner_orders_"

ORDER = uuid4()


@pytest.fixture
def http(client: httpx.AsyncClient) -> httpx.AsyncClient:
    return client


@pytest.fixture
def sessions(app_runtime: tuple[Any, ServiceRuntime]) -> async_sessionmaker[AsyncSession]:
    return app_runtime[1].sessions


@pytest.fixture
def billing(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    fake = FakeServices()
    rejected = an_order(
        order_id=ORDER,
        customer_id=uuid4(),
        status="data_rejected",
        history=[
            StatusChange(status="placed", at=NOW),
            StatusChange(status="data_rejected", at=NOW, note="bleed missing"),
        ],
    )
    for command_type in (GetOrder, CancelOrder, RecordPayment):
        fake.on(command_type, lambda c: rejected)
    fake.on(ListOrders, lambda c: order_page(rejected))
    fake.on(ConfigurePayments, lambda c: PaymentSettings(**c.model_dump()))
    fake.on(
        GetPaymentSettings,
        lambda c: PaymentSettings(payment_methods=["card"], provider_pay_method="direct_debit"),
    )
    with serving(app_runtime[0], fake):
        yield fake


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return sorted(e["field"] for e in response.json()["errors"])


async def test_the_partner_lists_and_reads_full_orders(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    customer = uuid4()

    listed = await http.get(
        "/partner/v1/orders",
        params={"status": "data_rejected", "customer_id": str(customer), "page": 3, "size": 100},
        headers=partner,
    )
    one = await http.get(f"/partner/v1/orders/{ORDER}", headers=partner)

    assert listed.status_code == 200, listed.text
    assert listed.json()["items"][0]["status"] == "data_rejected", "the partner is told (N3)"
    listing = billing.sent(ListOrders)
    assert (listing.shop_id, listing.customer_id, listing.status, listing.page, listing.size) == (
        shop,
        customer,
        "data_rejected",
        3,
        100,
    )
    assert one.status_code == 200, one.text
    assert one.json()["provider"]["provider_order_id"] == PROVIDER_ORDER_ID
    assert one.json()["provider"]["wholesale_net"] == "12.34"
    assert one.json()["history"][-1]["note"] == "bleed missing"
    reading = billing.sent(GetOrder)
    assert (reading.shop_id, reading.order_id, reading.customer_id) == (shop, ORDER, None)

    for params in ({"status": "lost"}, {"size": 101}, {"page": 0}, {"customer_id": "x"}):
        response = await http.get("/partner/v1/orders", params=params, headers=partner)
        assert fields_of(response) == list(params)


async def test_the_partner_cancels_an_order(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    response = await http.post(
        f"/partner/v1/orders/{ORDER}/cancel", json={"reason": "Customer called"}, headers=partner
    )
    assert response.status_code == 200, response.text
    command = billing.sent(CancelOrder)
    assert (command.shop_id, command.order_id, command.cancelled_by) == (shop, ORDER, "partner")
    assert (command.customer_id, command.reason) == (None, "Customer called")

    billing.on(
        CancelOrder,
        refusal("invalid_transition", 409, detail="The order is in_production; too late."),
    )
    late = await http.post(f"/partner/v1/orders/{ORDER}/cancel", headers=partner)
    assert late.status_code == 409
    assert late.json()["detail"] == "The order is in_production; too late."
    too_long = await http.post(
        f"/partner/v1/orders/{ORDER}/cancel", json={"reason": "x" * 1001}, headers=partner
    )
    assert fields_of(too_long) == ["reason"]


async def test_a_payment_is_recorded_once_per_idempotency_key(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    body = {"amount": "119.00", "reference": " PSP-123 ", "paid_at": "2026-04-02T09:30:00+02:00"}

    response = await http.post(
        f"/partner/v1/orders/{ORDER}/payments",
        json=body,
        headers={**partner, "Idempotency-Key": "psp-event-77"},
    )

    assert response.status_code == 200, response.text
    command = billing.sent(RecordPayment)
    assert (command.shop_id, command.order_id, command.idempotency_key) == (
        shop,
        ORDER,
        "psp-event-77",
    )
    assert (command.amount, command.reference) == (Decimal("119.00"), "PSP-123")
    assert command.paid_at == datetime(2026, 4, 2, 7, 30, tzinfo=UTC)

    missing = await http.post(f"/partner/v1/orders/{ORDER}/payments", json=body, headers=partner)
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "Idempotency-Key"
    for bad, fields in (
        ({**body, "amount": "0"}, ["amount"]),
        ({**body, "amount": "1.001"}, ["amount"]),
        ({**body, "reference": "  "}, ["reference"]),
        ({**body, "paid_at": "2026-04-02T09:30:00"}, ["paid_at"]),
        ({"amount": "5.00"}, ["reference"]),
    ):
        response = await http.post(
            f"/partner/v1/orders/{ORDER}/payments",
            json=bad,
            headers={**partner, "Idempotency-Key": str(uuid4())},
        )
        assert fields_of(response) == fields
    assert len([c for c in billing.calls if isinstance(c, RecordPayment)]) == 1


async def test_payment_settings_are_read_and_replaced(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    read = await http.get("/partner/v1/settings/payments", headers=partner)
    assert read.json() == {"payment_methods": ["card"], "provider_pay_method": "direct_debit"}
    assert billing.sent(GetPaymentSettings).shop_id == shop

    replaced = await http.put(
        "/partner/v1/settings/payments",
        json={
            "payment_methods": ["invoice", "card", "invoice"],
            "provider_pay_method": " monthly_invoice ",
        },
        headers=partner,
    )

    assert replaced.status_code == 200, replaced.text
    command = billing.sent(ConfigurePayments)
    assert (command.shop_id, command.payment_methods, command.provider_pay_method) == (
        shop,
        ["invoice", "card"],
        "monthly_invoice",
    )
    for bad, fields in (
        ({"payment_methods": [], "provider_pay_method": "x"}, ["payment_methods"]),
        ({"payment_methods": ["cash"], "provider_pay_method": "x"}, ["payment_methods.0"]),
        ({"payment_methods": ["card"], "provider_pay_method": ""}, ["provider_pay_method"]),
        ({"payment_methods": ["card"]}, ["provider_pay_method"]),
    ):
        response = await http.put("/partner/v1/settings/payments", json=bad, headers=partner)
        assert fields_of(response) == fields


async def test_partner_routes_need_a_partner_token_and_stay_in_its_shop(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    requests: list[tuple[str, str, Any]] = [
        ("GET", "/partner/v1/orders", None),
        ("GET", f"/partner/v1/orders/{ORDER}", None),
        ("POST", f"/partner/v1/orders/{ORDER}/cancel", None),
        ("POST", f"/partner/v1/orders/{ORDER}/payments", {"amount": "1.00", "reference": "r"}),
        ("GET", "/partner/v1/settings/payments", None),
        ("PUT", "/partner/v1/settings/payments", {"payment_methods": ["card"]}),
    ]
    for headers in ({}, {"Authorization": "Bearer pt_made-up"}):
        for method, path, body in requests:
            response = await http.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (path, response.text)
    assert billing.calls == []

    _, partner = await open_shop(sessions)
    billing.on(GetOrder, refusal("order_not_found", 404, detail="There is no such order."))
    other_shops = await http.get(f"/partner/v1/orders/{uuid4()}", headers=partner)
    assert other_shops.status_code == 404
    assert other_shops.json()["type"] == "/problems/order_not_found"
