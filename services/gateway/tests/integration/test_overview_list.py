"""GET /partner/v1/customers over HTTP against the real read model: paging, every sort over
all the shop's customers, filters, search, validation, and no other shop's customers."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import ARRAY, String, cast, func, literal_column, select, update

from contracts.customers import (
    B2BTerms,
    CustomerGroup,
    CustomerGroupChanged,
    CustomersImported,
    CustomerSnapshot,
)
from gateway.adapters import overview_queries
from gateway.adapters.tables import customer_overview as overview
from gateway.domain.tokens import new_partner_token
from gateway.handlers.customer_overview import apply_customers_imported, apply_group_changed
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from gateway_support import insert_partner_token, insert_shop

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_list_"

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
COMPANIES = ["Zeta", None, "alpha", "Beta", None, "Alpha", "gamma"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy"]


class Shop:
    def __init__(self, shop_id: UUID, token: str, group_id: UUID) -> None:
        self.shop_id, self.token, self.group_id = shop_id, token, group_id
        self.customers: list[CustomerSnapshot] = []

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def open_shop(runtime: ServiceRuntime, slug: str) -> Shop:
    shop_id, token = uuid4(), new_partner_token()
    async with runtime.unit_of_work() as uow:
        await insert_shop(
            uow.session,
            shop_id,
            T0,
            brand_name=slug,
            slug=f"{slug}-{shop_id.hex[:8]}",
            sender_email="shop@example.com",
            verification_mode="code",
        )
        await insert_partner_token(uow.session, shop_id, token, "tests", T0)
        await uow.commit()
    return Shop(shop_id, token, uuid4())


def customer(shop: Shop, n: int) -> CustomerSnapshot:
    """Varied customers: every sort and filter has something to tell apart."""
    return CustomerSnapshot(
        customer_id=uuid4(),
        identity_id=uuid4(),
        customer_number=n,
        revision=1,
        email=f"client{n}@example.com",
        email_verified=n % 2 == 0,
        first_name=f"Camille{n % 4}",
        last_name=LAST_NAMES[n % len(LAST_NAMES)],
        language="fr",
        company=COMPANIES[n % len(COMPANIES)],
        vat_number="FR40303265045" if n % 9 == 0 else None,
        newsletter=n % 3 == 0,
        tax_exempt=n % 5 == 0,
        denied=n % 11 == 0,
        group_id=shop.group_id if n % 4 == 0 else None,
        b2b=B2BTerms(pays_by_invoice=n % 6 == 0),
        registered_at=T0 + timedelta(hours=n),
        profile_changed_at=T0 + timedelta(hours=n, minutes=5),
    )


async def fill(runtime: ServiceRuntime, shop: Shop, count: int) -> None:
    shop.customers = [customer(shop, n) for n in range(1, count + 1)]
    async with runtime.unit_of_work() as uow:
        await apply_customers_imported(
            CustomersImported(
                shop_id=shop.shop_id,
                import_id=uuid4(),
                chunk=1,
                chunks=1,
                customers=shop.customers,
            ),
            uow,
        )
        await apply_group_changed(
            CustomerGroupChanged(
                shop_id=shop.shop_id,
                group=CustomerGroup(group_id=shop.group_id, name="Resellers"),
                changed_at=T0,
            ),
            uow,
        )
        for c in shop.customers:  # billing's columns, as billing will fill them
            await uow.session.execute(
                update(overview)
                .where(overview.c.customer_id == c.customer_id)
                .values(
                    orders_count=(c.customer_number * 7) % 5,
                    order_revenue_net=Decimal((c.customer_number * 37) % 23) + Decimal("0.50"),
                    unpaid_invoices=c.customer_number % 3,
                )
            )
        await uow.commit()


@pytest.fixture(scope="module")
async def shops_filled(app_runtime: tuple[Any, ServiceRuntime]) -> tuple[Shop, Shop]:
    runtime = app_runtime[1]
    ours, theirs = await open_shop(runtime, "ours"), await open_shop(runtime, "theirs")
    await fill(runtime, ours, 47)
    await fill(runtime, theirs, 12)
    return ours, theirs


async def all_pages(client: httpx.AsyncClient, shop: Shop, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = await client.get(
            "/partner/v1/customers", params={**params, "page": page, "size": 10}, headers=shop.auth
        )
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        if len(body["items"]) < 10:
            return items
        page += 1


async def collation_ranks(runtime: ServiceRuntime, values: set[str]) -> dict[str, int]:
    """How the database's collation orders these texts (the list must follow it)."""
    async with runtime.sessions() as session:
        ordered = await session.scalars(
            select(literal_column("v"))
            .select_from(func.unnest(cast(list(values), ARRAY(String))).alias("v"))
            .order_by(literal_column("v"))
        )
        return {value: rank for rank, value in enumerate(ordered)}


