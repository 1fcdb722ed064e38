"""Partner price list, discounts, group adjustments, vouchers, report and cart settings and the
customer sheet, with real partner tokens on PostgreSQL and fake services (V1-V4, V6, B1, P11)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Command
from contracts.billing import (
    CartSettings,
    CartSummary,
    ConfigureCarts,
    CustomerCarts,
    GetCartSettings,
    GetProduct,
    InvoicePage,
    ListCustomerCarts,
    ListInvoices,
    ListOrders,
    ListProducts,
    Names,
    OrderPage,
    PriceList,
    ProductionOption,
    ProductSaved,
    PutProduct,
    PutShippingOption,
    ShippingOptionSaved,
)
from contracts.customers import CustomerSheet, CustomerSnapshot, GetCustomer
from contracts.notifier import ConfigureReportAddresses, GetReportAddresses, ReportAddresses
from contracts.vouchers import (
    CreateVoucher,
    CustomerPricing,
    GeneratedVouchers,
    GenerateVouchers,
    GetCustomerPricing,
    GetVoucher,
    GroupAdjustment,
    GroupAdjustments,
    ListGroupAdjustments,
    ListVouchers,
    SetCustomerDiscount,
    SetGroupAdjustment,
    SetVoucherActive,
    Voucher,
    VoucherPage,
    VoucherTerms,
)
from service_runtime.rpc_client import RpcTimeout
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from price_support import NOW, FakeServices, open_shop, product, refused, serving, shipping

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_partner_prices_"

PRODUCT_BODY = {
    "names": {"en": "Flyers A5", "fr": "Flyers A5"},
    "unit_net": "0.0450",
    "wholesale_unit_cost": "0.0210",
    "vat_rate": "20.00",
    "production_options": [
        {"code": "standard", "names": {"en": "Standard"}},
        {"code": "express", "names": {"en": "Express"}, "surcharge_unit_net": "0.0150"},
    ],
    "min_quantity": 100,
}


@pytest.fixture
def http(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The module's client: one migrated database per module, each test its own shop."""
    return client


@pytest.fixture
def sessions(app_runtime: tuple[Any, ServiceRuntime]) -> async_sessionmaker[AsyncSession]:
    return app_runtime[1].sessions


