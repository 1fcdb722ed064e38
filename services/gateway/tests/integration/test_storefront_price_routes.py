"""Storefront prices and carts with real shops and customer sessions on PostgreSQL, fake
billing service: commands, the optional customer token, validation and field names (B1, V4)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.billing import (
    AddCartLine,
    ApplyVoucherCode,
    ChangeCartLine,
    ChooseShipping,
    CreateCart,
    GetCart,
    ItemRequest,
    ListProducts,
    Names,
    PriceList,
    PriceQuote,
    QuotePrices,
    RemoveCartLine,
    RemoveVoucherCode,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from price_support import (
    NOW,
    FakeServices,
    cart_for,
    empty_pricing,
    log_in,
    open_shop,
    product,
    refused,
    serving,
    shipping,
)

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_storefront_prices_"

CART = uuid4()
LINE = uuid4()
ITEM = {"sku": "FLY", "quantity": 500, "production_option": "express"}


@pytest.fixture
def http(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The module's client: one migrated database per module, each test its own shops."""
    return client


@pytest.fixture
def sessions(app_runtime: tuple[Any, ServiceRuntime]) -> async_sessionmaker[AsyncSession]:
    return app_runtime[1].sessions


@pytest.fixture
def customers(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    """A fresh fake of the services for each test, on the module's app."""
    services = FakeServices()
    for command_type in (
        CreateCart,
        GetCart,
        AddCartLine,
        ChangeCartLine,
        RemoveCartLine,
        ChooseShipping,
        ApplyVoucherCode,
        RemoveVoucherCode,
    ):
        services.on(command_type, cart_for)
    services.on(QuotePrices, lambda c: PriceQuote(currency="EUR", pricing=empty_pricing()))
    with serving(app_runtime[0], services):
        yield services


def url(shop_id: UUID, path: str) -> str:
    return f"/storefront/v1/shops/{shop_id}{path}"


# (method, path, body, command, status, what the command carries besides shop and customer)
ROUTES: list[tuple[str, str, Any, type, int, dict[str, Any]]] = [
    (
        "POST",
        "/carts",
        {"items": [ITEM], "language": "fr"},
        CreateCart,
        201,
        {"language": "fr", "items": [ItemRequest(**ITEM)]},
    ),
    ("GET", f"/carts/{CART}?language=de", None, GetCart, 200, {"cart_id": CART, "language": "de"}),
    (
        "POST",
        f"/carts/{CART}/lines?language=de",
        ITEM,
        AddCartLine,
        200,
        {"cart_id": CART, "language": "de", "item": ItemRequest(**ITEM)},
    ),
    (
        "PATCH",
        f"/carts/{CART}/lines/{LINE}",
        {"quantity": 700},
        ChangeCartLine,
        200,
        {"cart_id": CART, "line_id": LINE, "quantity": 700, "production_option": None},
    ),
    (
        "DELETE",
        f"/carts/{CART}/lines/{LINE}",
        None,
        RemoveCartLine,
        200,
        {"cart_id": CART, "line_id": LINE, "language": None},
    ),
    (
        "PUT",
        f"/carts/{CART}/shipping",
        {"shipping_option": "post"},
        ChooseShipping,
        200,
        {"cart_id": CART, "shipping_option": "post"},
    ),
    (
        "PUT",
        f"/carts/{CART}/voucher",
        {"code": " spring10 "},
        ApplyVoucherCode,
        200,
        {"cart_id": CART, "code": "spring10"},
    ),
    ("DELETE", f"/carts/{CART}/voucher", None, RemoveVoucherCode, 200, {"cart_id": CART}),
    (
        "POST",
        "/prices",
        {"items": [{"sku": "BRO", "quantity": 50}], "language": "de"},
        QuotePrices,
        200,
        {"language": "de", "items": [ItemRequest(sku="BRO", quantity=50)]},
    ),
]


@pytest.mark.parametrize("as_customer", [True, False], ids=["customer", "visitor"])
@pytest.mark.parametrize(
    ("method", "path", "body", "command_type", "status", "carried"),
    ROUTES,
    ids=[f"{r[0]} {r[1].split('?')[0].replace(str(CART), '{cart}')}" for r in ROUTES],
)
async def test_each_route_sends_its_command_for_the_caller(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    customers: FakeServices,
    as_customer: bool,
    method: str,
    path: str,
    body: Any,
    command_type: type,
    status: int,
    carried: dict[str, Any],
) -> None:
    shop, _ = await open_shop(sessions)
    customer_id = uuid4()
    headers = await log_in(sessions, shop, customer_id) if as_customer else {}

    response = await http.request(method, url(shop, path), json=body, headers=headers)

    assert response.status_code == status, response.text
    command = customers.sent(command_type)
    assert command.shop_id == shop
    assert command.customer_id == (customer_id if as_customer else None)
    assert command.correlation_id == UUID(response.headers["X-Correlation-ID"])
    assert {name: getattr(command, name) for name in carried} == carried
    if command_type is CreateCart:
        cart_id = response.json()["cart_id"]
        assert response.headers["Location"] == f"/storefront/v1/shops/{shop}/carts/{cart_id}"
    elif command_type is QuotePrices:
        assert response.json()["currency"] == "EUR"
    else:
        assert response.json()["cart_id"] == str(CART)
        assert response.json()["customer_id"] == (str(customer_id) if as_customer else None)


async def test_a_cart_without_a_body_is_an_empty_cart(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    response = await http.post(url(shop, "/carts"))
    assert response.status_code == 201, response.text
    command = customers.sent(CreateCart)
    assert (command.items, command.language, command.customer_id) == ([], None, None)


async def test_a_token_that_is_sent_must_be_this_shops_live_customer_token(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    other_shop, _ = await open_shop(sessions)
    other_shops_customer = await log_in(sessions, other_shop, uuid4())
    expired = await log_in(sessions, shop, uuid4(), now=NOW - timedelta(days=400))
    bad_headers = [
        {"Authorization": "Bearer ct_made-up"},
        other_shops_customer,
        expired,
        partner,
        {"Authorization": "Basic YWRhOnNlY3JldA=="},
    ]
    requests: list[tuple[str, str, Any]] = [
        ("GET", f"/carts/{CART}", None),
        ("POST", "/carts", {}),
        ("POST", f"/carts/{CART}/lines", ITEM),
        ("DELETE", f"/carts/{CART}/voucher", None),
        ("POST", "/prices", {"items": [ITEM]}),
    ]
    for headers in bad_headers:
        for method, path, body in requests:
            response = await http.request(method, url(shop, path), json=body, headers=headers)
            assert response.status_code == 401, (headers, path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["WWW-Authenticate"] == "Bearer"
    assert customers.calls == [], "a refused caller never reaches billing"

    unknown_shop = await http.get(url(uuid4(), f"/carts/{CART}"))
    assert unknown_shop.status_code == 404
    assert unknown_shop.json()["type"] == "/problems/shop_not_found"


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return sorted(e["field"] for e in response.json()["errors"])


@pytest.mark.parametrize(
    ("method", "path", "body", "fields"),
    [
        ("POST", f"/carts/{CART}/lines", {"sku": "FLY", "quantity": 0}, ["quantity"]),
        ("POST", f"/carts/{CART}/lines", {"sku": "FLY", "quantity": -3}, ["quantity"]),
        ("POST", f"/carts/{CART}/lines", {"sku": "FLY", "quantity": 10_000_001}, ["quantity"]),
        ("POST", f"/carts/{CART}/lines", {"sku": "", "quantity": 5}, ["sku"]),
        ("POST", f"/carts/{CART}/lines", {**ITEM, "unit_net": "0.01"}, ["unit_net"]),
        ("POST", "/carts", {"items": [ITEM, {"sku": "BRO", "quantity": 0}]}, ["items.1.quantity"]),
        ("POST", "/carts", {"language": "es"}, ["language"]),
        ("POST", "/prices", {"items": []}, ["items"]),
        ("POST", "/prices", {"items": [{"sku": "FLY", "quantity": 10**9}]}, ["items.0.quantity"]),
        ("POST", "/prices", {"items": [{**ITEM, "price": "0.01"}]}, ["items.0.price"]),
        ("PATCH", f"/carts/{CART}/lines/{LINE}", {}, ["body"]),
        ("PATCH", f"/carts/{CART}/lines/{LINE}", {"quantity": 0}, ["quantity"]),
        ("PATCH", f"/carts/{CART}/lines/{LINE}", {"quantity": None}, ["quantity"]),
        ("PUT", f"/carts/{CART}/shipping", {}, ["shipping_option"]),
        ("PUT", f"/carts/{CART}/voucher", {"code": "   "}, ["code"]),
        ("GET", f"/carts/{CART}?language=xx", None, ["language"]),
        ("GET", "/carts/not-a-uuid", None, ["cart_id"]),
    ],
)
async def test_bad_bodies_are_refused_by_field_before_billing_is_asked(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    customers: FakeServices,
    method: str,
    path: str,
    body: Any,
    fields: list[str],
) -> None:
    shop, _ = await open_shop(sessions)
    response = await http.request(method, url(shop, path), json=body)
    assert fields_of(response) == fields
    assert customers.calls == []


async def test_billing_field_names_become_the_bodys_names(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customers.on(
        AddCartLine,
        refused(
            "validation_failed",
            422,
            ("item.quantity", "at least 100 and at most 100000"),
            ("item.production_option", "offered: standard"),
        ),
    )
    customers.on(CreateCart, refused("validation_failed", 422, ("items.1.sku", "no such product")))
    customers.on(QuotePrices, refused("validation_failed", 422, ("items.0.sku", "inactive")))

    line = await http.post(url(shop, f"/carts/{CART}/lines"), json=ITEM)
    assert line.json()["errors"] == [
        {"field": "quantity", "reason": "at least 100 and at most 100000"},
        {"field": "production_option", "reason": "offered: standard"},
    ]
    assert line.json()["type"] == "/problems/validation_failed"
    created = await http.post(url(shop, "/carts"), json={"items": [ITEM, ITEM]})
    assert fields_of(created) == ["items.1.sku"]
    quote = await http.post(url(shop, "/prices"), json={"items": [ITEM]})
    assert fields_of(quote) == ["items.0.sku"]


async def test_a_voucher_refusal_names_its_reason_and_the_code_field(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    detail = "Add 440.00 more to use this code."
    customers.on(
        ApplyVoucherCode,
        refused("voucher_minimum_not_reached", 422, ("code", detail), detail=detail),
    )
    response = await http.put(url(shop, f"/carts/{CART}/voucher"), json={"code": "BIG50"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/voucher_minimum_not_reached"
    assert problem["errors"] == [{"field": "code", "reason": detail}]
    assert customers.sent(ApplyVoucherCode).code == "BIG50"


async def test_another_customers_cart_answers_billings_404(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customers.on(GetCart, refused("cart_not_found", 404))
    response = await http.get(
        url(shop, f"/carts/{CART}"), headers=await log_in(sessions, shop, uuid4())
    )
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/cart_not_found"


async def test_the_storefront_price_list_never_shows_wholesale_costs(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeServices
) -> None:
    shop, _ = await open_shop(sessions, default_language="de")
    customers.on(
        ListProducts,
        lambda c: PriceList(
            currency="EUR",
            products=[
                product("BRO", names=Names(de="Broschüre", en="Brochure")),
                product("FLY"),
                product("OLD", active=False),
            ],
            shipping_options=[shipping("post"), shipping("pigeon", active=False)],
        ),
    )

    response = await http.get(url(shop, "/products"), params={"language": "fr"})

    assert response.status_code == 200, response.text
    assert "wholesale" not in response.text
    assert "0.0210" not in response.text
    command = customers.sent(ListProducts)
    assert (command.shop_id, command.include_inactive) == (shop, False)
    body = response.json()
    assert [p["sku"] for p in body["products"]] == ["BRO", "FLY"], "inactive ones never shown"
    brochure, flyers = body["products"]
    assert brochure["name"] == "Broschüre", "no French name: the shop's language"
    assert flyers == {
        "sku": "FLY",
        "name": "FLY (fr)",
        "names": {"en": "FLY (en)", "fr": "FLY (fr)", "de": None},
        "unit_net": "0.0450",
        "vat_rate": "20.00",
        "min_quantity": 100,
        "max_quantity": 100000,
        "production_options": [
            {"code": "standard", "name": "Normal", "surcharge_unit_net": "0"},
            {"code": "express", "name": "Eilig", "surcharge_unit_net": "0.0150"},
        ],
    }
    assert body["shipping_options"] == [
        {"code": "post", "name": "La Poste", "net": "5.90", "vat_rate": "20.00"}
    ]
    assert body["currency"] == "EUR"

    default = await http.get(url(shop, "/products"))
    assert [p["name"] for p in default.json()["products"]] == ["Broschüre", "FLY (en)"]
    assert fields_of(await http.get(url(shop, "/products"), params={"language": "it"})) == [
        "language"
    ]


async def test_quotes_keep_money_as_decimal_strings(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    quote = PriceQuote(
        currency="EUR",
        pricing=empty_pricing().model_copy(update={"net_total": Decimal("45.00")}),
    )
    customers.on(QuotePrices, lambda c: quote)
    response = await http.post(url(shop, "/prices"), json={"items": [ITEM]})
    assert response.json()["pricing"]["net_total"] == "45.00"
