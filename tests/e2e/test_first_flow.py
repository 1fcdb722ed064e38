"""The first flow across all five services as real processes, over HTTP, broker and SMTP."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from devtools.api_client import Gateway, code_in, eventually, to
from devtools.mailsink import MailSink
from devtools.stack import LocalStack

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database]


@pytest.fixture
def gateway(stack: LocalStack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.config.url("gateway"), timeout=15) as client:
        yield client


def open_shop(gateway: httpx.Client, brand: str, **extra: str) -> dict[str, str]:
    shop = Gateway(gateway).open_shop(brand, **extra)
    return {"shop_id": shop.shop_id, "partner_token": shop.partner_token}


def register(
    gateway: httpx.Client, shop_id: str, headers: dict[str, str] | None = None, **fields: str
) -> httpx.Response:
    """Register with a valid address, waiting out the moment before the shop reaches customers."""
    return Gateway(gateway).register(shop_id, headers=headers, **fields)


def test_operator_opens_a_shop_and_a_customer_registers_verifies_and_is_listed(
    gateway: httpx.Client, mail_sink: MailSink
) -> None:
    refused = gateway.post("/ops/v1/shops", json={"brand_name": "X", "sender_email": "x@x.example"})
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"

    shop = open_shop(gateway, "Atelier <Lumière> & Co", default_language="fr")
    partner = {"Authorization": f"Bearer {shop['partner_token']}"}
    shop_id = shop["shop_id"]

    ada = register(
        gateway,
        shop_id,
        email="Ada@Example.com",
        first_name="Ada",
        last_name="Lovelace",
        language="fr",
    )
    assert ada.status_code == 201, ada.text
    assert ada.json()["customer_number"] == 1
    assert ada.json()["verification_required"] is True

    bad = register(
        gateway, shop_id, email="not-an-email", first_name="", last_name="X", password="short"
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"email", "first_name", "password"}
    unknown_field = register(
        gateway, shop_id, email="g@example.com", first_name="G", last_name="H", gender="x"
    )
    assert unknown_field.status_code == 422
    assert unknown_field.json()["errors"][0]["field"] == "gender"
    taken = register(gateway, shop_id, email="ada@example.com", first_name="A", last_name="L")
    assert taken.status_code == 409

    grace = register(
        gateway, shop_id, email="grace@example.com", first_name="Grace", last_name="Hopper"
    )
    assert grace.json()["customer_number"] == 2, "refused registrations must not use up a number"

    email = mail_sink.wait_for_blocking(to("ada@example.com"), timeout=20)
    assert "Atelier <Lumière> & Co" in str(email["From"])
    html = email.get_body(("html",))
    assert html is not None
    assert "Atelier &lt;Lumière&gt; &amp; Co" in html.get_content()
    assert "clientele" not in email.as_string().lower()
    code = code_in(email)

    wrong = "000000" if code != "000000" else "111111"
    refused_code = gateway.post(
        f"/storefront/v1/shops/{shop_id}/email-verification",
        json={"email": "ada@example.com", "code": wrong},
    )
    assert refused_code.status_code == 422
    assert refused_code.json()["errors"][0]["field"] == "code"
    verified = gateway.post(
        f"/storefront/v1/shops/{shop_id}/email-verification",
        json={"email": "ada@example.com", "code": code},
    )
    assert verified.status_code == 200, verified.text

    def listed() -> list[dict[str, Any]]:
        page = gateway.get("/partner/v1/customers", headers=partner)
        assert page.status_code == 200
        items = page.json()["items"]
        assert [(c["customer_number"], c["last_name"]) for c in items] == [
            (1, "Lovelace"),
            (2, "Hopper"),
        ]
        assert items[0]["email_verified"] is True
        return list(items)

    eventually(listed)

    other = open_shop(gateway, "Other Shop")
    other_page = gateway.get(
        "/partner/v1/customers", headers={"Authorization": f"Bearer {other['partner_token']}"}
    )
    assert other_page.json()["items"] == []
    assert (
        gateway.get(
            "/partner/v1/customers", headers={"Authorization": "Bearer pt_nope"}
        ).status_code
        == 401
    )
    assert gateway.get("/partner/v1/customers?size=30", headers=partner).status_code == 422
    unknown_shop = register(
        gateway,
        "00000000-0000-0000-0000-000000000000",
        email="z@example.com",
        first_name="Z",
        last_name="Z",
    )
    assert unknown_shop.status_code == 404


def test_customer_numbers_stay_sequential_under_concurrent_registrations(
    gateway: httpx.Client,
) -> None:
    shop = open_shop(gateway, "Busy Shop")
    assert (
        register(
            gateway, shop["shop_id"], email="first@example.com", first_name="F", last_name="F"
        ).status_code
        == 201
    )
    with httpx.Client(base_url=str(gateway.base_url), timeout=30) as client:
        import concurrent.futures

        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            responses = list(
                pool.map(
                    lambda n: register(
                        client,
                        shop["shop_id"],
                        email=f"c{n}@example.com",
                        first_name="C",
                        last_name=str(n),
                    ),
                    range(20),
                )
            )
    assert all(r.status_code == 201 for r in responses), [
        r.text for r in responses if r.status_code != 201
    ]
    assert sorted(r.json()["customer_number"] for r in responses) == list(range(2, 22))


def test_an_email_waiting_for_a_killed_notifier_is_sent_once_after_restart(
    gateway: httpx.Client, stack: LocalStack, mail_sink: MailSink
) -> None:
    shop = open_shop(gateway, "Crash Shop")
    register(gateway, shop["shop_id"], email="warmup@example.com", first_name="W", last_name="U")
    mail_sink.wait_for_blocking(to("warmup@example.com"), timeout=20)
    stack.kill("notifier")
    try:
        response = register(
            gateway, shop["shop_id"], email="lin@example.com", first_name="Lin", last_name="Crash"
        )
        assert response.status_code == 201
        time.sleep(1)
        assert mail_sink.matching(to("lin@example.com")) == []
    finally:
        stack.start("notifier")
    mail_sink.wait_for_blocking(to("lin@example.com"), timeout=30)
    time.sleep(1)
    assert len(mail_sink.matching(to("lin@example.com"))) == 1


def test_the_correlation_id_of_a_request_is_in_every_service_log_it_touched(
    gateway: httpx.Client, stack: LocalStack, mail_sink: MailSink
) -> None:
    shop = open_shop(gateway, "Traced Shop")
    correlation = str(uuid.uuid4())
    response = register(
        gateway,
        shop["shop_id"],
        headers={"X-Correlation-ID": correlation},
        email="traced@example.com",
        first_name="T",
        last_name="R",
    )
    assert response.status_code == 201
    assert response.headers["X-Correlation-ID"] == correlation
    mail_sink.wait_for_blocking(to("traced@example.com"), timeout=20)

    def logged_by(service: str) -> list[dict[str, Any]]:
        lines = (stack.config.log_dir / f"{service}.log").read_text().splitlines()
        records = [json.loads(line) for line in lines if line.startswith("{")]
        found = [r for r in records if r.get("correlation_id") == correlation]
        assert found, f"{service} logged nothing with correlation id {correlation}"
        return found

    for service in ("customers", "notifier", "gateway"):
        records = eventually(lambda service=service: logged_by(service))
        assert all(r["service"] == service for r in records)
