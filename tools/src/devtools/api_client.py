"""A thin client of the gateway's HTTP API for the end-to-end tests, the demo run and benches.

It speaks only HTTP, as a storefront, a partner's tools or an operator would, and waits out
the moment a new shop takes to reach the services behind the gateway.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_fixed

DEV_OPERATOR_TOKEN = "dev-operator-token"  # noqa: S105 - the gateway's development default
DEFAULT_PASSWORD = "correct horse battery"  # noqa: S105 - test and demo accounts only
PARIS = {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris", "country": "FR"}


def eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Retry ``check`` until it stops raising AssertionError (events take a moment)."""
    for attempt in Retrying(
        stop=stop_after_delay(timeout),
        wait=wait_fixed(0.1),
        retry=retry_if_exception_type(AssertionError),
        reraise=True,
    ):
        with attempt:
            return check()
    return None


def code_in(message: EmailMessage) -> str:
    """The 6-digit code of a verification or email-change email."""
    text = message.get_body(("plain",))
    assert text is not None
    found = re.search(r"\b(\d{6})\b", text.get_content())
    assert found, text.get_content()
    return found.group(1)


def token_in(message: EmailMessage) -> str:
    """The one-time token of an invitation or password-reset link."""
    text = message.get_body(("plain",))
    assert text is not None
    found = re.search(r"[?&]token=([A-Za-z0-9_\-%]+)", text.get_content())
    assert found, text.get_content()
    return found.group(1)


def to(address: str) -> Callable[[EmailMessage], bool]:
    return lambda m: address.lower() in str(m["To"]).lower()


@dataclass
class Shop:
    shop_id: str
    slug: str
    brand_name: str
    partner_token: str

    @property
    def partner(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.partner_token}"}


class Gateway:
    """Calls the gateway as the operator, a partner or a storefront."""

    def __init__(self, client: httpx.Client, operator_token: str = DEV_OPERATOR_TOKEN) -> None:
        self.http = client
        self.operator = {"Authorization": f"Bearer {operator_token}"}

    # -- operator -------------------------------------------------------------------------

    def open_shop(self, brand: str, **extra: Any) -> Shop:
        response = self.http.post(
            "/ops/v1/shops",
            headers=self.operator,
            json={"brand_name": brand, "sender_email": "shop@brand.example", **extra},
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Shop(body["shop_id"], body["slug"], body["brand_name"], body["partner_token"])

    # -- storefront -----------------------------------------------------------------------

    def storefront(self, shop: Shop | str, path: str) -> str:
        shop_id = shop.shop_id if isinstance(shop, Shop) else shop
        return f"/storefront/v1/shops/{shop_id}{path}"

    def post_when_ready(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST, waiting out '503 shop_not_ready' while a new shop reaches the services."""
        return self.when_ready("POST", url, **kwargs)

    def when_ready(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Any request, waiting out a 503 while a new shop or customer reaches the services."""
        response = self.http.request(method, url, **kwargs)
        for _ in range(100):
            if response.status_code != 503:
                return response
            time.sleep(0.1)
            response = self.http.request(method, url, **kwargs)
        return response

    def register(
        self, shop: Shop | str, headers: dict[str, str] | None = None, **fields: Any
    ) -> httpx.Response:
        body = {"password": DEFAULT_PASSWORD, "language": "en", "address": PARIS, **fields}
        return self.post_when_ready(self.storefront(shop, "/customers"), json=body, headers=headers)

    def verify(self, shop: Shop | str, email: str, code: str) -> httpx.Response:
        return self.http.post(
            self.storefront(shop, "/email-verification"), json={"email": email, "code": code}
        )

    def login(
        self, shop: Shop | str, email: str, password: str = DEFAULT_PASSWORD
    ) -> httpx.Response:
        return self.post_when_ready(
            self.storefront(shop, "/login"), json={"email": email, "password": password}
        )

    def customer_token(
        self, shop: Shop | str, email: str, password: str = DEFAULT_PASSWORD
    ) -> dict[str, str]:
        response = self.login(shop, email, password)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    # -- partner --------------------------------------------------------------------------

    def customers(self, shop: Shop, **params: Any) -> dict[str, Any]:
        response = self.http.get("/partner/v1/customers", headers=shop.partner, params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def create_customer(self, shop: Shop, **fields: Any) -> httpx.Response:
        body = {"language": "en", **fields}
        return self.post_when_ready("/partner/v1/customers", json=body, headers=shop.partner)

    def put_product(self, shop: Shop, sku: str, **fields: Any) -> dict[str, Any]:
        response = self.when_ready(
            "PUT", f"/partner/v1/products/{sku}", json=fields, headers=shop.partner
        )
        assert response.status_code in (200, 201), response.text
        body: dict[str, Any] = response.json()
        return body

    def put_shipping_option(self, shop: Shop, code: str, **fields: Any) -> dict[str, Any]:
        response = self.when_ready(
            "PUT", f"/partner/v1/shipping-options/{code}", json=fields, headers=shop.partner
        )
        assert response.status_code in (200, 201), response.text
        body: dict[str, Any] = response.json()
        return body

    def group_id(self, shop: Shop, system_key: str) -> str:
        """The id of one of the three groups every shop starts with (visitor, guest, customer)."""
        response = self.http.get("/partner/v1/groups", headers=shop.partner)
        assert response.status_code == 200, response.text
        for group in response.json()["groups"]:
            if group["system_key"] == system_key:
                return str(group["group_id"])
        raise AssertionError(f"no {system_key} group in {response.text}")
