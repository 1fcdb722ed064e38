"""No partner or customer token reaches another shop's objects (X3, BOLA): they answer 404."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from devtools.api_client import Gateway, Shop, eventually

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database]

SAMPLE_BODIES: dict[tuple[str, str], dict[str, Any] | None] = {
    ("GET", "/partner/v1/customers/{customer_id}"): None,
    ("PATCH", "/partner/v1/customers/{customer_id}"): {"tax_exempt": True},
    ("DELETE", "/partner/v1/customers/{customer_id}"): None,
    ("POST", "/partner/v1/customers/{customer_id}/deny"): None,
    ("POST", "/partner/v1/customers/{customer_id}/allow"): None,
    ("POST", "/partner/v1/customers/{customer_id}/notes"): {"text": "x", "author": "y"},
    ("PATCH", "/partner/v1/groups/{group_id}"): {"name": "Renamed"},
    ("DELETE", "/partner/v1/groups/{group_id}"): None,
    ("PUT", "/partner/v1/customers/{customer_id}/discount"): {"discount_percent": 50},
    ("PUT", "/partner/v1/groups/{group_id}/adjustment"): {"percent": "-50"},
    ("GET", "/partner/v1/products/{sku}"): None,
    ("GET", "/partner/v1/vouchers/{voucher_id}"): None,
    ("POST", "/partner/v1/vouchers/{voucher_id}/deactivate"): None,
    ("POST", "/partner/v1/vouchers/{voucher_id}/activate"): None,
    ("GET", "/partner/v1/orders/{order_id}"): None,
    ("POST", "/partner/v1/orders/{order_id}/cancel"): {"reason": "stolen"},
    ("POST", "/partner/v1/orders/{order_id}/payments"): {"amount": "1.00", "reference": "x"},
    ("GET", "/partner/v1/invoices/{invoice_id}"): None,
    ("GET", "/partner/v1/invoices/{invoice_id}/pdf"): None,
    ("POST", "/partner/v1/invoices/{invoice_id}/paid"): {"paid_on": "2026-01-01"},
    ("POST", "/partner/v1/invoices/{invoice_id}/credit-notes"): {"reason": "stolen"},
}
"""Every partner endpoint that names an object in its path, with a body it would accept."""

OWN_NAMESPACE: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/partner/v1/products/{sku}"): {
        "names": {"en": "Stolen"},
        "unit_net": "0.01",
        "wholesale_unit_cost": "0",
        "vat_rate": "0",
        "production_options": [{"code": "standard", "names": {"en": "Standard"}}],
    },
    ("PUT", "/partner/v1/shipping-options/{code}"): {
        "names": {"en": "Free"},
        "net": "0",
        "vat_rate": "0",
    },
}
"""Endpoints keyed by a name in the caller's own shop: another shop's SKU or code there creates
the caller's own entry and leaves the other shop's untouched."""


def shipped_order(api: Gateway, shop: Shop, email: str) -> tuple[str, str]:
    """A paid, shipped and invoiced order of the customer ``email``: (order id, invoice id)."""
    token = api.customer_token(shop, email)
    carts = api.storefront(shop, "/carts")
    cart = api.http.post(carts, headers=token, json={"items": [{"sku": "VIC-1", "quantity": 10}]})
    assert cart.status_code == 201, cart.text
    cart_id = cart.json()["cart_id"]
    shipping = {"shipping_option": "vic-post"}
    assert api.http.put(f"{carts}/{cart_id}/shipping", headers=token, json=shipping).is_success
    placed = api.when_ready(
        "POST",
        api.storefront(shop, "/orders"),
        headers={**token, "Idempotency-Key": uuid.uuid4().hex},
        json={"cart_id": cart_id, "payment_method": "card"},
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    paid = api.http.post(
        f"/partner/v1/orders/{order['order_id']}/payments",
        headers={**shop.partner, "Idempotency-Key": uuid.uuid4().hex},
        json={"amount": order["pricing"]["gross_total"], "reference": "PSP-1"},
    )
    assert paid.status_code == 200, paid.text
    steps = f"/ops/v1/shops/{shop.shop_id}/orders/{order['order_id']}/steps"
    for step in ("data_received", "data_checked", "in_production"):
        assert api.http.post(steps, headers=api.operator, json={"step": step}).is_success
    shipped = api.http.post(
        steps, headers=api.operator, json={"step": "shipped", "tracking_number": "T-1"}
    )
    assert shipped.status_code == 200, shipped.text
    return order["order_id"], shipped.json()["invoice_id"]


def test_every_partner_endpoint_answers_404_for_another_shops_objects(api: Gateway) -> None:
    victim = api.open_shop("Victim Shop", verification_mode="none")
    attacker = api.open_shop("Attacker Shop", verification_mode="none")
    email = f"victim.{uuid.uuid4().hex[:6]}@example.com"
    customer_id = api.register(victim, email=email, first_name="Vic", last_name="Tim").json()[
        "customer_id"
    ]
    created = api.http.post("/partner/v1/groups", headers=victim.partner, json={"name": "VIP"})
    assert created.status_code == 201, created.text
    api.put_product(
        victim,
        "VIC-1",
        **{
            **OWN_NAMESPACE[("PUT", "/partner/v1/products/{sku}")],
            "names": {"en": "Victim flyer"},
            "unit_net": "0.0500",
        },
    )
    api.put_shipping_option(victim, "vic-post", names={"en": "Post"}, net="4.00", vat_rate="20")
    voucher = api.http.post(
        "/partner/v1/vouchers",
        headers=victim.partner,
        json={"code": "VICTIM", "kind": "percent", "value": "5"},
    )
    assert voucher.status_code == 201, voucher.text
    order_id, invoice_id = shipped_order(api, victim, email)
    ids = {
        "customer_id": customer_id,
        "group_id": created.json()["group_id"],
        "sku": "VIC-1",
        "code": "vic-post",
        "voucher_id": voucher.json()["voucher_id"],
        "order_id": order_id,
        "invoice_id": invoice_id,
    }

    schema = api.http.get("/openapi.json").json()
    with_ids = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if path.startswith("/partner/") and "{" in path
        for method in operations
    }
    assert with_ids == set(SAMPLE_BODIES) | set(OWN_NAMESPACE), (
        "a new partner endpoint needs its BOLA case here"
    )

    for (method, path), body in SAMPLE_BODIES.items():
        url = path.format(**ids)
        headers = {**attacker.partner, "Idempotency-Key": uuid.uuid4().hex}
        response = api.http.request(method, url, headers=headers, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"

    for (method, path), body in OWN_NAMESPACE.items():
        response = api.http.request(method, path.format(**ids), headers=attacker.partner, json=body)
        assert response.status_code in (200, 201), (method, path, response.text)
    victim_prices = api.http.get("/partner/v1/price-list", headers=victim.partner).json()
    assert [(p["names"]["en"], p["unit_net"]) for p in victim_prices["products"]] == [
        ("Victim flyer", "0.0500")
    ]
    assert [o["net"] for o in victim_prices["shipping_options"]] == ["4.00"]
    still_active = api.http.get(f"/partner/v1/vouchers/{ids['voucher_id']}", headers=victim.partner)
    assert still_active.json()["active"] is True

    bulk = api.http.post(
        "/partner/v1/customers/deletion",
        headers=attacker.partner,
        json={"customer_ids": [customer_id]},
    )
    assert bulk.status_code == 404
    into_foreign_group = api.create_customer(
        attacker, email="x@example.com", first_name="X", last_name="Y", group_id=ids["group_id"]
    )
    assert into_foreign_group.status_code in (404, 422)
    assert into_foreign_group.json()["errors"][0]["field"] == "group_id"

    eventually(lambda: assert_search(api, victim, email, 1))
    assert_search(api, attacker, email, 0)
    export = api.http.get("/partner/v1/customers/export", headers=attacker.partner)
    assert email not in export.text

    still_there = api.http.get(f"/partner/v1/customers/{customer_id}", headers=victim.partner)
    assert still_there.status_code == 200, "the attacker's requests changed nothing"
    assert still_there.json()["customer"]["denied"] is False
    assert still_there.json()["customer"]["tax_exempt"] is False
    assert still_there.json()["notes"] == []
    order = api.http.get(f"/partner/v1/orders/{order_id}", headers=victim.partner).json()
    assert (order["status"], order["payment_status"]) == ("shipped", "paid")
    invoice = api.http.get(f"/partner/v1/invoices/{invoice_id}", headers=victim.partner).json()
    assert invoice["status"] == "paid", "prepaid, never credited by the attacker"
    victim_invoices = api.http.get("/partner/v1/invoices", headers=victim.partner).json()
    assert victim_invoices["total"] == 1, "no credit note was issued"


def test_a_customer_token_reaches_only_its_own_shop_and_record(api: Gateway) -> None:
    shop = api.open_shop("Token Shop", verification_mode="none")
    other = api.open_shop("Token Other", verification_mode="none")
    email = f"tok.{uuid.uuid4().hex[:6]}@example.com"
    api.register(shop, email=email, first_name="To", last_name="Ken")
    token = api.customer_token(shop, email)
    assert api.http.get(api.storefront(shop, "/me"), headers=token).json()["email"] == email
    assert api.http.get(api.storefront(other, "/me"), headers=token).status_code == 401
    partner_with_customer_token = api.http.get("/partner/v1/customers", headers=token)
    assert partner_with_customer_token.status_code == 401
    me_with_partner_token = api.http.get(api.storefront(shop, "/me"), headers=shop.partner)
    assert me_with_partner_token.status_code == 401


def assert_search(api: Gateway, shop: Any, email: str, count: int) -> None:
    assert len(api.customers(shop, q=email)["items"]) == count
