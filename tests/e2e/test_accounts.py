"""Customer accounts end to end (A1-A9, P1, P3): HTTP in, events through every service, mail out."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from devtools.api_client import PARIS, Gateway, Shop, code_in, eventually, to, token_in
from devtools.mailsink import MailSink

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database]


def unique_email(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}@example.com"


def test_register_verify_login_and_read_own_profile(api: Gateway, mail_sink: MailSink) -> None:
    shop = api.open_shop("Papeterie Nord", default_language="fr")
    partner_copy = api.when_ready(
        "PUT",
        "/partner/v1/settings/partner-copies",
        headers=shop.partner,
        json={"addresses": ["owner@papeterie.example"], "kinds": ["registration"]},
    )
    assert partner_copy.status_code == 200, partner_copy.text
    email = unique_email("marie")

    bad = api.register(
        shop,
        email=email,
        first_name="Marie",
        last_name="Curie",
        phone="12",
        vat_number="FR00",
        address={"line1": "1 rue X", "city": "Paris", "country": "FR"},
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} >= {
        "phone",
        "vat_number",
        "address.postcode",
    }

    registered = api.register(
        shop,
        email=email,
        first_name="Marie",
        last_name="Curie",
        language="fr",
        newsletter=True,
        phone="06 12 34 56 78",
        company="Radium SARL",
        vat_number="FR 40 303 265 045",
        address=PARIS,
    )
    assert registered.status_code == 201, registered.text
    assert registered.json()["verification_required"] is True

    not_yet = api.login(shop, email)
    assert not_yet.status_code == 403
    assert not_yet.json()["type"].endswith("email_not_verified")

    code_mail = mail_sink.wait_for_blocking(to(email), timeout=20)
    verified = api.verify(shop, email, code_in(code_mail))
    assert verified.status_code == 200, verified.text

    token = api.customer_token(shop, email)
    me = api.http.get(api.storefront(shop, "/me"), headers=token)
    assert me.status_code == 200, me.text
    profile = me.json()
    assert profile["phone"] == "+33612345678"
    assert profile["vat_number"] == "FR40303265045"
    assert profile["newsletter"] is True
    assert "group" not in profile
    assert "group_id" not in profile

    changed = api.http.patch(
        api.storefront(shop, "/me"), headers=token, json={"company": None, "language": "de"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["company"] is None
    assert changed.json()["language"] == "de"

    def welcomed() -> None:
        mails = mail_sink.matching(to(email))
        assert len(mails) == 2, "the code, then the welcome"
        assert all("Papeterie Nord" in str(m["From"]) for m in mails)

    eventually(welcomed)
    copy = mail_sink.wait_for_blocking(to("owner@papeterie.example"), timeout=20)
    assert email in copy.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    def listed() -> None:
        rows = api.customers(shop, q="curie")["items"]
        assert [r["email"] for r in rows] == [email]
        assert rows[0]["company"] is None
        assert rows[0]["email_verified"] is True

    eventually(listed)


def test_partner_created_customer_is_invited_sets_a_password_and_logs_in(
    api: Gateway, mail_sink: MailSink
) -> None:
    shop = api.open_shop("Invite Press")
    email = unique_email("ines")
    created = api.create_customer(
        shop, email=email, first_name="Inès", last_name="Invitée", language="fr"
    )
    assert created.status_code == 201, created.text
    sheet = created.json()
    assert sheet["customer"]["customer_number"] == 1
    assert sheet["password_set"] is False

    assert api.login(shop, email, "anything at all").status_code == 401
    invitation = mail_sink.wait_for_blocking(to(email), timeout=20)
    accepted = api.http.post(
        api.storefront(shop, "/invitation/accept"),
        json={"token": token_in(invitation), "password": "a brand new passphrase"},
    )
    assert accepted.status_code == 200, accepted.text
    again = api.http.post(
        api.storefront(shop, "/invitation/accept"),
        json={"token": token_in(invitation), "password": "another passphrase"},
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "token"
    assert api.login(shop, email, "a brand new passphrase").status_code == 200


def test_an_account_is_shared_across_shops_and_its_profile_stays_the_customers(
    api: Gateway, mail_sink: MailSink
) -> None:
    shop_a = api.open_shop("Shop Alpha", verification_mode="none")
    shop_b = api.open_shop("Shop Beta", verification_mode="none")
    api.create_customer(shop_b, email=unique_email("first"), first_name="F", last_name="B")
    email = unique_email("sam")
    assert (
        api.register(shop_a, email=email, first_name="Sam", last_name="Shared").status_code == 201
    )
    eventually(lambda: assert_listed(api, shop_a, email))
    assert api.customers(shop_b, q=email)["items"] == [], "B must not see Sam before a login"

    login = api.login(shop_b, email)
    assert login.status_code == 200, login.text
    assert login.json()["created_in_shop"] is True
    assert login.json()["customer_number"] == 2
    row = eventually(lambda: assert_listed(api, shop_b, email))
    assert row["first_name"] == "Sam"

    refused = api.http.patch(
        f"/partner/v1/customers/{row['customer_id']}",
        headers=shop_b.partner,
        json={"first_name": "Samuel"},
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("profile_owned_by_customer")
    allowed = api.http.patch(
        f"/partner/v1/customers/{row['customer_id']}",
        headers=shop_b.partner,
        json={"tax_exempt": True},
    )
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["customer"]["tax_exempt"] is True
    assert allowed.json()["shared"] is True


def test_a_denied_customer_is_refused_and_loses_their_session(api: Gateway) -> None:
    shop = api.open_shop("Deny Shop", verification_mode="none")
    email = unique_email("dan")
    customer_id = api.register(shop, email=email, first_name="Dan", last_name="D").json()[
        "customer_id"
    ]
    token = api.customer_token(shop, email)
    assert api.http.get(api.storefront(shop, "/me"), headers=token).status_code == 200

    denied = api.http.post(f"/partner/v1/customers/{customer_id}/deny", headers=shop.partner)
    assert denied.status_code == 200, denied.text
    refused = api.login(shop, email)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("login_refused")
    assert api.http.get(api.storefront(shop, "/me"), headers=token).status_code == 401

    api.http.post(f"/partner/v1/customers/{customer_id}/allow", headers=shop.partner)
    assert api.login(shop, email).status_code == 200


def test_self_deletion_emails_the_merchant_the_comment_and_keeps_other_shops(
    api: Gateway, mail_sink: MailSink
) -> None:
    shop_a = api.open_shop("Leaving Shop", verification_mode="none")
    shop_b = api.open_shop("Staying Shop", verification_mode="none")
    merchant = f"merchant.{uuid.uuid4().hex[:6]}@leaving.example"
    api.when_ready(
        "PUT",
        "/partner/v1/settings/partner-copies",
        headers=shop_a.partner,
        json={"addresses": [merchant], "kinds": []},
    ).raise_for_status()
    email = unique_email("lea")
    api.register(shop_a, email=email, first_name="Léa", last_name="Partante")
    assert api.login(shop_b, email).status_code == 200
    token = api.customer_token(shop_a, email)

    deleted = api.http.post(
        api.storefront(shop_a, "/me/deletion"),
        headers=token,
        json={"comment": "Too many <b>emails</b>, sorry"},
    )
    assert deleted.status_code == 204, deleted.text
    notice = mail_sink.wait_for_blocking(to(merchant), timeout=20)
    text = notice.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Too many <b>emails</b>, sorry" in text
    html = notice.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "&lt;b&gt;emails&lt;/b&gt;" in html

    assert api.http.get(api.storefront(shop_a, "/me"), headers=token).status_code == 401
    eventually(lambda: assert_not_listed(api, shop_a, email))
    assert_listed(api, shop_b, email)
    assert api.login(shop_b, email).status_code == 200


def test_password_reset_link_works_once_and_failed_logins_lock_the_account(
    api: Gateway, mail_sink: MailSink
) -> None:
    shop = api.open_shop("Reset Shop", verification_mode="none")
    email = unique_email("rose")
    api.register(shop, email=email, first_name="Rose", last_name="R")
    for _ in range(4):
        assert api.login(shop, email, "wrong password!").status_code == 401
    locked = api.login(shop, email, "wrong password!")
    assert locked.status_code == 423, locked.text
    assert "locked" in locked.json()["detail"]
    assert int(locked.headers["Retry-After"]) > 0
    assert api.login(shop, email).status_code == 423, "the right password waits out the lock too"

    asked = api.http.post(api.storefront(shop, "/password-reset"), json={"email": email})
    assert asked.status_code == 202
    unknown = api.http.post(
        api.storefront(shop, "/password-reset"), json={"email": unique_email("nobody")}
    )
    assert unknown.status_code == 202
    assert unknown.json() == asked.json()
    link = mail_sink.wait_for_blocking(
        lambda m: to(email)(m) and "token=" in str(m.get_body(("plain",)).get_content()),  # type: ignore[union-attr]
        timeout=20,
    )
    reset = api.http.post(
        api.storefront(shop, "/password-reset/confirm"),
        json={"token": token_in(link), "new_password": "a fresh passphrase"},
    )
    assert reset.status_code == 200, reset.text
    assert api.login(shop, email, "a fresh passphrase").status_code == 200
    reused = api.http.post(
        api.storefront(shop, "/password-reset/confirm"),
        json={"token": token_in(link), "new_password": "yet another passphrase"},
    )
    assert reused.status_code == 422


def test_a_new_email_counts_only_after_its_code(api: Gateway, mail_sink: MailSink) -> None:
    shop = api.open_shop("Move Shop", verification_mode="none")
    old, new = unique_email("otto"), unique_email("otto.new")
    api.register(shop, email=old, first_name="Otto", last_name="Move")
    token = api.customer_token(shop, old)
    asked = api.http.post(
        api.storefront(shop, "/me/email-change"), headers=token, json={"new_email": new}
    )
    assert asked.status_code == 202, asked.text
    assert api.login(shop, new).status_code == 401, "not before the code is confirmed"
    code = code_in(mail_sink.wait_for_blocking(to(new), timeout=20))
    confirmed = api.http.post(
        api.storefront(shop, "/me/email-change/confirm"), headers=token, json={"code": code}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["email"] == new
    assert api.login(shop, new).status_code == 200
    assert api.login(shop, old).status_code == 401
    eventually(lambda: assert_listed(api, shop, new))


def assert_listed(api: Gateway, shop: Shop, email: str) -> dict[str, Any]:
    rows = api.customers(shop, q=email)["items"]
    assert [r["email"] for r in rows] == [email]
    return dict(rows[0])


def assert_not_listed(api: Gateway, shop: Shop, email: str) -> None:
    assert api.customers(shop, q=email)["items"] == []