@pytest.fixture
def services(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    fake = FakeServices()
    with serving(app_runtime[0], fake):
        yield fake


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return sorted(e["field"] for e in response.json()["errors"])


def voucher_for(command: CreateVoucher) -> Voucher:
    return Voucher(
        **command.terms.model_dump(),
        voucher_id=uuid4(),
        code=command.code.upper(),
        use_count=0,
        created_at=NOW,
    )


# -- price list ------------------------------------------------------------------------------


async def test_a_put_product_creates_then_replaces_in_the_tokens_shop(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    created = iter([True, False])
    services.on(
        PutProduct,
        lambda c: ProductSaved(
            product={**c.product.model_dump(), "updated_at": NOW}, created=next(created)
        ),
    )

    first = await http.put("/partner/v1/products/FLY-A5", headers=partner, json=PRODUCT_BODY)
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == "/partner/v1/products/FLY-A5"
    assert first.json()["wholesale_unit_cost"] == "0.0210", "the partner sees the cost"
    again = await http.put("/partner/v1/products/FLY-A5", headers=partner, json=PRODUCT_BODY)
    assert again.status_code == 200
    assert "Location" not in again.headers

    command = services.calls[0]
    assert isinstance(command, PutProduct)
    assert command.shop_id == shop
    assert command.product.sku == "FLY-A5"
    assert command.product.unit_net == Decimal("0.0450")
    assert command.product.production_options[1] == ProductionOption(
        code="express", names=Names(en="Express"), surcharge_unit_net=Decimal("0.0150")
    )
    assert (command.product.min_quantity, command.product.max_quantity) == (100, 100_000)


@pytest.mark.parametrize(
    ("path", "body", "fields"),
    [
        ("/partner/v1/products/bad%20sku", PRODUCT_BODY, ["sku"]),
        ("/partner/v1/products/FLY", {**PRODUCT_BODY, "sku": "OTHER"}, ["sku"]),
        ("/partner/v1/products/FLY", {**PRODUCT_BODY, "unit_net": "0.00001"}, ["unit_net"]),
        ("/partner/v1/products/FLY", {**PRODUCT_BODY, "names": {}}, ["names"]),
        ("/partner/v1/products/FLY", {**PRODUCT_BODY, "names": {"es": "x"}}, ["names.es"]),
        (
            "/partner/v1/products/FLY",
            {**PRODUCT_BODY, "production_options": [{"code": "a", "names": {"en": "A"}}] * 2},
            ["production_options"],
        ),
        (
            "/partner/v1/products/FLY",
            {**PRODUCT_BODY, "production_options": [{"code": "Fast!", "names": {"en": "A"}}]},
            ["production_options.0.code"],
        ),
        ("/partner/v1/products/FLY", {**PRODUCT_BODY, "vat_rate": "120"}, ["vat_rate"]),
        (
            "/partner/v1/shipping-options/Post",
            {"names": {"en": "Post"}, "net": "5.90", "vat_rate": "20"},
            ["code"],
        ),
        (
            "/partner/v1/shipping-options/post",
            {"names": {"en": "Post"}, "net": "-1", "vat_rate": "20", "code": "post"},
            ["code", "net"],
        ),
    ],
)
async def test_price_list_bodies_are_refused_by_field(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    services: FakeServices,
    path: str,
    body: dict[str, Any],
    fields: list[str],
) -> None:
    _, partner = await open_shop(sessions)
    assert fields_of(await http.put(path, headers=partner, json=body)) == fields
    assert services.calls == []


async def test_shipping_options_and_the_whole_price_list(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    services.on(
        PutShippingOption,
        lambda c: ShippingOptionSaved(
            option={**c.option.model_dump(), "updated_at": NOW}, created=True
        ),
    )
    services.on(
        ListProducts,
        lambda c: PriceList(
            currency="EUR",
            products=[product("FLY"), product("OLD", active=False)],
            shipping_options=[shipping("post")],
        ),
    )
    services.on(GetProduct, refused("product_not_found", 404))

    put = await http.put(
        "/partner/v1/shipping-options/post",
        headers=partner,
        json={"names": {"en": "Post"}, "net": "5.90", "vat_rate": "20.00"},
    )
    assert put.status_code == 201, put.text
    assert put.headers["Location"] == "/partner/v1/shipping-options/post"
    option = services.sent(PutShippingOption).option
    assert (option.code, option.net, option.active) == ("post", Decimal("5.90"), True)

    listed = await http.get("/partner/v1/price-list", headers=partner)
    assert listed.status_code == 200
    assert [p["sku"] for p in listed.json()["products"]] == ["FLY", "OLD"]
    assert listed.json()["products"][0]["wholesale_unit_cost"] == "0.0210"
    assert services.sent(ListProducts).include_inactive is True

    missing = await http.get("/partner/v1/products/NOPE", headers=partner)
    assert missing.status_code == 404
    assert services.sent(GetProduct).sku == "NOPE"
    assert {c.shop_id for c in services.calls} == {shop}


# -- discounts and group adjustments ----------------------------------------------------------


async def test_a_customer_discount_is_1_to_100_or_null(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    customer = uuid4()
    services.on(
        SetCustomerDiscount,
        lambda c: CustomerPricing(
            customer_id=c.customer_id,
            discount_percent=c.discount_percent,
            special_condition=c.discount_percent is not None,
        ),
    )
    path = f"/partner/v1/customers/{customer}/discount"
    for bad in (0, 101, "0.5", "12.345", "ten", True):
        response = await http.put(path, headers=partner, json={"discount_percent": bad})
        assert fields_of(response) == ["discount_percent"], bad
    assert fields_of(await http.put(path, headers=partner, json={})) == ["discount_percent"]
    extra = await http.put(path, headers=partner, json={"discount_percent": 5, "sc": True})
    assert fields_of(extra) == ["sc"]
    assert services.calls == []

    set_ = await http.put(path, headers=partner, json={"discount_percent": "12.5"})
    assert set_.status_code == 200, set_.text
    assert set_.json()["special_condition"] is True
    assert set_.json()["discount_percent"] == "12.5"
    reset = await http.put(path, headers=partner, json={"discount_percent": None})
    assert reset.json()["special_condition"] is False
    first, second = services.calls
    assert isinstance(first, SetCustomerDiscount)
    assert isinstance(second, SetCustomerDiscount)
    assert (first.shop_id, first.customer_id, first.discount_percent) == (
        shop,
        customer,
        Decimal("12.5"),
    )
    assert (second.discount_percent, second.changed_by) == (None, "partner")


async def test_group_adjustments_are_listed_and_set_within_100_percent(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    group = uuid4()
    services.on(
        SetGroupAdjustment,
        lambda c: GroupAdjustment(group_id=c.group_id, group_name="VIP", percent=c.percent),
    )
    services.on(
        ListGroupAdjustments,
        lambda c: GroupAdjustments(
            items=[
                GroupAdjustment(
                    group_id=group, group_name="Visitor", system_key="visitor", percent=10
                )
            ]
        ),
    )
    path = f"/partner/v1/groups/{group}/adjustment"
    for bad in (-101, 100.5, "x"):
        assert fields_of(await http.put(path, headers=partner, json={"percent": bad})) == [
            "percent"
        ]
    response = await http.put(path, headers=partner, json={"percent": "-5"})
    assert response.status_code == 200, response.text
    assert response.json()["percent"] == "-5"
    command = services.sent(SetGroupAdjustment)
    assert (command.shop_id, command.group_id, command.percent) == (shop, group, Decimal("-5"))

    listed = await http.get("/partner/v1/group-adjustments", headers=partner)
    assert listed.json()["items"][0]["percent"] == "10"
    assert services.sent(ListGroupAdjustments).shop_id == shop


# -- vouchers --------------------------------------------------------------------------------


async def test_a_voucher_is_created_with_its_terms_and_location(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    customer = uuid4()
    services.on(CreateVoucher, voucher_for)
    body = {
        "code": "Spring10",
        "kind": "percent",
        "value": "10",
        "min_order_value": "50",
        "valid_from": NOW.isoformat(),
        "valid_until": (NOW + timedelta(days=30)).isoformat(),
        "redemption_limit": 5,
        "customer_id": str(customer),
    }
    response = await http.post("/partner/v1/vouchers", headers=partner, json=body)

    assert response.status_code == 201, response.text
    voucher = response.json()
    assert response.headers["Location"] == f"/partner/v1/vouchers/{voucher['voucher_id']}"
    assert (voucher["code"], voucher["value"], voucher["min_order_value"]) == (
        "SPRING10",
        "10",
        "50",
    )
    command = services.sent(CreateVoucher)
    assert (command.shop_id, command.code) == (shop, "Spring10")
    assert command.terms == VoucherTerms(
        kind="percent",
        value=Decimal("10"),
        min_order_value=Decimal("50"),
        valid_from=NOW,
        valid_until=NOW + timedelta(days=30),
        redemption_limit=5,
        customer_id=customer,
    )


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"kind": "percent", "value": "150"}, ["value"]),
        ({"kind": "fixed", "value": "0"}, ["value"]),
        ({"kind": "gift"}, ["kind"]),
        ({"code": "ab"}, ["code"]),
        ({"code": "spring 10"}, ["code"]),
        ({"valid_from": "2026-05-01T00:00:00"}, ["valid_from"]),
        (
            {"valid_from": "2026-05-02T00:00:00Z", "valid_until": "2026-05-01T00:00:00Z"},
            ["valid_until"],
        ),
        ({"redemption_limit": 0}, ["redemption_limit"]),
        ({"min_order_value": "-1"}, ["min_order_value"]),
        ({"percent": "10"}, ["percent"]),
    ],
)
async def test_voucher_terms_are_refused_by_field(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    services: FakeServices,
    changes: dict[str, Any],
    fields: list[str],
) -> None:
    _, partner = await open_shop(sessions)
    body = {"code": "SPRING10", "kind": "fixed", "value": "5", **changes}
    assert fields_of(await http.post("/partner/v1/vouchers", headers=partner, json=body)) == fields
    assert services.calls == []


async def test_taken_codes_are_the_services_409(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    _, partner = await open_shop(sessions)
    services.on(CreateVoucher, refused("voucher_code_taken", 409, ("code", "taken")))
    response = await http.post(
        "/partner/v1/vouchers", headers=partner, json={"code": "big50", "kind": "fixed", "value": 5}
    )
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/voucher_code_taken"


async def test_generated_vouchers_list_and_activation(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    voucher = voucher_for(
        CreateVoucher(
            shop_id=shop, code="FLYER-AB12", terms=VoucherTerms(kind="fixed", value=Decimal(5))
        )
    )
    services.on(
        GenerateVouchers,
        lambda c: GeneratedVouchers(count=c.count, codes=[f"{c.prefix}X{n}" for n in range(3)]),
    )
    services.on(
        ListVouchers,
        lambda c: VoucherPage(items=[voucher], total=1, page=c.page, size=c.size),
    )
    services.on(GetVoucher, lambda c: voucher)
    services.on(SetVoucherActive, lambda c: voucher.model_copy(update={"active": c.active}))

    generated = await http.post(
        "/partner/v1/vouchers/generate",
        headers=partner,
        json={"count": 3, "prefix": "FLYER-", "kind": "fixed", "value": "5"},
    )
    assert generated.status_code == 201, generated.text
    assert generated.json()["codes"] == ["FLYER-X0", "FLYER-X1", "FLYER-X2"]
    batch = services.sent(GenerateVouchers)
    assert (batch.count, batch.prefix, batch.terms.kind, batch.terms.value) == (
        3,
        "FLYER-",
        "fixed",
        Decimal("5"),
    )
    for bad, field in (
        ({"count": 0}, "count"),
        ({"count": 10_001}, "count"),
        ({"prefix": "-x"}, "prefix"),
    ):
        body = {"count": 3, "kind": "fixed", "value": "5", **bad}
        response = await http.post("/partner/v1/vouchers/generate", headers=partner, json=body)
        assert fields_of(response) == [field]

    default_page = await http.get("/partner/v1/vouchers", headers=partner)
    assert default_page.json()["total"] == 1
    listed = await http.get(
        "/partner/v1/vouchers",
        headers=partner,
        params={"page": 2, "size": 500, "code_prefix": " fly ", "active": "true"},
    )
    assert listed.status_code == 200
    first_query, second_query = [c for c in services.calls if isinstance(c, ListVouchers)]
    assert (first_query.page, first_query.size, first_query.code_prefix) == (1, 25, None)
    assert (second_query.page, second_query.size, second_query.code_prefix) == (2, 500, "fly")
    assert (second_query.active, second_query.customer_id) == (True, None)
    too_big = await http.get("/partner/v1/vouchers", headers=partner, params={"size": 501})
    assert fields_of(too_big) == ["size"]

    path = f"/partner/v1/vouchers/{voucher.voucher_id}"
    assert (await http.get(path, headers=partner)).json()["code"] == "FLYER-AB12"
    off = await http.post(f"{path}/deactivate", headers=partner)
    on = await http.post(f"{path}/activate", headers=partner)
    assert (off.json()["active"], on.json()["active"]) == (False, True)
    switches = [c for c in services.calls if isinstance(c, SetVoucherActive)]
    assert [(c.voucher_id, c.active) for c in switches] == [
        (voucher.voucher_id, False),
        (voucher.voucher_id, True),
    ]
    assert {c.shop_id for c in services.calls} == {shop}


# -- settings --------------------------------------------------------------------------------


async def test_report_addresses_are_checked_like_partner_copies(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    services.on(ConfigureReportAddresses, lambda c: c.settings)
    services.on(GetReportAddresses, lambda c: ReportAddresses(addresses=["a@shop.example"]))
    path = "/partner/v1/settings/report-addresses"

    bad = await http.put(path, headers=partner, json={"addresses": ["ok@shop.example", "nope@"]})
    assert fields_of(bad) == ["addresses.1"]
    many = [f"r{n}@shop.example" for n in range(21)]
    assert fields_of(await http.put(path, headers=partner, json={"addresses": many})) == [
        "addresses"
    ]
    assert fields_of(await http.put(path, headers=partner, json={})) == ["addresses"]
    assert services.calls == []

    saved = await http.put(
        path,
        headers=partner,
        json={"addresses": ["Boss@Shop.EXAMPLE", "boss@shop.example", " desk@shop.example "]},
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"addresses": ["Boss@shop.example", "desk@shop.example"]}
    stopped = await http.put(path, headers=partner, json={"addresses": []})
    assert stopped.json() == {"addresses": []}
    assert (await http.get(path, headers=partner)).json() == {"addresses": ["a@shop.example"]}
    assert {c.shop_id for c in services.calls} == {shop}


async def test_cart_settings_name_their_hours(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    services.on(ConfigureCarts, lambda c: c.settings)
    services.on(GetCartSettings, lambda c: CartSettings())
    path = "/partner/v1/settings/carts"
    for bad in (0, 24 * 90 + 1, "soon"):
        response = await http.put(path, headers=partner, json={"abandon_after_hours": bad})
        assert fields_of(response) == ["abandon_after_hours"]
    saved = await http.put(path, headers=partner, json={"abandon_after_hours": 48})
    assert saved.json() == {"abandon_after_hours": 48}
    assert services.sent(ConfigureCarts).settings == CartSettings(abandon_after_hours=48)
    assert (await http.get(path, headers=partner)).json() == {"abandon_after_hours": 24}
    assert services.sent(GetCartSettings).shop_id == shop


# -- the customer sheet ----------------------------------------------------------------------


def sheet_of(command: GetCustomer) -> CustomerSheet:
    return CustomerSheet(
        customer=CustomerSnapshot(
            customer_id=command.customer_id,
            identity_id=uuid4(),
            customer_number=12,
            revision=2,
            email="ada@example.com",
            email_verified=True,
            first_name="Ada",
            last_name="Lovelace",
            language="en",
            newsletter=True,
            registered_at=NOW,
            profile_changed_at=NOW,
        ),
        password_set=True,
        shared=False,
    )


def summary() -> CartSummary:
    return CartSummary(
        cart_id=uuid4(),
        status="abandoned",
        line_count=2,
        net_total=Decimal("110.67"),
        gross_total=Decimal("125.36"),
        currency="EUR",
        created_at=NOW,
        last_activity_at=NOW,
        abandoned_at=NOW + timedelta(hours=24),
    )


def pricing_of(command: GetCustomerPricing) -> CustomerPricing:
    return CustomerPricing(
        customer_id=command.customer_id,
        discount_percent=Decimal("10.00"),
        special_condition=True,
        group=GroupAdjustment(group_id=uuid4(), group_name="Customer", percent=Decimal(-5)),
    )


def timed_out(command: Command) -> Any:
    raise RpcTimeout(f"{type(command).__name__} got no answer within 3 s")


def no_orders_invoices_or_vouchers(services: FakeServices) -> None:
    """Billing and vouchers answer the sheet's lists with empty pages."""
    services.on(ListOrders, lambda c: OrderPage(items=[], total=0, page=c.page, size=c.size))
    services.on(ListInvoices, lambda c: InvoicePage(items=[], total=0, page=c.page, size=c.size))
    services.on(ListVouchers, lambda c: VoucherPage(items=[], total=0, page=c.page, size=c.size))


async def test_the_sheet_adds_pricing_and_carts_asked_for_side_by_side(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    customer, cart = uuid4(), summary()
    services.on(GetCustomer, sheet_of)
    services.on(GetCustomerPricing, pricing_of)
    services.on(ListCustomerCarts, lambda c: CustomerCarts(items=[cart]))
    no_orders_invoices_or_vouchers(services)

    response = await http.get(f"/partner/v1/customers/{customer}", headers=partner)

    assert response.status_code == 200, response.text
    body = response.json()
    sheet = CustomerSheet.model_validate(body)
    assert sheet.customer.customer_id == customer, "every field of the contract is kept"
    assert body["customer"]["customer_number"] == 12
    assert (body["password_set"], body["shared"], body["notes"]) == (True, False, [])
    assert body["pricing"]["discount_percent"] == "10.00"
    assert body["pricing"]["special_condition"] is True
    assert body["pricing"]["group"]["percent"] == "-5"
    assert body["carts"] == [
        {
            "cart_id": str(cart.cart_id),
            "status": "abandoned",
            "line_count": 2,
            "net_total": "110.67",
            "gross_total": "125.36",
            "currency": "EUR",
            "created_at": "2026-04-01T10:00:00Z",
            "last_activity_at": "2026-04-01T10:00:00Z",
            "abandoned_at": "2026-04-02T10:00:00Z",
        }
    ]
    assert (body["orders"], body["invoices"], body["vouchers"]) == ([], [], [])
    assert body["incomplete"] == []
    parts = (GetCustomerPricing, ListCustomerCarts, ListOrders, ListInvoices, ListVouchers)
    for command_type in (GetCustomer, *parts):
        command = services.sent(command_type)
        assert (command.shop_id, command.customer_id) == (shop, customer)
    assert services.waits["GetCustomer"] is None, "the record waits the usual time"
    assert {services.waits[t.__name__] for t in parts} == {3.0}


async def test_the_sheet_opens_without_pricing_when_vouchers_times_out(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    _, partner = await open_shop(sessions)
    cart = summary()
    services.on(GetCustomer, sheet_of)
    services.on(GetCustomerPricing, timed_out)
    services.on(ListCustomerCarts, lambda c: CustomerCarts(items=[cart]))
    no_orders_invoices_or_vouchers(services)

    response = await http.get(f"/partner/v1/customers/{uuid4()}", headers=partner)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["customer"]["last_name"] == "Lovelace"
    assert body["pricing"] is None
    assert [c["cart_id"] for c in body["carts"]] == [str(cart.cart_id)]
    assert body["incomplete"] == ["pricing"]


async def test_the_sheet_opens_without_either_part_when_both_services_fail(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    _, partner = await open_shop(sessions)
    services.on(GetCustomer, sheet_of)
    services.on(GetCustomerPricing, refused("customer_not_found", 404))
    services.on(ListCustomerCarts, refused("shop_not_ready", 503))
    no_orders_invoices_or_vouchers(services)

    body = (await http.get(f"/partner/v1/customers/{uuid4()}", headers=partner)).json()

    assert (body["pricing"], body["carts"], body["incomplete"]) == (None, [], ["pricing", "carts"])


async def test_the_customers_services_404_wins_over_the_parts(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    _, partner = await open_shop(sessions)
    services.on(GetCustomer, refused("customer_not_found", 404))
    services.on(GetCustomerPricing, pricing_of)
    services.on(ListCustomerCarts, lambda c: CustomerCarts(items=[summary()]))
    no_orders_invoices_or_vouchers(services)

    response = await http.get(f"/partner/v1/customers/{uuid4()}", headers=partner)

    assert response.status_code == 404
    assert response.json()["type"] == "/problems/customer_not_found"


async def test_the_sheet_is_documented_as_the_contract_plus_its_parts(
    http: httpx.AsyncClient,
) -> None:
    schema = (await http.get("/openapi.json")).json()
    answer = schema["paths"]["/partner/v1/customers/{customer_id}"]["get"]["responses"]["200"]
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][name]["properties"]
    parts = {"pricing", "carts", "orders", "invoices", "vouchers", "billing", "incomplete"}
    assert set(CustomerSheet.model_fields) | parts == set(properties)
