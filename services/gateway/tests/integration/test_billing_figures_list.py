"""The overview list and its CSV export with billing's figures applied by the real handler (O1,
O3, P8): the invoice column, the orders-range and unpaid filters, sorts by orders and revenue
over every page, and the partial index the unpaid filter is served by."""

from __future__ import annotations

import csv
import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from contracts.billing import CustomerBillingChanged, CustomerBillingFigures
from contracts.customers import B2BTerms, CustomersImported, CustomerSnapshot
from gateway.adapters.overview_queries import OverviewFilters, page_statement
from gateway.domain.tokens import new_partner_token
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from gateway_support import insert_partner_token, insert_shop
from overview_events import T0, handle, snapshot

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_billing_list_"
CUSTOMERS = 33


class Shop:
    def __init__(self, shop_id: UUID, auth: dict[str, str]) -> None:
        self.shop_id, self.auth = shop_id, auth
        self.customers: dict[int, CustomerSnapshot] = {}


def orders_of(n: int) -> int:
    return (n * 7) % 6


def revenue_of(n: int) -> Decimal:
    """Ties on purpose (n and n + 11 share a revenue): the id decides between them."""
    return Decimal((n * 37) % 11 * 10) + Decimal("0.45")


def unpaid_of(n: int) -> int:
    return n % 4 if n % 3 == 0 else 0


