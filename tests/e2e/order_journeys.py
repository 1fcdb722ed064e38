"""Shops, customers and orders as the end-to-end order tests set them up, over HTTP only."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from devtools.api_client import PARIS, Gateway, Shop, eventually

STANDARD = {"code": "standard", "names": {"en": "Standard"}, "surcharge_unit_net": "0"}
EXPRESS = {"code": "express", "names": {"en": "Express"}, "surcharge_unit_net": "0.0150"}
FLYERS = {
    "names": {"en": "Flyers A5"},
    "unit_net": "0.0450",
    "wholesale_unit_cost": "0.0210",
    "vat_rate": "20.00",
    "production_options": [STANDARD, EXPRESS],
    "min_quantity": 100,
    "max_quantity": 100000,
}
POSTERS = {
    "names": {"en": "Poster A2"},
    "unit_net": "4.0000",
    "wholesale_unit_cost": "1.5000",
    "vat_rate": "20.00",
    "production_options": [STANDARD],
}
SHIPPING = {"names": {"en": "Standard delivery"}, "net": "5.90", "vat_rate": "20.00"}
ADDRESS = {"name": "Ada Lovelace", **PARIS}
STEPS_TO_PRODUCTION = ("data_received", "data_checked", "in_production")


def unique_email(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}@example.com"


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


def selling_shop(api: Gateway, brand: str, partner_addresses: list[str]) -> Shop:
    """A shop with products, a shipping option and every partner copy switched on."""
    shop = api.open_shop(brand, verification_mode="none")
    api.put_product(shop, "FLY", **FLYERS)
    api.put_product(shop, "POS", **POSTERS)
    api.put_shipping_option(shop, "post", **SHIPPING)
    copies = {
        "addresses": partner_addresses,
        "kinds": ["order_confirmation", "order_status_change", "invoice"],
    }

    def configured() -> None:
        response = api.http.put(
            "/partner/v1/settings/partner-copies", headers=shop.partner, json=copies
        )
        assert response.status_code == 200, response.text

    # A new shop reaches the notifier through its event queue: behind other tests' events.
    eventually(configured, timeout=60)
    return shop


def customer(api: Gateway, shop: Shop, name: str) -> tuple[str, str, dict[str, str]]:
    """A registered customer (id, email, token) the billing service knows about."""
    email = unique_email(name)
    registered = api.register(shop, email=email, first_name=name.title(), last_name="Lovelace")
    assert registered.status_code == 201, registered.text
    return registered.json()["customer_id"], email, api.customer_token(shop, email)


def pays_by_invoice(api: Gateway, shop: Shop, customer_id: str, limit: str, days: int = 30) -> None:
    terms = {
        "credit_limit": limit,
        "payment_terms_days": days,
        "risk_level": "low",
        "pays_by_invoice": True,
    }
    ok(
        api.http.patch(
            f"/partner/v1/customers/{customer_id}", headers=shop.partner, json={"b2b": terms}
        )
    )


def cart(
    api: Gateway,
    shop: Shop,
    headers: dict[str, str] | None,
    items: list[dict[str, Any]],
    voucher: str | None = None,
) -> dict[str, Any]:
    created = ok(
        api.http.post(api.storefront(shop, "/carts"), headers=headers, json={"items": items}), 201
    )
    url = api.storefront(shop, f"/carts/{created['cart_id']}")
    body = ok(api.http.put(f"{url}/shipping", headers=headers, json={"shipping_option": "post"}))
    if voucher:
        body = ok(api.http.put(f"{url}/voucher", headers=headers, json={"code": voucher}))
    return body


def place(
    api: Gateway,
    shop: Shop,
    headers: dict[str, str] | None,
    body: dict[str, Any],
    key: str | None = None,
) -> httpx.Response:
    """POST an order; waits out 503s (a customer the billing service has not learnt yet)."""
    idempotency = {"Idempotency-Key": key or uuid.uuid4().hex}
    return api.when_ready(
        "POST",
        api.storefront(shop, "/orders"),
        headers={**(headers or {}), **idempotency},
        json=body,
    )


def step(api: Gateway, shop: Shop, order_id: str, name: str, **extra: Any) -> httpx.Response:
    return api.http.post(
        f"/ops/v1/shops/{shop.shop_id}/orders/{order_id}/steps",
        headers=api.operator,
        json={"step": name, **extra},
    )


def ship(api: Gateway, shop: Shop, order_id: str, tracking: str) -> dict[str, Any]:
    for name in STEPS_TO_PRODUCTION:
        ok(step(api, shop, order_id, name))
    return ok(step(api, shop, order_id, "shipped", tracking_number=tracking))


def overview_row(api: Gateway, shop: Shop, customer_id: str) -> dict[str, Any]:
    rows = api.customers(shop, size=100)["items"]
    return next(r for r in rows if r["customer_id"] == customer_id)


def overview_shows(api: Gateway, shop: Shop, customer_id: str, **expected: Any) -> dict[str, Any]:
    """Waits for the overview's row to show ``expected`` (``unpaid`` and ``pays_by_invoice`` are
    the two halves of the invoice column)."""

    def check() -> dict[str, Any]:
        row = overview_row(api, shop, customer_id)
        flat = {**row, **row["invoice"]}
        assert {k: flat[k] for k in expected} == expected, row
        return row

    found: dict[str, Any] = eventually(check, timeout=20)
    return found
