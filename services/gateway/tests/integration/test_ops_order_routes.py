"""The operator API standing in for the print provider's platform, with real shops on PostgreSQL
and fake billing: the provider's order list and the production steps it reports (B5)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.billing import AdvanceOrder, ListOrders
from gateway.config import DEV_OPERATOR_TOKEN
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from order_support import PROVIDER_ORDER_ID, an_order, order_page, refusal
from price_support import FakeServices, open_shop, serving

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_ops_orders_"

OPERATOR = {"Authorization": f"Bearer {DEV_OPERATOR_TOKEN}"}
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
    shipped = an_order(order_id=ORDER, status="shipped", tracking_number="1Z999")
    fake.on(AdvanceOrder, lambda c: shipped)
    fake.on(ListOrders, lambda c: order_page(shipped))
    with serving(app_runtime[0], fake):
        yield fake


def steps(shop_id: UUID, order_id: UUID = ORDER) -> str:
    return f"/ops/v1/shops/{shop_id}/orders/{order_id}/steps"


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return sorted(e["field"] for e in response.json()["errors"])


async def test_the_provider_lists_a_shops_orders(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    response = await http.get(
        f"/ops/v1/shops/{shop}/orders",
        params={"status": "placed", "page": 2, "size": 100},
        headers=OPERATOR,
    )
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["order_id"] == str(ORDER)
    command = billing.sent(ListOrders)
    assert (command.shop_id, command.status, command.page, command.size) == (
        shop,
        "placed",
        2,
        100,
    )
    assert command.customer_id is None
    bad = await http.get(
        f"/ops/v1/shops/{shop}/orders", params={"status": "done"}, headers=OPERATOR
    )
    assert fields_of(bad) == ["status"]


async def test_a_shipment_step_carries_tracking_and_provider_invoice(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    response = await http.post(
        steps(shop),
        json={
            "step": "shipped",
            "note": " parcel 1 of 1 ",
            "tracking_number": "1Z999",
            "provider_invoice_id": "PINV-2026-0042",
            "provider_invoice_date": "2026-04-03",
        },
        headers=OPERATOR,
    )

    assert response.status_code == 200, response.text
    assert response.json()["provider"]["provider_order_id"] == PROVIDER_ORDER_ID
    command = billing.sent(AdvanceOrder)
    assert (command.shop_id, command.order_id, command.step, command.note) == (
        shop,
        ORDER,
        "shipped",
        "parcel 1 of 1",
    )
    assert (
        command.tracking_number,
        command.provider_invoice_id,
        command.provider_invoice_date,
    ) == ("1Z999", "PINV-2026-0042", date(2026, 4, 3))


async def test_a_data_step_needs_no_more_than_the_step(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    response = await http.post(
        steps(shop), json={"step": "data_rejected", "note": "bleed missing"}, headers=OPERATOR
    )
    assert response.status_code == 200, response.text
    command = billing.sent(AdvanceOrder)
    assert (command.step, command.note, command.tracking_number) == (
        "data_rejected",
        "bleed missing",
        None,
    )


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"step": "shipped"}, ["tracking_number"]),
        ({"step": "shipped", "tracking_number": "  "}, ["tracking_number"]),
        (
            {"step": "data_checked", "tracking_number": "1Z", "provider_invoice_id": "P-1"},
            ["provider_invoice_id", "tracking_number"],
        ),
        (
            {"step": "in_production", "provider_invoice_date": "2026-04-03"},
            ["provider_invoice_date"],
        ),
        ({"step": "cancelled"}, ["step"]),
        ({}, ["step"]),
        ({"step": "shipped", "tracking_number": "1Z", "carrier": "UPS"}, ["carrier"]),
        ({"step": "data_received", "note": "x" * 1001}, ["note"]),
    ],
)
async def test_bad_steps_are_refused_by_field_before_billing_is_asked(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    billing: FakeServices,
    body: dict[str, Any],
    fields: list[str],
) -> None:
    shop, _ = await open_shop(sessions)
    assert fields_of(await http.post(steps(shop), json=body, headers=OPERATOR)) == fields
    assert billing.calls == []


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("invalid_transition", "The order is shipped; it cannot become in_production."),
        ("awaiting_payment", "The order is paid by card and not paid yet."),
    ],
)
async def test_billings_conflicts_are_relayed(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    billing: FakeServices,
    code: str,
    detail: str,
) -> None:
    shop, _ = await open_shop(sessions)
    billing.on(AdvanceOrder, refusal(code, 409, ("step", detail), detail=detail))
    response = await http.post(steps(shop), json={"step": "in_production"}, headers=OPERATOR)
    assert response.status_code == 409
    assert response.json()["type"] == f"/problems/{code}"
    assert response.json()["detail"] == detail
    assert response.json()["errors"] == [{"field": "step", "reason": detail}]


async def test_the_operator_token_and_a_known_shop_are_required(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    for headers in ({}, partner, {"Authorization": "Bearer not-the-operator"}):
        listed = await http.get(f"/ops/v1/shops/{shop}/orders", headers=headers)
        step = await http.post(steps(shop), json={"step": "data_received"}, headers=headers)
        assert (listed.status_code, step.status_code) == (401, 401)
    assert billing.calls == []

    unknown = uuid4()
    for response in (
        await http.get(f"/ops/v1/shops/{unknown}/orders", headers=OPERATOR),
        await http.post(steps(unknown), json={"step": "data_received"}, headers=OPERATOR),
    ):
        assert response.status_code == 404
        assert response.json()["type"] == "/problems/shop_not_found"
    assert billing.calls == []

    billing.on(AdvanceOrder, refusal("order_not_found", 404))
    other_shops = await http.post(steps(shop), json={"step": "data_received"}, headers=OPERATOR)
    assert other_shops.status_code == 404
    assert billing.sent(AdvanceOrder).shop_id == shop
