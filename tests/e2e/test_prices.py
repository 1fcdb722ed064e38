"""Prices end to end (V1-V4, V6, V7, B1): the partner sets a group adjustment, a customer
discount and vouchers; the storefront's quotes and carts come out in the documented order.

Every figure below is worked out by hand from the stacking order in
services/vouchers/docs/pricing.md: group adjustment, then the customer discount on the
adjusted price, then the voucher on the product subtotal, VAT last per line.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from devtools.api_client import Gateway, Shop, eventually, to
from devtools.mailsink import MailSink, body

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database]

STANDARD = {"code": "standard", "names": {"en": "Standard"}, "surcharge_unit_net": "0"}
EXPRESS = {"code": "express", "names": {"en": "Express"}, "surcharge_unit_net": "0.0150"}
FLYERS = {
    "names": {"en": "Flyers A5", "fr": "Flyers A5"},
    "unit_net": "0.0450",
    "wholesale_unit_cost": "0.0210",
    "vat_rate": "20.00",
    "production_options": [STANDARD, EXPRESS],
    "min_quantity": 100,
    "max_quantity": 100000,
}
BROCHURES = {
    "names": {"en": "Brochure A4"},
    "unit_net": "1.2000",
    "wholesale_unit_cost": "0.5500",
    "vat_rate": "5.50",
    "production_options": [STANDARD],
}
SHIPPING = {"names": {"en": "Standard delivery"}, "net": "5.90", "vat_rate": "20.00"}


def unique_email(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}@example.com"


def priced_shop(api: Gateway, brand: str) -> Shop:
    shop = api.open_shop(brand, verification_mode="none")
    api.put_product(shop, "FLY", **FLYERS)
    api.put_product(shop, "BRO", **BROCHURES)
    api.put_shipping_option(shop, "post", **SHIPPING)
    return shop


def signed_in(api: Gateway, shop: Shop, name: str) -> tuple[str, dict[str, str]]:
    """A registered customer of ``shop`` (no code needed in this shop) and their token."""
    email = unique_email(name)
    registered = api.register(shop, email=email, first_name=name.title(), last_name="Lovelace")
    assert registered.status_code == 201, registered.text
    return registered.json()["customer_id"], api.customer_token(shop, email)


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


def once_known(api: Gateway, method: str, url: str, shop: Shop, body: dict[str, Any]) -> Any:
    """The vouchers service learns customers and groups from events: a moment after they exist."""

    def known() -> Any:
        response = api.when_ready(method, url, headers=shop.partner, json=body)
        assert response.status_code != 404, response.text
        return response

    return eventually(known, timeout=10)


def line_by_sku(cart: dict[str, Any], sku: str) -> dict[str, Any]:
    lines = cart["pricing"]["lines"] if "pricing" in cart else cart["lines"]
    return next(line for line in lines if line["sku"] == sku)


def adjustments(line: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["kind"], a["amount"]) for a in line["adjustments"]]


def test_quote_cart_and_voucher_follow_the_stacking_order(
    api: Gateway, mail_sink: MailSink
) -> None:
    shop = priced_shop(api, "Imprimerie Ordre")
    reports = f"reports@{shop.slug}.example"
    ok(
        api.when_ready(
            "PUT",
            "/partner/v1/settings/report-addresses",
            headers=shop.partner,
            json={"addresses": [reports]},
        )
    )
    for key, percent in (("visitor", "10"), ("customer", "-5")):
        url = f"/partner/v1/groups/{api.group_id(shop, key)}/adjustment"
        ok(once_known(api, "PUT", url, shop, {"percent": percent}))
    customer_id, token = signed_in(api, shop, "ada")

    # A visitor sees the Visitor group's prices (+10 %), no discount.
    quote_body = {"items": [{"sku": "FLY", "quantity": 1000}]}
    visitor = ok(api.http.post(api.storefront(shop, "/prices"), json=quote_body))
    line = visitor["pricing"]["lines"][0]
    assert (line["list_net"], line["product_net"], line["vat"], line["gross"]) == (
        "45.00",
        "49.50",
        "9.90",
        "59.40",
    )
    assert adjustments(line) == [("group", "4.50")]

    # V1/V2: a personal discount of 10 %, marked "SC", reported to the report address (V6).
    discount = once_known(
        api, "PUT", f"/partner/v1/customers/{customer_id}/discount", shop, {"discount_percent": 10}
    )
    assert ok(discount)["special_condition"] is True

    def marked_sc() -> None:
        rows = api.customers(shop, special_condition="true")["items"]
        assert [r["customer_id"] for r in rows] == [customer_id]
        assert rows[0]["special_condition"] is True

    eventually(marked_sc)
    sheet = ok(api.http.get(f"/partner/v1/customers/{customer_id}", headers=shop.partner))
    assert sheet["pricing"]["special_condition"] is True
    assert sheet["pricing"]["discount_percent"] in ("10", "10.00")
    report = mail_sink.wait_for_blocking(to(reports), timeout=20)
    assert "10" in body(report)
    assert "Lovelace" in body(report)

    # Logged in: group -5 % on 45.00 = 42.75, then 10 % off 42.75 = -4.28 -> 38.47.
    mine = ok(api.http.post(api.storefront(shop, "/prices"), json=quote_body, headers=token))
    line = mine["pricing"]["lines"][0]
    assert adjustments(line) == [("group", "-2.25"), ("customer_discount", "-4.28")]
    assert (line["product_net"], line["vat"], line["gross"]) == ("38.47", "7.69", "46.16")

    # The cart: 1000 express flyers and 50 brochures (5.5 % VAT), shipped by post.
    created = api.http.post(
        api.storefront(shop, "/carts"),
        headers=token,
        json={"items": [{"sku": "FLY", "quantity": 1000, "production_option": "express"}]},
    )
    cart = ok(created, 201)
    cart_url = api.storefront(shop, f"/carts/{cart['cart_id']}")
    assert created.headers["Location"].endswith(cart["cart_id"])
    ok(api.http.post(f"{cart_url}/lines", headers=token, json={"sku": "BRO", "quantity": 50}))
    cart = ok(api.http.put(f"{cart_url}/shipping", headers=token, json={"shipping_option": "post"}))
    flyers, brochures = line_by_sku(cart, "FLY"), line_by_sku(cart, "BRO")
    assert (flyers["product_net"], flyers["surcharge_net"], flyers["net"]) == (
        "38.47",
        "15.00",
        "53.47",
    )
    assert adjustments(brochures) == [("group", "-3.00"), ("customer_discount", "-5.70")]
    pricing = cart["pricing"]
    assert (pricing["net_total"], pricing["vat_total"], pricing["gross_total"]) == (
        "110.67",
        "14.69",
        "125.36",
    )
    without_voucher = pricing

    # A 10 % voucher on the subtotal after both (89.77): 8.98, shared 3.85 / 5.13 by weight.
    ok(
        api.http.post(
            "/partner/v1/vouchers",
            headers=shop.partner,
            json={"code": "Spring10", "kind": "percent", "value": "10", "min_order_value": "50"},
        ),
        201,
    )
    cart = ok(api.http.put(f"{cart_url}/voucher", headers=token, json={"code": "spring10"}))
    pricing = cart["pricing"]
    assert pricing["voucher"]["applied"] is True
    assert pricing["voucher"]["amount"] == "-8.98"
    assert adjustments(line_by_sku(cart, "FLY"))[-1] == ("voucher", "-3.85")
    assert adjustments(line_by_sku(cart, "BRO"))[-1] == ("voucher", "-5.13")
    assert line_by_sku(cart, "FLY")["surcharge_net"] == "15.00", "surcharges are never discounted"
    assert pricing["shipping"]["net"] == "5.90", "shipping is never discounted"
    assert (pricing["net_total"], pricing["vat_total"], pricing["gross_total"]) == (
        "101.69",
        "13.64",
        "115.33",
    )
    assert [(v["rate"], v["net"], v["vat"]) for v in pricing["vat"]] == [
        ("5.50", "46.17", "2.54"),
        ("20.00", "55.52", "11.10"),
    ]
    activation = mail_sink.wait_for_blocking(
        lambda m: to(reports)(m) and "SPRING10" in body(m), timeout=20
    )
    assert activation is not None

    # Removing the voucher gives the cart back its earlier figures.
    cart = ok(api.http.delete(f"{cart_url}/voucher", headers=token))
    assert cart["voucher_code"] is None
    assert cart["pricing"]["gross_total"] == without_voucher["gross_total"]

    # The customer sheet lists the open cart (B1, P11).
    sheet = ok(api.http.get(f"/partner/v1/customers/{customer_id}", headers=shop.partner))
    assert [(c["cart_id"], c["status"]) for c in sheet["carts"]] == [(cart["cart_id"], "open")]


def test_vouchers_are_refused_with_a_reason_the_storefront_can_show(api: Gateway) -> None:
    shop = priced_shop(api, "Imprimerie Refus")
    customer_id, token = signed_in(api, shop, "grace")
    _, other_token = signed_in(api, shop, "alan")
    now = datetime.now(UTC)

    def voucher(code: str, **terms: Any) -> dict[str, Any]:
        body = {"code": code, "kind": "percent", "value": "10", **terms}
        return ok(api.http.post("/partner/v1/vouchers", headers=shop.partner, json=body), 201)

    voucher("BIG50", kind="fixed", value="50", min_order_value="500")
    voucher("LATER", valid_from=(now + timedelta(days=3)).isoformat())
    voucher(
        "GONE",
        valid_from=(now - timedelta(days=30)).isoformat(),
        valid_until=(now - timedelta(days=1)).isoformat(),
    )
    eventually(lambda: voucher("ONLYGRACE", customer_id=customer_id), timeout=10)
    paused = voucher("PAUSED")
    ok(
        api.http.post(
            f"/partner/v1/vouchers/{paused['voucher_id']}/deactivate", headers=shop.partner
        )
    )
    taken = api.http.post(
        "/partner/v1/vouchers",
        headers=shop.partner,
        json={"code": "big50", "kind": "percent", "value": "5"},
    )
    assert taken.status_code == 409, "codes are unique per shop, ignoring case"

    cart = ok(
        api.http.post(
            api.storefront(shop, "/carts"),
            headers=other_token,
            json={"items": [{"sku": "BRO", "quantity": 50}]},
        ),
        201,
    )
    cart_url = api.storefront(shop, f"/carts/{cart['cart_id']}")

    def refusal(code: str) -> tuple[str, str]:
        response = api.http.put(f"{cart_url}/voucher", headers=other_token, json={"code": code})
        assert response.status_code == 422, response.text
        problem = response.json()
        assert [e["field"] for e in problem["errors"]] == ["code"]
        return problem["type"].rsplit("/", 1)[-1], problem["errors"][0]["reason"]

    assert refusal("NOPE")[0] == "voucher_unknown"
    assert refusal("later")[0] == "voucher_not_yet_valid"
    assert refusal("GONE")[0] == "voucher_expired"
    assert refusal("ONLYGRACE")[0] == "voucher_not_for_this_customer"
    assert refusal("PAUSED")[0] == "voucher_inactive"
    reason, detail = refusal("BIG50")
    # Subtotal: 50 brochures at 1.20 = 60.00 (this customer has no discount, Customer group 0 %).
    assert reason == "voucher_minimum_not_reached"
    assert "440.00" in detail
    assert ok(api.http.get(cart_url, headers=other_token))["voucher_code"] is None

    grace_cart = ok(
        api.http.post(
            api.storefront(shop, "/carts"),
            headers=token,
            json={"items": [{"sku": "BRO", "quantity": 50}]},
        ),
        201,
    )
    applied = ok(
        api.http.put(
            api.storefront(shop, f"/carts/{grace_cart['cart_id']}/voucher"),
            headers=token,
            json={"code": "onlygrace"},
        )
    )
    assert applied["pricing"]["voucher"]["amount"] == "-6.00", "10 % of 60.00, for Grace only"


def test_bad_cart_input_names_the_field_and_other_peoples_carts_are_not_found(
    api: Gateway,
) -> None:
    shop = priced_shop(api, "Imprimerie Stricte")
    other_shop = priced_shop(api, "Imprimerie Voisine")
    _, token = signed_in(api, shop, "edsger")
    _, intruder = signed_in(api, shop, "mallory")
    cart = ok(api.http.post(api.storefront(shop, "/carts"), headers=token, json={}), 201)
    lines = api.storefront(shop, f"/carts/{cart['cart_id']}/lines")

    def bad(body: dict[str, Any]) -> str:
        response = api.http.post(lines, headers=token, json=body)
        assert response.status_code == 422, response.text
        return ",".join(sorted(e["field"] for e in response.json()["errors"]))

    assert bad({"sku": "NOPE", "quantity": 1}) == "sku"
    assert bad({"sku": "FLY", "quantity": 0}) == "quantity"
    assert bad({"sku": "FLY", "quantity": 10**9}) == "quantity"
    assert bad({"sku": "FLY", "quantity": 10}) == "quantity", "below the product's minimum"
    assert bad({"sku": "BRO", "quantity": 10, "production_option": "express"}) == (
        "production_option"
    )
    assert bad({"sku": "FLY", "quantity": 100, "price": "0.01"}) == "price", "prices never come in"
    shipping = api.http.put(
        api.storefront(shop, f"/carts/{cart['cart_id']}/shipping"),
        headers=token,
        json={"shipping_option": "teleport"},
    )
    assert shipping.status_code == 422
    assert [e["field"] for e in shipping.json()["errors"]] == ["shipping_option"]

    for path, headers in (
        (api.storefront(shop, f"/carts/{cart['cart_id']}"), intruder),
        (api.storefront(shop, f"/carts/{cart['cart_id']}"), {}),
        (api.storefront(other_shop, f"/carts/{cart['cart_id']}"), {}),
    ):
        response = api.http.get(path, headers=headers)
        assert response.status_code == 404, (path, response.text)

    # A visitor's cart becomes the customer's once they use it logged in.
    visitor_cart = ok(
        api.http.post(
            api.storefront(shop, "/carts"), json={"items": [{"sku": "FLY", "quantity": 500}]}
        ),
        201,
    )
    visitor_url = api.storefront(shop, f"/carts/{visitor_cart['cart_id']}")
    assert visitor_cart["customer_id"] is None
    taken = ok(
        api.http.post(f"{visitor_url}/lines", headers=token, json={"sku": "BRO", "quantity": 20})
    )
    assert taken["customer_id"] is not None
    assert api.http.get(visitor_url).status_code == 404, "no longer a visitor's cart"
