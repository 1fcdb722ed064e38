"""Storefront checkout and the customer's orders with real shops and customer sessions on
PostgreSQL, fake billing: placement bodies and their commands, the Idempotency-Key, relayed
refusals, and the customer view without the provider's side or 'data_rejected' (B2, B3, A8, A10)."""

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
    CancelOrder,
    GetOrder,
    GuestContact,
    ListOrders,
    ListPaymentOptions,
    OrderAddress,
    PaymentOption,
    PaymentOptions,
    PlaceOrder,
    StatusChange,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from order_support import (
    OrdersByKey,
    an_order,
    order_page,
    provider_traces,
    refusal,
)
from price_support import NOW, FakeServices, log_in, open_shop, serving

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_storefront_orders_"

CART = uuid4()
ADDRESS = {"name": "Ada Lovelace", "line1": " 12 rue des Lilas ", "city": "Paris", "country": "fr"}
GUEST = {"email": " Ada@Example.COM ", "first_name": "Ada", "last_name": "Lovelace"}


@pytest.fixture
def http(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The module's client: one migrated database per module, each test its own shops."""
    return client


@pytest.fixture
def sessions(app_runtime: tuple[Any, ServiceRuntime]) -> async_sessionmaker[AsyncSession]:
    return app_runtime[1].sessions


@pytest.fixture
def billing(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    fake = FakeServices()
    fake.on(PlaceOrder, OrdersByKey())
    with serving(app_runtime[0], fake):
        yield fake


def url(shop_id: UUID, path: str) -> str:
    return f"/storefront/v1/shops/{shop_id}{path}"


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid4())}


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return sorted(e["field"] for e in response.json()["errors"])


# -- placing an order ------------------------------------------------------------------------


async def test_a_guest_order_carries_the_guest_and_answers_the_customer_view(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions, default_language="fr")
    headers = key()
    body = {
        "cart_id": str(CART),
        "payment_method": "card",
        "billing_address": ADDRESS,
        "shipping_address": {**ADDRESS, "name": "Atelier", "company": "  ", "country": "BE"},
        "guest": {**GUEST, "phone": "06 12 34 56 78"},
    }

    response = await http.post(url(shop, "/orders"), json=body, headers=headers)

    assert response.status_code == 201, response.text
    command = billing.sent(PlaceOrder)
    assert command.shop_id == shop
    assert command.correlation_id == UUID(response.headers["X-Correlation-ID"])
    assert command.idempotency_key == headers["Idempotency-Key"]
    assert (command.cart_id, command.customer_id, command.payment_method) == (CART, None, "card")
    assert command.guest == GuestContact(
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        phone="+33612345678",
        language="fr",
    ), "email normalised, phone E.164 in the billing country, the shop's language"
    assert command.billing_address == OrderAddress(
        name="Ada Lovelace", line1="12 rue des Lilas", city="Paris", country="FR"
    )
    assert command.shipping_address == OrderAddress(
        name="Atelier", line1="12 rue des Lilas", city="Paris", country="BE"
    )
    assert billing.waits["PlaceOrder"] == 15.0, "billing calls the vouchers service twice"
    order = response.json()
    assert "cart_id" not in order
    assert order["guest"] is True
    assert order["customer_id"] is None
    assert order["status"] == "placed"
    assert provider_traces(response.text) == []
    assert "Location" not in response.headers, "a guest has no route to read an order"


async def test_a_guest_chooses_the_language_of_their_emails(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions, default_language="fr")
    body = {
        "cart_id": str(CART),
        "payment_method": "paypal",
        "billing_address": ADDRESS,
        "guest": {**GUEST, "language": "de", "phone": "+49 30 901820"},
    }
    response = await http.post(url(shop, "/orders"), json=body, headers=key())
    assert response.status_code == 201, response.text
    guest = billing.sent(PlaceOrder).guest
    assert (guest.language, guest.phone) == ("de", "+4930901820")


