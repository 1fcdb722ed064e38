"""Partner customer actions with real partner tokens and sessions on PostgreSQL, fake customers service."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Command, CommandError
from contracts.billing import (
    CustomerCarts,
    InvoicePage,
    ListCustomerCarts,
    ListInvoices,
    ListOrders,
    OrderPage,
)
from contracts.customers import (
    AddCustomerNote,
    CustomerNote,
    CustomersDeletion,
    CustomerSheet,
    CustomerSnapshot,
    DeleteCustomers,
    GetCustomer,
    ProfileChanges,
    SetCustomerDenied,
    UpdateCustomer,
)
from contracts.vouchers import CustomerPricing, GetCustomerPricing, ListVouchers, VoucherPage
from gateway.adapters.customer_sessions import find_session, open_session
from gateway.adapters.tables import partner_tokens
from gateway.domain.tokens import new_partner_token
from service_runtime.rpc_client import RpcRefused

sys.path.insert(0, str(Path(__file__).parent))
from gateway_support import insert_partner_token, insert_shop

pytestmark = pytest.mark.database


SHEET_PARTS = (GetCustomerPricing, ListCustomerCarts, ListOrders, ListInvoices, ListVouchers)
"""What the sheet asks the vouchers and billing services besides GetCustomer."""

EMPTY_PAGES: dict[type[Command], type[OrderPage | InvoicePage | VoucherPage]] = {
    ListOrders: OrderPage,
    ListInvoices: InvoicePage,
    ListVouchers: VoucherPage,
}
"""The sheet's lists, answered empty."""


class FakeCustomers:
    """Knows which shop each customer belongs to and answers 404 to any other shop (as the
    customers, vouchers and billing services each do)."""

    def __init__(self) -> None:
        self.shop_of: dict[UUID, UUID] = {}
        self.denied: set[UUID] = set()
        self.calls: list[Command] = []

    def add(self, shop_id: UUID) -> UUID:
        customer_id = uuid4()
        self.shop_of[customer_id] = shop_id
        return customer_id

    def check(self, shop_id: UUID, customer_ids: list[UUID]) -> None:
        if any(self.shop_of.get(c) != shop_id for c in customer_ids):
            raise RpcRefused(CommandError(code="not_found", status=404, title="Unknown customer"))

    def sheet(self, customer_id: UUID) -> CustomerSheet:
        now = datetime.now(UTC)
        return CustomerSheet(
            customer=CustomerSnapshot(
                customer_id=customer_id,
                identity_id=uuid4(),
                customer_number=1,
                revision=1,
                email="ada@example.com",
                email_verified=True,
                first_name="Ada",
                last_name="Lovelace",
                language="en",
                newsletter=False,
                denied=customer_id in self.denied,
                registered_at=now,
                profile_changed_at=now,
            ),
            password_set=True,
            shared=False,
        )

    async def call(self, command: Command, result_type: type[Any], **_: Any) -> Any:
        self.calls.append(command)
        answer: Any
        if isinstance(command, DeleteCustomers):
            self.check(command.shop_id, command.customer_ids)
            for customer_id in command.customer_ids:
                del self.shop_of[customer_id]
            answer = CustomersDeletion(deleted=command.customer_ids)
        elif isinstance(command, GetCustomerPricing):
            self.check(command.shop_id, [command.customer_id])
            answer = CustomerPricing(customer_id=command.customer_id, special_condition=False)
        elif isinstance(command, ListCustomerCarts):
            self.check(command.shop_id, [command.customer_id])
            answer = CustomerCarts(items=[])
        elif isinstance(command, (ListOrders, ListInvoices, ListVouchers)):
            assert command.customer_id is not None, "the sheet lists this customer's only"
            self.check(command.shop_id, [command.customer_id])
            page = EMPTY_PAGES[type(command)]
            answer = page(items=[], total=0, page=command.page, size=command.size)
        elif isinstance(command, AddCustomerNote):
            self.check(command.shop_id, [command.customer_id])
            answer = CustomerNote(
                note_id=uuid4(),
                text=command.text,
                author=command.author,
                created_at=datetime.now(UTC),
            )
        else:
            assert isinstance(command, (GetCustomer, UpdateCustomer, SetCustomerDenied))
            self.check(command.shop_id, [command.customer_id])
            if isinstance(command, SetCustomerDenied):
                (self.denied.add if command.denied else self.denied.discard)(command.customer_id)
            answer = self.sheet(command.customer_id)
        return result_type.model_validate_json(answer.model_dump_json())


@pytest.fixture
def customers() -> FakeCustomers:
    return FakeCustomers()


async def open_shop(sessions: async_sessionmaker[AsyncSession]) -> tuple[UUID, dict[str, str]]:
    """A shop and the Authorization header of its partner token."""
    shop_id, token = uuid4(), new_partner_token()
    now = datetime.now(UTC)
    async with sessions() as session:
        await insert_shop(session, shop_id, now)
        await insert_partner_token(session, shop_id, token, "test", now)
        await session.commit()
    return shop_id, {"Authorization": f"Bearer {token}"}


async def log_in(
    sessions: async_sessionmaker[AsyncSession], shop_id: UUID, customer_id: UUID
) -> str:
    async with sessions() as session:
        issued = await open_session(
            session,
            shop_id=shop_id,
            customer_id=customer_id,
            identity_id=uuid4(),
            lifetime=timedelta(days=1),
        )
        await session.commit()
    return issued.token


