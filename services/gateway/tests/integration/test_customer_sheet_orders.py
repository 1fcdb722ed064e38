"""The customer sheet's orders, invoices, vouchers and billing figures (P11, P7) with fake services
and the real database: every part shown, each failing part named in ``incomplete``."""

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

from contracts.base import Command
from contracts.billing import (
    CustomerBillingChanged,
    CustomerBillingFigures,
    CustomerCarts,
    InvoicePage,
    InvoiceSummary,
    ListCustomerCarts,
    ListInvoices,
    ListOrders,
    OrderPage,
    OrderSummary,
)
from contracts.customers import B2BTerms, CustomerSheet, CustomerSnapshot, GetCustomer
from contracts.vouchers import (
    CustomerPricing,
    GetCustomerPricing,
    ListVouchers,
    Voucher,
    VoucherPage,
)
from gateway.entrypoints.customer_sheet import read_partner_sheet
from service_runtime.rpc_client import RpcTimeout
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from overview_events import handle
from price_support import NOW, FakeServices, open_shop, refused, serving

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_sheet_"

PARTS = (GetCustomerPricing, ListCustomerCarts, ListOrders, ListInvoices, ListVouchers)


@pytest.fixture
def runtime(app_runtime: tuple[Any, ServiceRuntime]) -> ServiceRuntime:
    return app_runtime[1]


@pytest.fixture
def sessions(runtime: ServiceRuntime) -> async_sessionmaker[AsyncSession]:
    return runtime.sessions


