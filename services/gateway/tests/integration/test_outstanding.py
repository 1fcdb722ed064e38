"""GET /partner/v1/outstanding (P7) with real partner tokens and a fake billing service."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.billing import ListOutstanding, Outstanding, OutstandingCustomer
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from price_support import FakeServices, open_shop, serving

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_outstanding_"


@pytest.fixture
def sessions(app_runtime: tuple[Any, ServiceRuntime]) -> async_sessionmaker[AsyncSession]:
    return app_runtime[1].sessions


@pytest.fixture
def services(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    fake = FakeServices()
    with serving(app_runtime[0], fake):
        yield fake


def owing(number: int, unpaid: str, not_invoiced: str, limit: str) -> OutstandingCustomer:
    outstanding = Decimal(unpaid) + Decimal(not_invoiced)
    return OutstandingCustomer(
        customer_id=uuid4(),
        customer_number=number,
        name=f"Customer {number}",
        company="Atelier Lumière" if number == 3 else None,
        unpaid_invoices=2,
        overdue_invoices=1 if number == 3 else 0,
        unpaid_total=Decimal(unpaid),
        not_invoiced_total=Decimal(not_invoiced),
        outstanding=outstanding,
        credit_limit=Decimal(limit),
        over_limit=outstanding > Decimal(limit),
    )


def outstanding_of(command: ListOutstanding) -> Outstanding:
    customers = [owing(3, "1800.00", "450.50", "2000.00"), owing(8, "120.00", "0.00", "500.00")]
    if command.over_limit_only:
        customers = [c for c in customers if c.over_limit]
    return Outstanding(
        currency="EUR",
        customers=customers,
        total=sum((c.outstanding for c in customers), Decimal("0.00")),
    )


async def test_the_outstanding_list_comes_from_billing_for_the_partners_shop(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    services.on(ListOutstanding, outstanding_of)

    response = await client.get("/partner/v1/outstanding", headers=partner)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["currency"] == "EUR"
    assert body["total"] == "2370.50"
    assert [
        (c["customer_number"], c["outstanding"], c["over_limit"]) for c in body["customers"]
    ] == [
        (3, "2250.50", True),
        (8, "120.00", False),
    ]
    assert body["customers"][0]["credit_limit"] == "2000.00"
    assert services.sent(ListOutstanding).shop_id == shop
    assert services.sent(ListOutstanding).over_limit_only is False

    services.calls.clear()
    only = await client.get(
        "/partner/v1/outstanding", params={"over_limit_only": "true"}, headers=partner
    )
    assert [c["customer_number"] for c in only.json()["customers"]] == [3]
    assert only.json()["total"] == "2250.50"
    assert services.sent(ListOutstanding).over_limit_only is True


async def test_the_outstanding_list_refuses_bad_input_and_strangers(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    _, partner = await open_shop(sessions)
    services.on(ListOutstanding, outstanding_of)

    bad = await client.get(
        "/partner/v1/outstanding", params={"over_limit_only": "perhaps"}, headers=partner
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["over_limit_only"]
    assert (await client.get("/partner/v1/outstanding")).status_code == 401
    assert services.calls == [], "billing is never asked for a refused request"