async def test_a_customer_order_is_theirs_and_located_under_me(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    token = await log_in(sessions, shop, customer)

    response = await http.post(
        url(shop, "/orders"),
        json={"cart_id": str(CART), "payment_method": "invoice"},
        headers={**token, **key()},
    )

    assert response.status_code == 201, response.text
    command = billing.sent(PlaceOrder)
    assert (command.customer_id, command.guest) == (customer, None)
    assert (command.billing_address, command.shipping_address) == (None, None), "on file"
    assert command.payment_method == "invoice"
    order = response.json()
    assert order["customer_id"] == str(customer)
    assert response.headers["Location"] == url(shop, f"/me/orders/{order['order_id']}")
    assert provider_traces(response.text) == []


async def test_the_same_key_answers_the_same_order_and_a_new_key_a_new_one(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    token = await log_in(sessions, shop, uuid4())
    body = {"cart_id": str(CART), "payment_method": "card"}
    headers = {**token, **key()}

    first = await http.post(url(shop, "/orders"), json=body, headers=headers)
    again = await http.post(url(shop, "/orders"), json=body, headers=headers)
    other = await http.post(url(shop, "/orders"), json=body, headers={**token, **key()})

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 201)
    assert first.json() == again.json()
    assert first.headers["Location"] == again.headers["Location"]
    assert other.json()["order_id"] != first.json()["order_id"]
    keys = [c.idempotency_key for c in billing.calls if isinstance(c, PlaceOrder)]
    assert keys[0] == keys[1] != keys[2], "the key goes to billing, which keeps one order per key"


async def test_a_key_that_answers_another_buyers_order_is_refused(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    """Billing answers a known key with its first order: the gateway shows it only to the
    caller who placed it, with that cart."""
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    token = await log_in(sessions, shop, customer)
    someone_elses = an_order(customer_id=uuid4(), cart_id=CART)
    guest_order_of_another_cart = an_order(cart_id=uuid4())
    body = {"cart_id": str(CART), "payment_method": "card"}

    billing.on(PlaceOrder, lambda c: someone_elses)
    as_customer = await http.post(url(shop, "/orders"), json=body, headers={**token, **key()})
    as_guest = await http.post(
        url(shop, "/orders"),
        json={**body, "billing_address": ADDRESS, "guest": GUEST},
        headers=key(),
    )
    billing.on(PlaceOrder, lambda c: guest_order_of_another_cart)
    other_cart = await http.post(
        url(shop, "/orders"),
        json={**body, "billing_address": ADDRESS, "guest": GUEST},
        headers=key(),
    )

    for response in (as_customer, as_guest, other_cart):
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["type"] == "/problems/idempotency_key_reused"
        assert problem["errors"][0]["field"] == "Idempotency-Key"
        assert "Ada" not in response.text
        assert "ada@" not in response.text


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "is required"),
        ("", "is required"),
        ("   ", "is required"),
        ("k" * 201, "at most 200"),
    ],
    ids=["missing", "empty", "blank", "too long"],
)
async def test_the_idempotency_key_is_required_and_bounded(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    billing: FakeServices,
    value: str | None,
    reason: str,
) -> None:
    shop, _ = await open_shop(sessions)
    token = await log_in(sessions, shop, uuid4())
    headers = token if value is None else {**token, "Idempotency-Key": value}
    response = await http.post(
        url(shop, "/orders"), json={"cart_id": str(CART), "payment_method": "card"}, headers=headers
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/idempotency_key_invalid"
    assert [e["field"] for e in problem["errors"]] == ["Idempotency-Key"]
    assert reason in problem["errors"][0]["reason"]
    assert billing.calls == []

    longest = await http.post(
        url(shop, "/orders"),
        json={"cart_id": str(CART), "payment_method": "card"},
        headers={**token, "Idempotency-Key": "k" * 200},
    )
    assert longest.status_code == 201, longest.text


@pytest.mark.parametrize(
    ("as_customer", "body", "fields"),
    [
        (True, {"guest": GUEST}, ["guest"]),
        (False, {}, ["billing_address", "guest"]),
        (False, {"guest": GUEST}, ["billing_address"]),
        (False, {"billing_address": ADDRESS}, ["guest"]),
        (False, {"billing_address": ADDRESS, "guest": {**GUEST, "email": "ada@"}}, ["guest.email"]),
        (
            False,
            {"billing_address": ADDRESS, "guest": {**GUEST, "phone": "12"}},
            ["guest.phone"],
        ),
        (
            False,
            {"billing_address": ADDRESS, "guest": {**GUEST, "first_name": "  "}},
            ["guest.first_name"],
        ),
        (
            False,
            {"billing_address": ADDRESS, "guest": {**GUEST, "language": "es"}},
            ["guest.language"],
        ),
        (True, {"billing_address": {**ADDRESS, "country": "FRA"}}, ["billing_address.country"]),
        (True, {"shipping_address": {**ADDRESS, "city": ""}}, ["shipping_address.city"]),
        (True, {"payment_method": "cash"}, ["payment_method"]),
        (True, {"cart_id": "not-a-uuid"}, ["cart_id"]),
        (True, {"pricing": {"gross_total": "0.01"}}, ["pricing"]),
        (True, {"customer_id": str(uuid4())}, ["customer_id"]),
    ],
)
async def test_who_orders_decides_the_fields_and_bad_ones_are_named(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    billing: FakeServices,
    as_customer: bool,
    body: dict[str, Any],
    fields: list[str],
) -> None:
    shop, _ = await open_shop(sessions)
    headers = {**key(), **(await log_in(sessions, shop, uuid4()) if as_customer else {})}
    request = {"cart_id": str(CART), "payment_method": "card", **body}
    response = await http.post(url(shop, "/orders"), json=request, headers=headers)
    assert fields_of(response) == fields
    assert billing.calls == []


@pytest.mark.parametrize(
    ("code", "status", "fields", "detail", "retry_after"),
    [
        (
            "credit_limit_exceeded",
            422,
            [("payment_method", "outstanding 4800.00 + this order 360.00 > limit 5000.00")],
            "Outstanding 4800.00 EUR plus this order 360.00 EUR exceeds the credit limit 5000.00 EUR.",
            None,
        ),
        ("voucher_used_up", 422, [("code", "This code has been used up.")], "Used up.", None),
        ("cart_not_found", 404, [], "There is no such cart.", None),
        ("cart_ordered", 409, [], "This cart became an order.", None),
        ("pricing_unavailable", 503, [], "Prices cannot be computed right now.", 2),
    ],
)
async def test_billings_refusals_are_relayed_with_their_fields(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    billing: FakeServices,
    code: str,
    status: int,
    fields: list[tuple[str, str]],
    detail: str,
    retry_after: int | None,
) -> None:
    shop, _ = await open_shop(sessions)
    token = await log_in(sessions, shop, uuid4())
    billing.on(PlaceOrder, refusal(code, status, *fields, detail=detail, retry_after=retry_after))
    response = await http.post(
        url(shop, "/orders"),
        json={"cart_id": str(CART), "payment_method": "invoice"},
        headers={**token, **key()},
    )
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["type"] == f"/problems/{code}"
    assert problem["detail"] == detail
    assert [(e["field"], e["reason"]) for e in problem.get("errors", [])] == fields
    assert response.headers.get("Retry-After") == (str(retry_after) if retry_after else None)


async def test_payment_options_are_asked_for_the_caller_and_the_cart(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    token = await log_in(sessions, shop, customer)
    billing.on(
        ListPaymentOptions,
        lambda c: PaymentOptions(
            currency="EUR",
            options=[
                PaymentOption(method="card", available=True),
                PaymentOption(method="invoice", available=False, reason="over the credit limit"),
            ],
            outstanding=Decimal("4800.00"),
            credit_limit=Decimal("5000.00"),
        ),
    )

    mine = await http.get(
        url(shop, "/payment-options"), params={"cart_id": str(CART)}, headers=token
    )
    guest = await http.get(url(shop, "/payment-options"))

    assert mine.status_code == 200, mine.text
    assert mine.json()["outstanding"] == "4800.00"
    assert mine.json()["options"][1] == {
        "method": "invoice",
        "available": False,
        "reason": "over the credit limit",
    }
    assert guest.status_code == 200, guest.text
    asked = [c for c in billing.calls if isinstance(c, ListPaymentOptions)]
    assert [(c.shop_id, c.customer_id, c.cart_id) for c in asked] == [
        (shop, customer, CART),
        (shop, None, None),
    ]
    bad_cart = await http.get(url(shop, "/payment-options"), params={"cart_id": "x"})
    assert fields_of(bad_cart) == ["cart_id"]


# -- the customer's orders -------------------------------------------------------------------


def rejected_order(customer: UUID) -> Any:
    """An order whose print data the provider rejected, then received again."""
    return an_order(
        customer_id=customer,
        status="data_rejected",
        history=[
            StatusChange(status="placed", at=NOW),
            StatusChange(status="data_received", at=NOW + timedelta(hours=1), note="PO upload"),
            StatusChange(status="data_rejected", at=NOW + timedelta(hours=2), note="bleed missing"),
        ],
    )


async def test_the_customer_reads_their_orders_without_provider_or_rejection(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    token = await log_in(sessions, shop, customer)
    order = rejected_order(customer)
    billing.on(ListOrders, lambda c: order_page(order))
    billing.on(GetOrder, lambda c: order)

    listed = await http.get(url(shop, "/me/orders"), params={"page": 2, "size": 10}, headers=token)
    one = await http.get(url(shop, f"/me/orders/{order.order_id}"), headers=token)

    for response in (listed, one):
        assert response.status_code == 200, response.text
        assert provider_traces(response.text) == []
        assert "rejected" not in response.text
        assert "bleed" not in response.text
    assert [i["status"] for i in listed.json()["items"]] == ["data_received"]
    assert listed.json()["items"][0]["gross_total"] == "120.00"
    assert one.json()["status"] == "data_received"
    assert [(h["status"], h["note"]) for h in one.json()["history"]] == [
        ("placed", None),
        ("data_received", None),
    ]
    listing = billing.sent(ListOrders)
    assert (listing.shop_id, listing.customer_id, listing.page, listing.size) == (
        shop,
        customer,
        2,
        10,
    )
    assert listing.status is None
    reading = billing.sent(GetOrder)
    assert (reading.order_id, reading.customer_id) == (order.order_id, customer)


async def test_the_customer_cancels_their_order_with_a_reason(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    token = await log_in(sessions, shop, customer)
    cancelled = an_order(
        customer_id=customer,
        status="cancelled",
        cancelled_at=NOW,
        cancelled_by="customer",
        history=[
            StatusChange(status="placed", at=NOW),
            StatusChange(status="cancelled", at=NOW, note="ordered twice"),
        ],
    )
    billing.on(CancelOrder, lambda c: cancelled)

    response = await http.post(
        url(shop, f"/me/orders/{cancelled.order_id}/cancel"),
        json={"reason": " ordered twice "},
        headers=token,
    )
    without_body = await http.post(
        url(shop, f"/me/orders/{cancelled.order_id}/cancel"), headers=token
    )

    assert response.status_code == 200, response.text
    assert without_body.status_code == 200, without_body.text
    assert response.json()["status"] == "cancelled"
    assert response.json()["history"][-1] == {
        "status": "cancelled",
        "at": "2026-04-01T10:00:00Z",
        "note": "ordered twice",
    }
    first, second = [c for c in billing.calls if isinstance(c, CancelOrder)]
    assert (first.order_id, first.customer_id, first.cancelled_by, first.reason) == (
        cancelled.order_id,
        customer,
        "customer",
        "ordered twice",
    )
    assert second.reason is None


async def test_a_late_cancellation_names_the_status_as_the_customer_sees_it(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    token = await log_in(sessions, shop, uuid4())
    billing.on(
        CancelOrder,
        refusal(
            "invalid_transition",
            409,
            ("status", "is data_rejected"),
            detail="The order is data_rejected; it cannot be cancelled.",
        ),
    )
    response = await http.post(url(shop, f"/me/orders/{uuid4()}/cancel"), headers=token)
    assert response.status_code == 409
    assert response.json()["detail"] == "The order is data_received; it cannot be cancelled."
    assert response.json()["errors"] == [{"field": "status", "reason": "is data_received"}]


async def test_another_customers_order_is_not_found(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    token = await log_in(sessions, shop, uuid4())
    someone_elses = an_order(customer_id=uuid4())
    path = f"/me/orders/{someone_elses.order_id}"

    billing.on(GetOrder, refusal("order_not_found", 404, detail="There is no such order."))
    billing.on(CancelOrder, refusal("order_not_found", 404))
    refused_by_billing = [
        await http.get(url(shop, path), headers=token),
        await http.post(url(shop, f"{path}/cancel"), headers=token),
    ]
    billing.on(GetOrder, lambda c: someone_elses)
    billing.on(CancelOrder, lambda c: someone_elses)
    billing.on(ListOrders, lambda c: order_page(someone_elses))
    answered_by_mistake = [
        await http.get(url(shop, path), headers=token),
        await http.post(url(shop, f"{path}/cancel"), headers=token),
    ]

    for response in refused_by_billing + answered_by_mistake:
        assert response.status_code == 404, response.text
        assert response.json()["type"] == "/problems/order_not_found"
        assert "Ada" not in response.text
    listed = await http.get(url(shop, "/me/orders"), headers=token)
    assert listed.json()["items"] == [], "a list never shows another customer's order"


async def test_customer_routes_need_this_shops_customer_token(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], billing: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    other_shop, _ = await open_shop(sessions)
    order, invoice = uuid4(), uuid4()
    requests = [
        ("GET", "/me/orders"),
        ("GET", f"/me/orders/{order}"),
        ("POST", f"/me/orders/{order}/cancel"),
        ("GET", "/me/invoices"),
        ("GET", f"/me/invoices/{invoice}"),
        ("GET", f"/me/invoices/{invoice}/pdf"),
    ]
    refused_headers = [
        {},
        partner,
        await log_in(sessions, other_shop, uuid4()),
        {"Authorization": "Bearer ct_made-up"},
    ]
    for headers in refused_headers:
        for method, path in requests:
            response = await http.request(method, url(shop, path), headers=headers)
            assert response.status_code == 401, (headers, path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
        placing = await http.post(
            url(shop, "/orders"),
            json={"cart_id": str(CART), "payment_method": "card"},
            headers={**headers, **key()},
        )
        assert placing.status_code == (422 if headers == {} else 401), placing.text
    assert billing.calls == [], "a refused caller never reaches billing"

    unknown_shop = await http.post(
        url(uuid4(), "/orders"),
        json={"cart_id": str(CART), "payment_method": "card"},
        headers=key(),
    )
    assert unknown_shop.status_code == 404
    assert unknown_shop.json()["type"] == "/problems/shop_not_found"