@pytest.fixture
def services(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    fake = FakeServices()
    with serving(app_runtime[0], fake):
        yield fake


def sheet_of(command: GetCustomer) -> CustomerSheet:
    return CustomerSheet(
        customer=CustomerSnapshot(
            customer_id=command.customer_id,
            identity_id=uuid4(),
            customer_number=7,
            revision=3,
            email="grace@example.com",
            email_verified=True,
            first_name="Grace",
            last_name="Hopper",
            language="en",
            newsletter=False,
            b2b=B2BTerms(credit_limit=Decimal("1500.00"), pays_by_invoice=True),
            registered_at=NOW,
            profile_changed_at=NOW,
        ),
        password_set=True,
        shared=False,
    )


def order(command: ListOrders, number: int, status: Any) -> OrderSummary:
    return OrderSummary(
        order_id=uuid4(),
        order_number=number,
        customer_id=command.customer_id,
        customer_number=7,
        guest=False,
        name="Grace Hopper",
        status=status,
        payment_method="invoice",
        payment_status="on_invoice",
        currency="EUR",
        net_total=Decimal("100.00") + number,
        gross_total=Decimal("120.00") + number,
        placed_at=NOW - timedelta(days=number),
        invoice_number="2026-000004" if status == "shipped" else None,
    )


def orders_of(command: ListOrders) -> OrderPage:
    items = [order(command, 12, "in_production"), order(command, 9, "shipped")]
    items.append(order(command, 5, "cancelled"))
    return OrderPage(items=items, total=3, page=command.page, size=command.size)


def invoice(command: ListInvoices, number: str, status: Any) -> InvoiceSummary:
    return InvoiceSummary(
        invoice_id=uuid4(),
        invoice_number=number,
        kind="invoice",
        order_id=uuid4(),
        order_number=9,
        customer_id=command.customer_id,
        buyer_name="Grace Hopper",
        currency="EUR",
        issue_date=NOW.date(),
        due_date=NOW.date() + timedelta(days=30),
        gross_total=Decimal("130.80"),
        status=status,
        paid_on=NOW.date() if status == "paid" else None,
    )


def invoices_of(command: ListInvoices) -> InvoicePage:
    items = [
        invoice(command, "2026-000004", "unpaid"),
        invoice(command, "2026-000003", "overdue"),
        invoice(command, "2026-000001", "paid"),
    ]
    return InvoicePage(items=items, total=3, page=command.page, size=command.size)


def vouchers_of(command: ListVouchers) -> VoucherPage:
    voucher = Voucher(
        voucher_id=uuid4(),
        code="THANKS-GRACE",
        kind="percent",
        value=Decimal("10.00"),
        customer_id=command.customer_id,
        use_count=0,
        created_at=NOW,
    )
    return VoucherPage(items=[voucher], total=1, page=command.page, size=command.size)


def answer_everything(services: FakeServices) -> None:
    services.on(GetCustomer, sheet_of)
    services.on(
        GetCustomerPricing,
        lambda c: CustomerPricing(customer_id=c.customer_id, special_condition=False),
    )
    services.on(ListCustomerCarts, lambda c: CustomerCarts(items=[]))
    services.on(ListOrders, orders_of)
    services.on(ListInvoices, invoices_of)
    services.on(ListVouchers, vouchers_of)


def timed_out(command: Command) -> Any:
    raise RpcTimeout(f"{type(command).__name__} got no answer within 3 s")


async def reported(
    runtime: ServiceRuntime, shop_id: UUID, customer_id: UUID, outstanding: str
) -> None:
    """Billing's figures as the real handler keeps them."""
    await handle(
        runtime,
        CustomerBillingChanged(
            shop_id=shop_id,
            customer_id=customer_id,
            revision=6,
            figures=CustomerBillingFigures(
                orders_count=2,
                order_revenue_net=Decimal("221.00"),
                unpaid_invoices=2,
                unpaid_total=Decimal("261.60"),
                outstanding=Decimal(outstanding),
                credit_limit=Decimal("1500.00"),
            ),
            changed_at=NOW,
        ),
    )


async def test_the_sheet_shows_orders_invoices_vouchers_and_billings_figures(
    runtime: ServiceRuntime, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer, correlation = uuid4(), uuid4()
    answer_everything(services)
    await reported(runtime, shop, customer, "1620.40")

    sheet = await read_partner_sheet(
        services,  # type: ignore[arg-type]
        shop,
        customer,
        correlation,
        3.0,
        figures=runtime.read_sessions,
    )

    assert sheet.incomplete == []
    assert sheet.customer.customer_number == 7
    assert [(o.order_number, o.status) for o in sheet.orders] == [
        (12, "in_production"),
        (9, "shipped"),
        (5, "cancelled"),
    ]
    open_invoices = [i.invoice_number for i in sheet.invoices if i.status in {"unpaid", "overdue"}]
    assert open_invoices == ["2026-000004", "2026-000003"]
    assert [v.code for v in sheet.vouchers] == ["THANKS-GRACE"]
    assert sheet.billing is not None
    assert (sheet.billing.orders_count, sheet.billing.unpaid_invoices) == (2, 2)
    assert (sheet.billing.outstanding, sheet.billing.credit_limit) == (
        Decimal("1620.40"),
        Decimal("1500.00"),
    )
    assert sheet.billing.over_limit is True
    assert sheet.billing.changed_at == NOW
    for command_type in PARTS:
        command = services.sent(command_type)
        assert (command.shop_id, command.customer_id) == (shop, customer)
        assert command.correlation_id == correlation
        assert services.waits[command_type.__name__] == 3.0
    for command_type in (ListOrders, ListInvoices, ListVouchers):
        assert (services.sent(command_type).page, services.sent(command_type).size) == (1, 100)


async def test_before_any_order_the_figures_are_zero_against_the_records_credit_limit(
    runtime: ServiceRuntime, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    other_shop, _ = await open_shop(sessions)
    customer = uuid4()
    answer_everything(services)
    await reported(runtime, other_shop, customer, "99.00")  # another shop's: never shown

    sheet = await read_partner_sheet(
        services,  # type: ignore[arg-type]
        shop,
        customer,
        uuid4(),
        3.0,
        figures=runtime.read_sessions,
    )

    assert sheet.incomplete == []
    assert sheet.billing is not None
    assert sheet.billing.model_dump(mode="json") == {
        "orders_count": 0,
        "order_revenue_net": "0.00",
        "unpaid_invoices": 0,
        "unpaid_total": "0.00",
        "outstanding": "0.00",
        "credit_limit": "1500.00",
        "over_limit": False,
        "changed_at": None,
    }


async def test_each_failing_part_is_named_while_the_rest_still_shows(
    runtime: ServiceRuntime, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    answer_everything(services)
    await reported(runtime, shop, customer, "261.60")

    # Billing down: carts, orders and invoices go missing; the gateway's own figures stay.
    services.on(ListCustomerCarts, timed_out)
    services.on(ListOrders, timed_out)
    services.on(ListInvoices, refused("shop_not_ready", 503))
    sheet = await read_partner_sheet(
        services,  # type: ignore[arg-type]
        shop,
        customer,
        uuid4(),
        3.0,
        figures=runtime.read_sessions,
    )
    assert sheet.incomplete == ["carts", "orders", "invoices"]
    assert (sheet.carts, sheet.orders, sheet.invoices) == ([], [], [])
    assert [v.code for v in sheet.vouchers] == ["THANKS-GRACE"]
    assert sheet.pricing is not None
    assert sheet.billing is not None
    assert sheet.billing.over_limit is False

    # Vouchers down instead: its two parts go missing, billing's show again.
    answer_everything(services)
    services.on(GetCustomerPricing, timed_out)
    services.on(ListVouchers, refused("shop_not_ready", 503))
    sheet = await read_partner_sheet(
        services,  # type: ignore[arg-type]
        shop,
        customer,
        uuid4(),
        3.0,
        figures=runtime.read_sessions,
    )
    assert sheet.incomplete == ["pricing", "vouchers"]
    assert (sheet.pricing, sheet.vouchers) == (None, [])
    assert [o.order_number for o in sheet.orders] == [12, 9, 5]
    assert len(sheet.invoices) == 3


async def test_figures_that_cannot_be_read_are_named_billing(
    sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    answer_everything(services)

    def database_down() -> AsyncSession:
        raise ConnectionRefusedError("the gateway's database is down")

    sheet = await read_partner_sheet(
        services,  # type: ignore[arg-type]
        shop,
        uuid4(),
        uuid4(),
        3.0,
        figures=database_down,  # type: ignore[arg-type]
    )
    assert sheet.incomplete == ["billing"]
    assert sheet.billing is None
    assert len(sheet.orders) == 3

    without = await read_partner_sheet(services, shop, uuid4(), uuid4(), 3.0)  # type: ignore[arg-type]
    assert without.incomplete == ["billing"], "no database given: said, not hidden"


async def test_the_sheet_over_http_shows_orders_invoices_and_vouchers(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    services: FakeServices,
) -> None:
    shop, partner = await open_shop(sessions)
    customer = uuid4()
    answer_everything(services)

    response = await client.get(f"/partner/v1/customers/{customer}", headers=partner)

    assert response.status_code == 200, response.text
    body = response.json()
    assert [(o["order_number"], o["status"]) for o in body["orders"]] == [
        (12, "in_production"),
        (9, "shipped"),
        (5, "cancelled"),
    ]
    assert [(i["invoice_number"], i["status"]) for i in body["invoices"]] == [
        ("2026-000004", "unpaid"),
        ("2026-000003", "overdue"),
        ("2026-000001", "paid"),
    ]
    assert body["invoices"][0]["gross_total"] == "130.80"
    assert [v["code"] for v in body["vouchers"]] == ["THANKS-GRACE"]
    # 'billing' is read from the gateway's database once the route hands it over (see report).
    assert not set(body["incomplete"]) - {"billing"}
    for command_type in PARTS:
        assert services.sent(command_type).shop_id == shop

    schema = (await client.get("/openapi.json")).json()
    answer = schema["paths"]["/partner/v1/customers/{customer_id}"]["get"]["responses"]["200"]
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][name]["properties"]
    assert {"orders", "invoices", "vouchers", "billing", "incomplete"} <= set(properties)
    assert "unpaid" in properties["invoices"]["description"]
