"""HTTP bodies become the right commands and results the right answers (no database, no broker).

The caller's shop, customer and throttle come from overridden dependencies here; the real ones
run on PostgreSQL in tests/integration.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from contracts.base import Command, CommandError, FieldError
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
    B2BTerms,
    CreateCustomer,
    CustomerGroup,
    CustomerGroups,
    CustomerNote,
    CustomerRegistration,
    CustomerSheet,
    CustomerSnapshot,
    GetCustomer,
    GroupAssignment,
    GroupSummary,
    ListCustomerGroups,
    LogIn,
    PostalAddress,
    ProfileChanges,
    RegisterCustomer,
    RenameCustomerGroup,
    UpdateCustomer,
    UpdateOwnProfile,
    VerifyCustomerEmail,
)
from contracts.notifier import (
    ConfigurePartnerCopies,
    ConfigureShopBrand,
    PartnerCopySettings,
    ShopBrandSettings,
)
from contracts.vouchers import CustomerPricing, GetCustomerPricing, ListVouchers, VoucherPage
from gateway.adapters.customer_sessions import ActiveSession
from gateway.bootstrap import create_app
from gateway.config import GatewaySettings
from gateway.entrypoints import deps
from gateway.entrypoints.problems import too_many_requests
from service_runtime.rpc_client import RpcRefused

SHOP = uuid4()
CUSTOMER = uuid4()
IDENTITY = uuid4()
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
PARIS = {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris", "country": "fr"}


class FakeRpc:
    """Records the commands; answers with what a test registered for each command type."""

    def __init__(self) -> None:
        self.calls: list[Command] = []
        self.answers: dict[type[Command], Callable[[Any], BaseModel]] = {}

    def on(self, command_type: type[Command], answer: Callable[[Any], BaseModel]) -> None:
        self.answers[command_type] = answer

    async def call(self, command: Command, result_type: type[Any], **_: Any) -> Any:
        self.calls.append(command)
        # Through JSON, as over the broker: a result that does not serialise fails here too.
        return result_type.model_validate_json(
            self.answers[type(command)](command).model_dump_json()
        )

    def sent(self, command_type: type[Command]) -> Any:
        matching = [c for c in self.calls if isinstance(c, command_type)]
        assert len(matching) == 1, self.calls
        return matching[0]


class FakeThrottle:
    def __init__(self) -> None:
        self.checks: list[tuple[str, UUID, str]] = []
        self.refuse = False

    async def check(self, action: str, shop_id: UUID, account: str) -> None:
        self.checks.append((action, shop_id, account))
        if self.refuse:
            raise too_many_requests(42)


def refused(
    code: str, status: int, fields: tuple[str, ...] = (), retry_after: int | None = None
) -> Callable[[Command], BaseModel]:
    def answer(_: Command) -> BaseModel:
        raise RpcRefused(
            CommandError(
                code=code,
                status=status,
                title=code.replace("_", " "),
                fields=[FieldError(field=f, reason="refused") for f in fields],
                retry_after=retry_after,
            )
        )

    return answer


def sheet(**changes: Any) -> CustomerSheet:
    customer = CustomerSnapshot(
        customer_id=CUSTOMER,
        identity_id=IDENTITY,
        customer_number=7,
        revision=3,
        email="ada@example.com",
        email_verified=True,
        first_name="Ada",
        last_name="Lovelace",
        language="en",
        phone="+33612345678",
        address=PostalAddress(
            line1="12 rue des Lilas", postcode="75011", city="Paris", country="FR"
        ),
        company="Engines Ltd",
        newsletter=True,
        tax_exempt=True,
        group_id=uuid4(),
        denied=False,
        b2b=B2BTerms(credit_limit=Decimal("5000.00"), payment_terms_days=30, pays_by_invoice=True),
        registered_at=NOW,
        profile_changed_at=NOW,
    ).model_copy(update=changes)
    return CustomerSheet(
        customer=customer,
        group=CustomerGroup(group_id=customer.group_id or uuid4(), name="VIP"),
        notes=[CustomerNote(note_id=uuid4(), text="pays late", author="Bo", created_at=NOW)],
        last_login_at=NOW,
        password_set=True,
        shared=False,
    )


@pytest.fixture
def rpc() -> FakeRpc:
    return FakeRpc()


@pytest.fixture
def throttle() -> FakeThrottle:
    return FakeThrottle()


def no_database() -> Any:
    raise ConnectionRefusedError("the unit tests' app has no database")


@pytest.fixture
def app(rpc: FakeRpc, throttle: FakeThrottle) -> FastAPI:
    app: FastAPI = create_app(GatewaySettings())

    def storefront_shop(shop_id: UUID) -> UUID:
        return shop_id

    def customer_session(shop_id: UUID) -> ActiveSession:
        return ActiveSession(SHOP, CUSTOMER, IDENTITY, "digest", NOW + timedelta(days=1))

    app.dependency_overrides.update(
        {
            deps.get_rpc: lambda: rpc,
            deps.get_throttle: lambda: throttle,
            deps.storefront_shop: storefront_shop,
            deps.partner_shop: lambda: SHOP,
            deps.customer_session: customer_session,
        }
    )
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        yield http


def storefront(path: str) -> str:
    return f"/storefront/v1/shops/{SHOP}{path}"


def fields_of(response: httpx.Response) -> dict[str, str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return {e["field"]: e["reason"] for e in response.json().get("errors", [])}


# -- storefront ----------------------------------------------------------------------------


async def test_registration_carries_every_a1_field(client: httpx.AsyncClient, rpc: FakeRpc) -> None:
    rpc.on(
        RegisterCustomer,
        lambda c: CustomerRegistration(
            customer_id=CUSTOMER, customer_number=7, verification_required=True
        ),
    )
    body = {
        "email": "ada@example.com",
        "password": "correct horse battery",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "fr",
        "newsletter": True,
        "phone": "06 12 34 56 78",
        "address": PARIS,
        "company": "Engines Ltd",
        "vat_number": "FR 40 303 265 045",
        "registration_number": "732 829 320",
    }
    response = await client.post(storefront("/customers"), json=body)

    assert response.status_code == 201, response.text
    assert response.json() == {
        "customer_id": str(CUSTOMER),
        "customer_number": 7,
        "verification_required": True,
    }
    command = rpc.sent(RegisterCustomer)
    assert command.shop_id == SHOP
    assert command.address == PostalAddress(
        line1="12 rue des Lilas", postcode="75011", city="Paris", country="FR"
    )
    assert (command.newsletter, command.phone, command.vat_number, command.language) == (
        True,
        "06 12 34 56 78",
        "FR 40 303 265 045",
        "fr",
    )
    assert command.registration_number == "732 829 320"
    assert command.correlation_id == UUID(response.headers["X-Correlation-ID"])


async def test_registration_refuses_unknown_fields_and_wrong_types_by_name(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    response = await client.post(
        storefront("/customers"),
        json={
            "email": "ada@example.com",
            "password": "correct horse battery",
            "first_name": "Ada",
            "last_name": 7,
            "newsletter": "yes",
            "gender": "f",
            "address": {**PARIS, "floor": 3},
        },
    )
    assert response.status_code == 422
    assert set(fields_of(response)) == {"last_name", "newsletter", "gender", "address.floor"}
    assert rpc.calls == []

    # Content (empty names, short passwords, a missing address) is the service's to judge, so
    # that one refusal names every bad field.
    rpc.on(
        RegisterCustomer, refused("validation_failed", 422, ("first_name", "password", "address"))
    )
    content = await client.post(
        storefront("/customers"),
        json={"email": "a@example.com", "password": "short", "first_name": "", "last_name": "B"},
    )
    assert set(fields_of(content)) == {"first_name", "password", "address"}
    command = rpc.sent(RegisterCustomer)
    assert (command.first_name, command.password, command.address) == ("", "short", None)


async def test_a_service_refusal_becomes_a_problem_naming_its_fields(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.on(RegisterCustomer, refused("validation_failed", 422, ("phone", "address.postcode")))
    body = {
        "email": "ada@example.com",
        "password": "correct horse battery",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "12",
        "address": PARIS,
    }
    response = await client.post(storefront("/customers"), json=body)
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/validation_failed"
    assert set(fields_of(response)) == {"phone", "address.postcode"}


async def test_broken_json_names_the_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        storefront("/login"), content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert set(fields_of(response)) == {"body"}


async def test_code_checks_are_throttled_before_the_service_is_asked(
    client: httpx.AsyncClient, rpc: FakeRpc, throttle: FakeThrottle
) -> None:
    throttle.refuse = True
    response = await client.post(
        storefront("/email-verification"), json={"email": "Ada@Example.com", "code": " 042917 "}
    )
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "42"
    assert response.json()["type"] == "/problems/too_many_requests"
    assert throttle.checks == [("code_check", SHOP, "Ada@Example.com")]
    assert rpc.calls == []


async def test_a_verification_code_is_sent_without_spaces(
    client: httpx.AsyncClient, rpc: FakeRpc, throttle: FakeThrottle
) -> None:
    rpc.on(VerifyCustomerEmail, refused("verification_failed", 422, ("code",)))
    response = await client.post(
        storefront("/email-verification"), json={"email": "ada@example.com", "code": " 042917 "}
    )
    assert response.status_code == 422
    assert rpc.sent(VerifyCustomerEmail).code == "042917"
    assert throttle.checks == [("code_check", SHOP, "ada@example.com")]


async def test_a_locked_account_answers_423_with_retry_after(
    client: httpx.AsyncClient, rpc: FakeRpc, throttle: FakeThrottle
) -> None:
    rpc.on(LogIn, refused("account_locked", 423, retry_after=900))
    response = await client.post(
        storefront("/login"), json={"email": "ada@example.com", "password": "wrong one!"}
    )
    assert response.status_code == 423
    assert response.headers["Retry-After"] == "900"
    assert throttle.checks == [("login", SHOP, "ada@example.com")]


async def test_own_profile_never_shows_what_only_the_shop_sees(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.on(GetCustomer, lambda c: sheet())
    response = await client.get(storefront("/me"))

    assert response.status_code == 200, response.text
    profile = response.json()
    assert set(profile) == {
        "customer_id",
        "customer_number",
        "email",
        "email_verified",
        "first_name",
        "last_name",
        "language",
        "phone",
        "address",
        "company",
        "vat_number",
        "registration_number",
        "newsletter",
        "registered_at",
    }
    assert profile["address"]["country"] == "FR"
    assert rpc.sent(GetCustomer).customer_id == CUSTOMER


async def test_patching_own_profile_changes_only_what_was_sent_and_null_clears(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.on(UpdateOwnProfile, lambda c: sheet(company=None, language="de"))
    response = await client.patch(storefront("/me"), json={"company": None, "language": "de"})

    assert response.status_code == 200, response.text
    assert response.json()["company"] is None
    command = rpc.sent(UpdateOwnProfile)
    assert command.customer_id == CUSTOMER
    assert command.profile == ProfileChanges(company="", language="de")
    assert command.newsletter is None


async def test_patching_own_newsletter_alone_touches_no_profile_field(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.on(UpdateOwnProfile, lambda c: sheet(newsletter=False))
    response = await client.patch(storefront("/me"), json={"newsletter": False})
    assert response.status_code == 200, response.text
    command = rpc.sent(UpdateOwnProfile)
    assert command.profile == ProfileChanges()
    assert command.newsletter is False


async def test_null_for_a_required_profile_field_or_an_unknown_field_is_refused_by_name(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    response = await client.patch(
        storefront("/me"),
        json={"first_name": None, "address": None, "newsletter": None, "group_id": str(uuid4())},
    )
    assert response.status_code == 422
    errors = fields_of(response)
    assert set(errors) == {"first_name", "address", "newsletter", "group_id"}
    assert errors["first_name"] == "must not be null (leave the field out to keep it)"
    assert errors["group_id"] == "Extra inputs are not permitted"
    assert rpc.calls == []


# -- partner -------------------------------------------------------------------------------


async def test_partner_commands_carry_the_tokens_shop_not_the_customers(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    foreign = uuid4()
    rpc.on(GetCustomer, refused("not_found", 404))
    response = await client.get(f"/partner/v1/customers/{foreign}")
    assert response.status_code == 404
    command = rpc.sent(GetCustomer)
    assert (command.shop_id, command.customer_id) == (SHOP, foreign)


async def test_the_partner_sheet_is_the_contract_as_json(
    client: httpx.AsyncClient, rpc: FakeRpc, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The billing figures come from the gateway's database; here none answers (see
    # tests/integration/test_customer_sheet_orders.py for them).
    monkeypatch.setattr(app.state.runtime, "read_sessions", no_database)
    answer = sheet()
    rpc.on(GetCustomer, lambda c: answer)
    rpc.on(
        GetCustomerPricing,
        lambda c: CustomerPricing(customer_id=c.customer_id, special_condition=False),
    )
    rpc.on(ListCustomerCarts, lambda c: CustomerCarts(items=[]))
    rpc.on(ListOrders, lambda c: OrderPage(items=[], total=0, page=c.page, size=c.size))
    rpc.on(ListInvoices, lambda c: InvoicePage(items=[], total=0, page=c.page, size=c.size))
    rpc.on(ListVouchers, lambda c: VoucherPage(items=[], total=0, page=c.page, size=c.size))
    response = await client.get(f"/partner/v1/customers/{CUSTOMER}")
    assert response.status_code == 200
    assert CustomerSheet.model_validate(response.json()) == answer
    assert response.json()["customer"]["b2b"]["credit_limit"] == "5000.00"
    assert (response.json()["pricing"]["discount_percent"], response.json()["incomplete"]) == (
        None,
        ["billing"],
    )
    body = response.json()
    assert (body["orders"], body["invoices"], body["vouchers"], body["billing"]) == (
        [],
        [],
        [],
        None,
    )


async def test_partner_creation_maps_shop_level_fields(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    group = uuid4()
    rpc.on(CreateCustomer, lambda c: sheet())
    response = await client.post(
        "/partner/v1/customers",
        json={
            "email": "ada@example.com",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "language": "en",
            "tax_exempt": True,
            "group_id": str(group),
            "b2b": {
                "credit_limit": "1500.50",
                "payment_terms_days": 30,
                "risk_level": "low",
                "pays_by_invoice": True,
            },
        },
    )
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/partner/v1/customers/{CUSTOMER}"
    command = rpc.sent(CreateCustomer)
    assert (command.shop_id, command.tax_exempt, command.group_id, command.address) == (
        SHOP,
        True,
        group,
        None,
    )
    assert command.b2b == B2BTerms(
        credit_limit=Decimal("1500.50"),
        payment_terms_days=30,
        risk_level="low",
        pays_by_invoice=True,
    )


async def test_partner_patch_maps_group_null_to_no_group_and_leaves_the_rest(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.on(UpdateCustomer, lambda c: sheet(group_id=None))
    response = await client.patch(
        f"/partner/v1/customers/{CUSTOMER}",
        json={"group_id": None, "phone": None, "tax_exempt": False},
    )
    assert response.status_code == 200, response.text
    command = rpc.sent(UpdateCustomer)
    assert command.group == GroupAssignment(group_id=None)
    assert command.profile == ProfileChanges(phone="")
    assert (command.tax_exempt, command.newsletter, command.b2b) == (False, None, None)


async def test_partner_patch_without_group_keeps_the_group(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.on(UpdateCustomer, lambda c: sheet())
    terms = {
        "credit_limit": 0,
        "payment_terms_days": 0,
        "risk_level": "high",
        "pays_by_invoice": False,
    }
    response = await client.patch(f"/partner/v1/customers/{CUSTOMER}", json={"b2b": terms})
    assert response.status_code == 200, response.text
    command = rpc.sent(UpdateCustomer)
    assert command.group is None
    assert command.b2b == B2BTerms(risk_level="high")
    assert command.profile == ProfileChanges()


async def test_partner_patch_refuses_bad_terms_and_null_shop_fields_by_name(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    response = await client.patch(
        f"/partner/v1/customers/{CUSTOMER}",
        json={
            "tax_exempt": None,
            "b2b": {
                "credit_limit": "10.123",
                "payment_terms_days": 400,
                "risk_level": "extreme",
                "pays_by_invoice": True,
            },
        },
    )
    assert response.status_code == 422
    assert set(fields_of(response)) == {
        "tax_exempt",
        "b2b.credit_limit",
        "b2b.payment_terms_days",
        "b2b.risk_level",
    }
    assert rpc.calls == []


async def test_bulk_deletion_refuses_repeated_or_too_many_ids(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    same = str(uuid4())
    twice = await client.post("/partner/v1/customers/deletion", json={"customer_ids": [same, same]})
    assert fields_of(twice) == {"customer_ids": "must not name a customer twice"}
    many = await client.post(
        "/partner/v1/customers/deletion", json={"customer_ids": [str(uuid4()) for _ in range(1001)]}
    )
    assert set(fields_of(many)) == {"customer_ids"}
    none = await client.post("/partner/v1/customers/deletion", json={"customer_ids": []})
    assert set(fields_of(none)) == {"customer_ids"}
    assert rpc.calls == []


async def test_a_note_is_created_with_its_author(client: httpx.AsyncClient, rpc: FakeRpc) -> None:
    note = CustomerNote(note_id=uuid4(), text="Call first", author="Bo", created_at=NOW)
    rpc.on(AddCustomerNote, lambda c: note)
    response = await client.post(
        f"/partner/v1/customers/{CUSTOMER}/notes", json={"text": "Call first", "author": "Bo"}
    )
    assert response.status_code == 201
    assert CustomerNote.model_validate(response.json()) == note
    assert rpc.sent(AddCustomerNote).customer_id == CUSTOMER
    empty = await client.post(
        f"/partner/v1/customers/{CUSTOMER}/notes", json={"text": "", "author": "Bo"}
    )
    assert set(fields_of(empty)) == {"text"}


async def test_groups_are_listed_with_members_and_renamed(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    vip = CustomerGroup(group_id=uuid4(), name="VIP")
    customer = CustomerGroup(group_id=uuid4(), name="Customer", system_key="customer")
    rpc.on(RenameCustomerGroup, lambda c: vip.model_copy(update={"name": c.name}))
    rpc.on(
        ListCustomerGroups,
        lambda c: CustomerGroups(
            groups=[GroupSummary(group=customer, members=12), GroupSummary(group=vip, members=1)]
        ),
    )
    listed = await client.get("/partner/v1/groups")
    assert listed.json() == {
        "groups": [
            {
                "group_id": str(customer.group_id),
                "name": "Customer",
                "system_key": "customer",
                "members": 12,
            },
            {"group_id": str(vip.group_id), "name": "VIP", "system_key": None, "members": 1},
        ]
    }
    renamed = await client.patch(f"/partner/v1/groups/{vip.group_id}", json={"name": "Gold"})
    assert renamed.json()["name"] == "Gold"
    assert rpc.sent(RenameCustomerGroup).group_id == vip.group_id
    too_long = await client.post("/partner/v1/groups", json={"name": "x" * 101})
    assert set(fields_of(too_long)) == {"name"}


async def test_brand_settings_name_each_bad_field(client: httpx.AsyncClient, rpc: FakeRpc) -> None:
    response = await client.put(
        "/partner/v1/settings/brand",
        json={
            "brand_name": "Print Atelier",
            "sender_name": "Print Atelier",
            "sender_email": "not an email",
            "reply_to": "help@",
            "logo_url": "javascript:alert(1)",
            "storefront_url": "ftp://shop.example",
            "primary_color": "red",
            "accent_color": "#12345",
        },
    )
    assert response.status_code == 422
    assert set(fields_of(response)) == {
        "sender_email",
        "reply_to",
        "logo_url",
        "storefront_url",
        "primary_color",
        "accent_color",
    }
    assert rpc.calls == []


async def test_brand_settings_are_normalised_and_sent_whole(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.on(ConfigureShopBrand, lambda c: c.brand)
    response = await client.put(
        "/partner/v1/settings/brand",
        json={
            "brand_name": "Print Atelier",
            "sender_name": "Atelier",
            "sender_email": "Hello@Print-Atelier.EXAMPLE",
            "logo_url": "https://cdn.print-atelier.example/logo.png",
            "primary_color": "#AABBCC",
        },
    )
    assert response.status_code == 200, response.text
    brand = rpc.sent(ConfigureShopBrand).brand
    assert brand == ShopBrandSettings(
        brand_name="Print Atelier",
        sender_name="Atelier",
        sender_email="Hello@print-atelier.example",
        logo_url="https://cdn.print-atelier.example/logo.png",
        primary_color="#aabbcc",
    )
    assert response.json()["sender_email"] == "Hello@print-atelier.example"


async def test_partner_copies_are_validated_normalised_and_deduplicated(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.on(ConfigurePartnerCopies, lambda c: c.settings)
    response = await client.put(
        "/partner/v1/settings/partner-copies",
        json={
            "addresses": ["owner@Shop.example", "OWNER@shop.example", " desk@shop.example "],
            "kinds": ["registration", "invoice", "registration"],
        },
    )
    assert response.status_code == 200, response.text
    assert rpc.sent(ConfigurePartnerCopies).settings == PartnerCopySettings(
        addresses=["owner@shop.example", "desk@shop.example"], kinds=["registration", "invoice"]
    )

    bad = await client.put(
        "/partner/v1/settings/partner-copies",
        json={"addresses": ["ok@shop.example", "broken@"], "kinds": ["newsletter"]},
    )
    assert set(fields_of(bad)) == {"addresses.1", "kinds.0"}
    too_many = await client.put(
        "/partner/v1/settings/partner-copies",
        json={"addresses": [f"p{n}@shop.example" for n in range(11)]},
    )
    assert set(fields_of(too_many)) == {"addresses"}
    none = await client.put("/partner/v1/settings/partner-copies", json={"addresses": []})
    assert set(fields_of(none)) == {"addresses"}