async def expected_order(
    runtime: ServiceRuntime, shop: Shop, sort: str, direction: str
) -> list[int]:
    """Customer numbers in the order the partner should see them, computed independently."""
    rows = {c.customer_number: c for c in shop.customers}
    reverse = direction == "desc"
    numbers = list(rows)
    if sort == "customer_number":
        return sorted(numbers, reverse=reverse)
    if sort == "company":
        companies = {n: rows[n].company for n in numbers}
        rank = await collation_ranks(runtime, {c for c in companies.values() if c is not None})
        present = [n for n in numbers if companies[n] is not None]
        absent = [n for n in numbers if companies[n] is None]
        return sorted(
            present,
            key=lambda n: (rank[companies[n] or ""], str(rows[n].customer_id)),
            reverse=reverse,
        ) + sorted(absent, key=lambda n: str(rows[n].customer_id), reverse=reverse)
    keys: dict[int, Any]
    if sort == "name":
        names = {n: f"{rows[n].last_name} {rows[n].first_name}".lower() for n in numbers}
        rank = await collation_ranks(runtime, set(names.values()))
        keys = {n: rank[names[n]] for n in numbers}
    elif sort == "orders":
        keys = {n: (n * 7) % 5 for n in numbers}
    else:
        keys = {n: (n * 37) % 23 for n in numbers}
    return sorted(numbers, key=lambda n: (keys[n], str(rows[n].customer_id)), reverse=reverse)


async def test_the_default_page_is_25_customers_by_number(
    client: httpx.AsyncClient, shops_filled: tuple[Shop, Shop]
) -> None:
    ours, _ = shops_filled
    response = await client.get("/partner/v1/customers", headers=ours.auth)
    assert response.status_code == 200
    body = response.json()
    assert (body["page"], body["size"], body["total"]) == (1, 25, 47)
    assert (body["sort"], body["direction"]) == ("customer_number", "asc")
    assert [item["customer_number"] for item in body["items"]] == list(range(1, 26))

    twelfth = next(c for c in ours.customers if c.customer_number == 12)
    row = body["items"][11]
    assert row == {
        "customer_id": str(twelfth.customer_id),
        "customer_number": 12,
        "company": COMPANIES[12 % 7],
        "first_name": "Camille0",
        "last_name": LAST_NAMES[12 % 8],
        "email": "client12@example.com",
        "email_verified": True,
        "registered_at": "2026-03-01T20:00:00Z",
        "profile_changed_at": "2026-03-01T20:05:00Z",
        "orders": (12 * 7) % 5,
        "order_revenue_net": f"{(12 * 37) % 23}.50",
        "invoice": {"pays_by_invoice": True, "unpaid": 0},
        "group_id": str(ours.group_id),
        "group_name": "Resellers",
        "newsletter": True,
        "tax_exempt": False,
        "denied": False,
        "b2b": True,
        "special_condition": False,
        "discount_percent": None,
    }