async def open_shop(runtime: ServiceRuntime) -> Shop:
    shop_id, token = uuid4(), new_partner_token()
    async with runtime.unit_of_work() as uow:
        await insert_shop(uow.session, shop_id, T0, slug=f"figures-{shop_id.hex[:8]}")
        await insert_partner_token(uow.session, shop_id, token, "tests", T0)
        await uow.commit()
    return Shop(shop_id, {"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="module")
async def shop(app_runtime: tuple[Any, ServiceRuntime]) -> Shop:
    """33 customers whose figures came through CustomerBillingChanged, and a noisy other shop."""
    runtime = app_runtime[1]
    ours, theirs = await open_shop(runtime), await open_shop(runtime)
    ours.customers = {
        n: snapshot(uuid4(), n, 1, b2b=B2BTerms(pays_by_invoice=n % 5 == 0))
        for n in range(1, CUSTOMERS + 1)
    }
    foreign = [snapshot(uuid4(), n, 1) for n in range(1, 6)]
    events: list[Any] = [
        CustomersImported(
            shop_id=ours.shop_id,
            import_id=uuid4(),
            chunk=1,
            chunks=1,
            customers=list(ours.customers.values()),
        ),
        CustomersImported(
            shop_id=theirs.shop_id, import_id=uuid4(), chunk=1, chunks=1, customers=foreign
        ),
    ]
    for n, c in ours.customers.items():
        if orders_of(n) or unpaid_of(n):
            events.append(figures(ours.shop_id, c.customer_id, n))
    events += [figures(theirs.shop_id, c.customer_id, 5) for c in foreign]
    await handle(runtime, *events)
    return ours


def figures(shop_id: UUID, customer_id: UUID, n: int) -> CustomerBillingChanged:
    return CustomerBillingChanged(
        shop_id=shop_id,
        customer_id=customer_id,
        revision=1,
        figures=CustomerBillingFigures(
            orders_count=orders_of(n),
            order_revenue_net=revenue_of(n) if orders_of(n) else Decimal("0.00"),
            unpaid_invoices=unpaid_of(n),
            unpaid_total=Decimal(unpaid_of(n) * 10),
            outstanding=Decimal(unpaid_of(n) * 10),
        ),
        changed_at=T0,
    )


async def all_pages(client: httpx.AsyncClient, shop: Shop, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = await client.get(
            "/partner/v1/customers", params={**params, "page": page, "size": 10}, headers=shop.auth
        )
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        if len(response.json()["items"]) < 10:
            return items
        page += 1


def shown_revenue(n: int) -> Decimal:
    return revenue_of(n) if orders_of(n) else Decimal("0.00")


async def test_rows_show_orders_revenue_and_the_invoice_column(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    items = await all_pages(client, shop)
    assert len(items) == CUSTOMERS
    for item in items:
        n = item["customer_number"]
        assert (item["orders"], Decimal(item["order_revenue_net"])) == (
            orders_of(n),
            shown_revenue(n),
        )
        assert item["invoice"] == {"pays_by_invoice": n % 5 == 0, "unpaid": unpaid_of(n)}


@pytest.mark.parametrize(("sort", "key"), [("orders", orders_of), ("order_revenue", shown_revenue)])
@pytest.mark.parametrize("direction", ["asc", "desc"])
async def test_sorts_by_orders_and_revenue_span_every_page(
    client: httpx.AsyncClient, shop: Shop, sort: str, key: Any, direction: str
) -> None:
    items = await all_pages(client, shop, sort=sort, direction=direction)
    expected = sorted(
        shop.customers,
        key=lambda n: (key(n), str(shop.customers[n].customer_id)),
        reverse=direction == "desc",
    )
    assert [item["customer_number"] for item in items] == expected
    assert len(items) == CUSTOMERS > 30, "four pages of ten"


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"orders_min": 2, "orders_max": 4}, lambda n: 2 <= orders_of(n) <= 4),
        ({"orders_min": 5}, lambda n: orders_of(n) >= 5),
        ({"orders_max": 0}, lambda n: orders_of(n) == 0),
        ({"orders_min": 3, "orders_max": 3}, lambda n: orders_of(n) == 3),
        ({"unpaid": "true"}, lambda n: unpaid_of(n) > 0),
        ({"unpaid": "false"}, lambda n: unpaid_of(n) == 0),
        ({"unpaid": "true", "orders_min": 1}, lambda n: unpaid_of(n) > 0 and orders_of(n) >= 1),
    ],
)
async def test_orders_range_and_unpaid_filter_the_list_and_the_export(
    client: httpx.AsyncClient, shop: Shop, params: dict[str, Any], keep: Any
) -> None:
    expected = [n for n in sorted(shop.customers) if keep(n)]
    assert expected, "each case keeps someone"
    assert len(expected) < CUSTOMERS, "and leaves someone out"
    response = await client.get(
        "/partner/v1/customers", params={**params, "size": 100}, headers=shop.auth
    )
    body = response.json()
    assert [item["customer_number"] for item in body["items"]] == expected
    assert body["total"] == len(expected)

    export = await client.get("/partner/v1/customers/export", params=params, headers=shop.auth)
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [int(row["customer_number"]) for row in rows] == expected
    assert [(int(r["orders"]), Decimal(r["order_revenue_net"])) for r in rows] == [
        (orders_of(n), shown_revenue(n)) for n in expected
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"orders_min": 4, "orders_max": 2}, "orders_min"),
        ({"orders_min": -1}, "orders_min"),
        ({"orders_max": "many"}, "orders_max"),
        ({"orders_max": 2**31}, "orders_max"),
        ({"unpaid": "perhaps"}, "unpaid"),
    ],
)
async def test_bad_filters_are_refused_by_name(
    client: httpx.AsyncClient, shop: Shop, params: dict[str, Any], field: str
) -> None:
    for path in ("/partner/v1/customers", "/partner/v1/customers/export"):
        response = await client.get(path, params=params, headers=shop.auth)
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_the_unpaid_filter_can_be_served_by_its_partial_index(
    app_runtime: tuple[Any, ServiceRuntime], shop: Shop
) -> None:
    """The condition's literal 0 matches the index predicate, so the planner may use it."""
    statement = page_statement(
        OverviewFilters(shop_id=shop.shop_id, unpaid=True),
        "customer_number",
        "asc",
        offset=0,
        limit=25,
    )
    sent = str(statement.compile(dialect=postgresql.dialect()))
    assert "unpaid_invoices > 0" in sent, "a literal even in a prepared statement's generic plan"
    compiled = statement.compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    async with app_runtime[1].sessions() as session:
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        await session.execute(text("SET LOCAL enable_bitmapscan = off"))
        plan = "\n".join(await session.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_customer_overview_shop_unpaid" in plan, plan
