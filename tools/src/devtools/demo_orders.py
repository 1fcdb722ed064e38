"""Orders in the demo shop (for `make run`): the overview, the sheet and the invoices have
something to show, and a newcomer sees every email an order sends.

Only on a shop without orders, so repeated runs do not pile them up. Ada verifies her email
with the code the local mail sink kept, gets B2B terms with "pays by invoice", and orders
business cards on invoice; the provider's steps take the order to shipped, which issues
her invoice (unpaid: the overview shows "(1 unpaid)"). A guest orders flyers and waits for
the payment.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from devtools.api_client import DEV_OPERATOR_TOKEN, code_in, to
from devtools.mailsink import read_mailbox

GUEST_ADDRESS = {
    "name": "Grace Hopper",
    "line1": "8 rue de la Paix",
    "postcode": "75002",
    "city": "Paris",
    "country": "FR",
}
B2B_TERMS = {
    "credit_limit": "2000.00",
    "payment_terms_days": 30,
    "risk_level": "low",
    "pays_by_invoice": True,
}
PROVIDER_STEPS = ("data_received", "data_checked", "in_production")


def place_demo_orders(
    gateway: str, shop: dict[str, str], customer_email: str, password: str, mail_dir: Path
) -> str:
    """What happened, in one line for the guide."""
    partner = {"Authorization": f"Bearer {shop['partner_token']}"}
    with httpx.Client(base_url=gateway, timeout=30) as http:
        existing = http.get("/partner/v1/orders", headers=partner)
        if existing.status_code == 200 and existing.json()["total"] > 0:
            return f"{existing.json()['total']} orders from earlier runs"
        token = _customer_token(http, shop, customer_email, password, mail_dir)
        if token is None:
            return "no demo orders: the demo customer could not log in"
        customer_id = http.get(_storefront(shop, "/me"), headers=token).json()["customer_id"]
        http.patch(
            f"/partner/v1/customers/{customer_id}", headers=partner, json={"b2b": B2B_TERMS}
        ).raise_for_status()

        cards = _cart(http, shop, token, {"sku": "BC-85x55-350", "quantity": 500})
        order = _until_placed(http, shop, token, {"cart_id": cards, "payment_method": "invoice"})
        steps = f"/ops/v1/shops/{shop['shop_id']}/orders/{order['order_id']}/steps"
        operator = {"Authorization": f"Bearer {DEV_OPERATOR_TOKEN}"}
        for step in PROVIDER_STEPS:
            http.post(steps, headers=operator, json={"step": step}).raise_for_status()
        shipped = http.post(
            steps, headers=operator, json={"step": "shipped", "tracking_number": "DEMO-TRACK-1"}
        )
        shipped.raise_for_status()

        flyers = _cart(http, shop, None, {"sku": "FLY-A5-135", "quantity": 1000})
        guest = _until_placed(
            http,
            shop,
            None,
            {
                "cart_id": flyers,
                "payment_method": "bank_transfer",
                "guest": {
                    "email": "grace@example.com",
                    "first_name": "Grace",
                    "last_name": "Hopper",
                },
                "billing_address": GUEST_ADDRESS,
            },
        )
    return (
        f"order {order['order_number']} by Ada on invoice, shipped and invoiced "
        f"({shipped.json()['invoice_number']}, unpaid); guest order {guest['order_number']} "
        "awaiting payment"
    )


def _storefront(shop: dict[str, str], path: str) -> str:
    return f"/storefront/v1/shops/{shop['shop_id']}{path}"


def _customer_token(
    http: httpx.Client, shop: dict[str, str], email: str, password: str, mail_dir: Path
) -> dict[str, str] | None:
    """Log in; an unverified demo customer is verified with the newest code in the sink."""
    login = {"email": email, "password": password}
    response = http.post(_storefront(shop, "/login"), json=login)
    if response.status_code != 200:
        codes = [m for m in read_mailbox(mail_dir) if to(email)(m)]
        for message in reversed(codes):
            try:
                code = code_in(message)
            except AssertionError:
                continue
            verified = http.post(
                _storefront(shop, "/email-verification"), json={"email": email, "code": code}
            )
            if verified.status_code == 200:
                break
        response = http.post(_storefront(shop, "/login"), json=login)
    if response.status_code != 200:
        return None
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _cart(
    http: httpx.Client, shop: dict[str, str], token: dict[str, str] | None, item: dict[str, Any]
) -> str:
    created = http.post(_storefront(shop, "/carts"), headers=token, json={"items": [item]})
    created.raise_for_status()
    cart_id = str(created.json()["cart_id"])
    http.put(
        _storefront(shop, f"/carts/{cart_id}/shipping"),
        headers=token,
        json={"shipping_option": "standard"},
    ).raise_for_status()
    return cart_id


def _until_placed(
    http: httpx.Client, shop: dict[str, str], token: dict[str, str] | None, body: dict[str, Any]
) -> dict[str, Any]:
    """The billing service learns of the customer and the B2B terms a moment later."""
    headers = {**(token or {}), "Idempotency-Key": uuid.uuid4().hex}
    for _ in range(100):
        response = http.post(_storefront(shop, "/orders"), headers=headers, json=body)
        if response.status_code not in (422, 503) or "invoice" not in response.text:
            break
        time.sleep(0.2)
    response.raise_for_status()
    placed: dict[str, Any] = response.json()
    return placed