@pytest.mark.parametrize("sort", ["customer_number", "company", "name", "orders", "order_revenue"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("deep_from", [10_000, 0], ids=["shallow", "deep"])
async def test_every_sort_spans_all_the_shops_customers(
    client: httpx.AsyncClient,
    app_runtime: tuple[Any, ServiceRuntime],
    shops_filled: tuple[Shop, Shop],
    sort: str,
    direction: str,
    deep_from: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'deep' treats every page as deep: counted first, the later half read from the end."""
    monkeypatch.setattr(overview_queries, "FORWARD_PAGE_OFFSET", deep_from)
    ours, _ = shops_filled
    items = await all_pages(client, ours, sort=sort, direction=direction)
    numbers = [item["customer_number"] for item in items]
    assert sorted(numbers) == list(range(1, 48))  # each once, none of the other shop's
    assert numbers == await expected_order(app_runtime[1], ours, sort, direction)
    if sort == "company":  # without company: last, whichever the direction
        assert {item["company"] for item in items[-14:]} == {None}
        assert None not in {item["company"] for item in items[:-14]}


async def test_pages_beyond_the_last_are_empty(
    client: httpx.AsyncClient, shops_filled: tuple[Shop, Shop]
) -> None:
    ours, _ = shops_filled
    response = await client.get(
        "/partner/v1/customers", params={"page": 2, "size": 50}, headers=ours.auth
    )
    assert response.json()["items"] == []
    assert response.json()["total"] == 47
    response = await client.get(
        "/partner/v1/customers", params={"page": 9, "size": 10, "q": "client"}, headers=ours.auth
    )
    assert (response.json()["items"], response.json()["total"]) == ([], 47)


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"newsletter": "true"}, lambda c: c.newsletter),
        ({"newsletter": "false"}, lambda c: not c.newsletter),
        ({"tax_exempt": "true"}, lambda c: c.tax_exempt),
        ({"verified": "false"}, lambda c: not c.email_verified),
        ({"denied": "true"}, lambda c: c.denied),
        ({"b2b": "true"}, lambda c: c.company is not None or c.vat_number is not None),
        (
            {"b2b": "false", "newsletter": "true"},
            lambda c: c.company is None and c.vat_number is None and c.newsletter,
        ),
    ],
)
async def test_filters_narrow_the_list_and_its_total(
    client: httpx.AsyncClient,
    shops_filled: tuple[Shop, Shop],
    params: dict[str, str],
    keep: Any,
) -> None:
    ours, _ = shops_filled
    expected = sorted(c.customer_number for c in ours.customers if keep(c))
    response = await client.get(
        "/partner/v1/customers", params={**params, "size": 100}, headers=ours.auth
    )
    body = response.json()
    assert [item["customer_number"] for item in body["items"]] == expected
    assert body["total"] == len(expected)


async def test_the_group_filter_shows_its_members(
    client: httpx.AsyncClient, shops_filled: tuple[Shop, Shop]
) -> None:
    ours, theirs = shops_filled
    items = await all_pages(client, ours, group_id=str(ours.group_id))
    assert [item["customer_number"] for item in items] == list(range(4, 48, 4))
    assert {item["group_name"] for item in items} == {"Resellers"}
    assert await all_pages(client, ours, group_id=str(theirs.group_id)) == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("DUBOIS", lambda c: c.last_name == "Dubois"),
        ("client17@", lambda c: c.customer_number == 17),
        ("alph", lambda c: (c.company or "").lower() == "alpha"),
        ("14", lambda c: "14" in str(c.customer_number)),
        ("4", lambda c: c.customer_number == 4),
        ("  camille3 leroy ", lambda c: c.first_name == "Camille3" and c.last_name == "Leroy"),
        ("leroy camille3", lambda c: c.first_name == "Camille3" and c.last_name == "Leroy"),
        ("ro cl", lambda c: "ro" in c.last_name.lower()),
        ("camille3 ", lambda c: c.first_name == "Camille3"),
        ("a%", lambda c: False),
        ("_a", lambda c: False),
    ],
)
async def test_search_matches_names_email_number_and_company(
    client: httpx.AsyncClient, shops_filled: tuple[Shop, Shop], q: str, expected: Any
) -> None:
    ours, _ = shops_filled
    items = await all_pages(client, ours, q=q)
    assert [item["customer_number"] for item in items] == sorted(
        c.customer_number for c in ours.customers if expected(c)
    )


async def test_a_number_search_finds_the_exact_customer_number(
    client: httpx.AsyncClient, shops_filled: tuple[Shop, Shop]
) -> None:
    ours, _ = shops_filled
    items = await all_pages(client, ours, q="47")
    assert [item["customer_number"] for item in items] == [47]
    assert await all_pages(client, ours, q="99999999999999") == []


async def test_another_shops_customers_are_never_listed(
    client: httpx.AsyncClient, shops_filled: tuple[Shop, Shop]
) -> None:
    ours, theirs = shops_filled
    theirs_ids = {str(c.customer_id) for c in theirs.customers}
    listed = await all_pages(client, ours, q="client1")
    assert listed
    assert not theirs_ids & {item["customer_id"] for item in listed}
    response = await client.get("/partner/v1/customers", headers=theirs.auth)
    assert response.json()["total"] == 12


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"size": 30}, "size"),
        ({"size": 0}, "size"),
        ({"q": "a"}, "q"),
        ({"q": "²"}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"group_id": "not-a-uuid"}, "group_id"),
        ({"newsletter": "perhaps"}, "newsletter"),
        ({"sort": "email"}, "sort"),
        ({"direction": "up"}, "direction"),
        ({"page": 0}, "page"),
    ],
)
async def test_bad_parameters_are_refused_by_name(
    client: httpx.AsyncClient,
    shops_filled: tuple[Shop, Shop],
    params: dict[str, Any],
    field: str,
) -> None:
    ours, _ = shops_filled
    response = await client.get("/partner/v1/customers", params=params, headers=ours.auth)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_the_list_needs_a_partner_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/partner/v1/customers")
    assert response.status_code == 401
    response = await client.get(
        "/partner/v1/customers", headers={"Authorization": "Bearer pt_unknown"}
    )
    assert response.status_code == 401