async def still_logged_in(sessions: async_sessionmaker[AsyncSession], token: str) -> bool:
    async with sessions() as session:
        return await find_session(session, token) is not None


async def test_partner_routes_need_a_live_partner_token(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    shop, partner = await open_shop(sessions)
    customer = customers.add(shop)
    path = f"/partner/v1/customers/{customer}"
    assert (await http.get(path, headers=partner)).status_code == 200

    assert (await http.get(path)).status_code == 401
    assert (await http.get(path, headers={"Authorization": "Bearer pt_unknown"})).status_code == 401
    customer_token = await log_in(sessions, shop, customer)
    as_customer = await http.get(path, headers={"Authorization": f"Bearer {customer_token}"})
    assert as_customer.status_code == 401
    async with sessions() as session:
        await session.execute(update(partner_tokens).values(revoked_at=datetime.now(UTC)))
        await session.commit()
    revoked = await http.get(path, headers=partner)
    assert revoked.status_code == 401
    assert revoked.headers["content-type"] == "application/problem+json"
    sent = [type(c) for c in customers.calls]
    assert sorted(t.__name__ for t in sent) == sorted(
        [
            "GetCustomer",
            "GetCustomerPricing",
            "ListCustomerCarts",
            "ListOrders",
            "ListInvoices",
            "ListVouchers",
        ]
    ), "refused callers never reach the services"


async def test_another_shops_customer_is_asked_for_in_the_partners_own_shop_and_not_found(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    victim_shop, _ = await open_shop(sessions)
    attacker_shop, attacker = await open_shop(sessions)
    victim = customers.add(victim_shop)
    victims_session = await log_in(sessions, victim_shop, victim)
    path = f"/partner/v1/customers/{victim}"
    requests: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", path, None),
        ("PATCH", path, {"tax_exempt": True}),
        ("DELETE", path, None),
        ("POST", f"{path}/deny", None),
        ("POST", f"{path}/allow", None),
        ("POST", f"{path}/notes", {"text": "x", "author": "y"}),
        ("POST", "/partner/v1/customers/deletion", {"customer_ids": [str(victim)]}),
    ]
    for method, target, body in requests:
        response = await http.request(method, target, headers=attacker, json=body)
        assert response.status_code == 404, (method, target, response.text)
        assert response.headers["content-type"] == "application/problem+json"

    assert len([c for c in customers.calls if not isinstance(c, SHEET_PARTS)]) == len(requests)
    assert {c.shop_id for c in customers.calls} == {attacker_shop}
    assert customers.shop_of[victim] == victim_shop
    assert await still_logged_in(sessions, victims_session)


async def test_denying_ends_the_customers_sessions_at_once_and_allowing_keeps_them_ended(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    shop, partner = await open_shop(sessions)
    denied, bystander = customers.add(shop), customers.add(shop)
    phone, laptop = await log_in(sessions, shop, denied), await log_in(sessions, shop, denied)
    other = await log_in(sessions, shop, bystander)

    response = await http.post(f"/partner/v1/customers/{denied}/deny", headers=partner)
    assert response.status_code == 200, response.text
    assert response.json()["customer"]["denied"] is True
    me = await http.get(
        f"/storefront/v1/shops/{shop}/me", headers={"Authorization": f"Bearer {phone}"}
    )
    assert me.status_code == 401
    assert not await still_logged_in(sessions, laptop)
    assert await still_logged_in(sessions, other)

    allowed = await http.post(f"/partner/v1/customers/{denied}/allow", headers=partner)
    assert allowed.status_code == 200
    assert allowed.json()["customer"]["denied"] is False
    assert not await still_logged_in(sessions, phone)
    assert [type(c) for c in customers.calls] == [SetCustomerDenied, SetCustomerDenied]


async def test_deleting_one_or_many_customers_ends_their_sessions(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    shop, partner = await open_shop(sessions)
    one, two, three, kept = (customers.add(shop) for _ in range(4))
    tokens = {c: await log_in(sessions, shop, c) for c in (one, two, three, kept)}

    single = await http.delete(f"/partner/v1/customers/{one}", headers=partner)
    assert single.status_code == 204
    assert single.content == b""
    bulk = await http.post(
        "/partner/v1/customers/deletion",
        headers=partner,
        json={"customer_ids": [str(two), str(three)]},
    )
    assert bulk.status_code == 200, bulk.text
    assert bulk.json() == {"deleted": [str(two), str(three)]}

    assert [await still_logged_in(sessions, tokens[c]) for c in (one, two, three, kept)] == [
        False,
        False,
        False,
        True,
    ]
    assert isinstance(customers.calls[0], DeleteCustomers)
    assert customers.calls[0].customer_ids == [one]


async def test_a_partner_patch_sends_only_what_changed(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    shop, partner = await open_shop(sessions)
    customer = customers.add(shop)
    response = await http.patch(
        f"/partner/v1/customers/{customer}",
        headers=partner,
        json={"company": None, "newsletter": True},
    )
    assert response.status_code == 200, response.text
    command = customers.calls[0]
    assert isinstance(command, UpdateCustomer)
    assert (command.shop_id, command.customer_id) == (shop, customer)
    assert command.profile == ProfileChanges(company="")
    assert (command.newsletter, command.tax_exempt, command.group, command.b2b) == (
        True,
        None,
        None,
        None,
    )

    unknown = await http.patch(
        f"/partner/v1/customers/{customer}", headers=partner, json={"password": "x"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {"field": "password", "reason": "Extra inputs are not permitted"}
    ]
    assert len(customers.calls) == 1
