"""Orders, invoices and credit end to end (B2-B7, P7, A8, A10) over HTTP, all five services
on the real broker and database, every email read from the SMTP sink."""

from __future__ import annotations

import csv
import io
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from devtools.api_client import Gateway, eventually, to
from devtools.mailsink import MailSink, body

sys.path.insert(0, str(Path(__file__).parent))
from order_journeys import (
    ADDRESS,
    cart,
    customer,
    ok,
    overview_shows,
    pays_by_invoice,
    place,
    selling_shop,
    ship,
    step,
    unique_email,
)

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database]


def mentions(address: str, text: str):
    return lambda m: to(address)(m) and text in body(m)


def test_a_customer_order_with_a_voucher_goes_from_cart_to_invoice(
    api: Gateway, mail_sink: MailSink
) -> None:
    partner = f"owner.{uuid.uuid4().hex[:6]}@atelier.example"
    shop = selling_shop(api, "Atelier Lumière", [partner])
    ok(
        api.http.post(
            "/partner/v1/vouchers",
            headers=shop.partner,
            json={"code": "THANKS5", "kind": "fixed", "value": "5.00"},
        ),
        201,
    )
    customer_id, email, token = customer(api, shop, "ada")
    basket = cart(api, shop, token, [{"sku": "FLY", "quantity": 1000}], voucher="THANKS5")
    assert basket["pricing"]["voucher"]["applied"] is True
    gross = basket["pricing"]["gross_total"]

    key = uuid.uuid4().hex
    placed = place(api, shop, token, {"cart_id": basket["cart_id"], "payment_method": "card"}, key)
    order = ok(placed, 201)
    repeat = place(api, shop, token, {"cart_id": basket["cart_id"], "payment_method": "card"}, key)
    assert repeat.status_code in (200, 201), repeat.text
    assert repeat.json()["order_id"] == order["order_id"], "the same key gives the same order"
    assert order["status"] == "placed"
    assert order["payment_status"] == "awaiting_payment"
    assert order["pricing"]["gross_total"] == gross
    assert "provider" not in order, "customers never see the provider's side"
    number = str(order["order_number"])

    # Emails: the confirmation, its partner copy, the separate order notice to the partner.
    confirmation = mail_sink.wait_for_blocking(mentions(email, number), timeout=20)
    assert "Atelier Lumière" in body(confirmation, "html")
    partner_mails = eventually(
        lambda: _at_least(mail_sink.matching(mentions(partner, number)), 2), timeout=20
    )
    assert len(partner_mails) >= 2, "a copy of the confirmation and the order notice"

    # The voucher was redeemed once: a second order cannot use it (single use).
    second = cart(api, shop, token, [{"sku": "FLY", "quantity": 500}])
    second_url = api.storefront(shop, f"/carts/{second['cart_id']}/voucher")
    refused = api.http.put(second_url, headers=token, json={"code": "THANKS5"})
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"].endswith("voucher_used_up")

    # Prepayment: the provider's steps wait for the payment.
    order_id = order["order_id"]
    early = step(api, shop, order_id, "data_received")
    assert early.status_code == 409, early.text
    paid = api.http.post(
        f"/partner/v1/orders/{order_id}/payments",
        headers={**shop.partner, "Idempotency-Key": uuid.uuid4().hex},
        json={"amount": gross, "reference": "PSP-123"},
    )
    assert ok(paid)["payment_status"] == "paid"

    shipped = ship(api, shop, order_id, "TRACK-42")
    assert shipped["status"] == "shipped"
    assert shipped["provider"]["tracking_number"] == "TRACK-42"
    assert shipped["provider"]["provider_invoice_id"]
    assert Decimal(shipped["provider"]["wholesale_net"]) == Decimal("21.00")
    invoice_number = shipped["invoice_number"]
    assert invoice_number.startswith(f"{order['placed_at'][:4]}-")

    # Status emails reached the customer; the invoice email carries the PDF.
    shipped_mail = mail_sink.wait_for_blocking(mentions(email, "TRACK-42"), timeout=20)
    assert "Atelier Lumière" in body(shipped_mail, "html")
    partner_copy = mail_sink.wait_for_blocking(mentions(partner, "TRACK-42"), timeout=20)
    assert partner_copy["To"] != shipped_mail["To"], "the status change's partner copy"
    invoice_mail = mail_sink.wait_for_blocking(
        lambda m: to(email)(m) and any(p.get_content_type() == "application/pdf" for p in m.walk()),
        timeout=30,
    )
    attachment = next(p for p in invoice_mail.walk() if p.get_content_type() == "application/pdf")
    attached_text = _pdf_text(attachment.get_payload(decode=True))
    assert invoice_number in attached_text
    mail_sink.wait_for_blocking(
        lambda m: (
            to(partner)(m) and any(p.get_content_type() == "application/pdf" for p in m.walk())
        ),
        timeout=30,
    )

    # A8: the customer sees their order and invoice, and downloads the PDF.
    mine = ok(api.http.get(api.storefront(shop, "/me/orders"), headers=token))
    assert [o["order_id"] for o in mine["items"]] == [order_id]
    invoices = ok(api.http.get(api.storefront(shop, "/me/invoices"), headers=token))["items"]
    assert [i["invoice_number"] for i in invoices] == [invoice_number]
    invoice_id = invoices[0]["invoice_id"]
    pdf = api.when_ready(
        "GET", api.storefront(shop, f"/me/invoices/{invoice_id}/pdf"), headers=token
    )
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Atelier Lumière" in text
    assert invoice_number in text
    assert "THANKS5" in text, "the voucher is a discount line"
    assert "clientele" not in text.lower(), "the provider's brand never shows"
    partner_pdf = api.http.get(f"/partner/v1/invoices/{invoice_id}/pdf", headers=shop.partner)
    assert partner_pdf.status_code == 200

    # Another customer sees none of it.
    _, _, stranger = customer(api, shop, "eve")
    assert (
        api.http.get(api.storefront(shop, f"/me/orders/{order_id}"), headers=stranger).status_code
        == 404
    )
    assert (
        api.http.get(
            api.storefront(shop, f"/me/invoices/{invoice_id}/pdf"), headers=stranger
        ).status_code
        == 404
    )

    # The overview: one order, its net revenue, nothing unpaid (prepaid).
    overview_shows(
        api,
        shop,
        customer_id,
        orders=1,
        order_revenue_net=order["pricing"]["net_total"],
        unpaid=0,
    )


def test_a_guest_orders_without_an_account(api: Gateway, mail_sink: MailSink) -> None:
    partner = f"owner.{uuid.uuid4().hex[:6]}@guest.example"
    shop = selling_shop(api, "Guest Prints", [partner])
    guest_email = unique_email("guest")
    basket = cart(api, shop, None, [{"sku": "POS", "quantity": 2}])

    missing = place(api, shop, None, {"cart_id": basket["cart_id"], "payment_method": "card"})
    assert missing.status_code == 422, missing.text
    body_guest = {
        "cart_id": basket["cart_id"],
        "payment_method": "bank_transfer",
        "guest": {"email": guest_email, "first_name": "Grace", "last_name": "Hopper"},
        "billing_address": ADDRESS,
    }
    invoice_refused = place(api, shop, None, {**body_guest, "payment_method": "invoice"})
    assert invoice_refused.status_code == 422, invoice_refused.text
    order = ok(place(api, shop, None, body_guest), 201)
    assert order["guest"] is True
    assert order["customer_id"] is None
    assert order["shipping_address"] == order["billing_address"]
    mail = mail_sink.wait_for_blocking(
        mentions(guest_email, str(order["order_number"])), timeout=20
    )
    assert "Guest Prints" in body(mail, "html")
    assert api.customers(shop)["total"] == 0, "a guest gets no account"


def test_invoice_payment_stays_within_the_credit_limit(api: Gateway) -> None:
    shop = selling_shop(api, "Credit Works", [f"owner.{uuid.uuid4().hex[:6]}@credit.example"])
    customer_id, _, token = customer(api, shop, "bob")
    no_terms = cart(api, shop, token, [{"sku": "POS", "quantity": 10}])
    not_allowed = place(
        api, shop, token, {"cart_id": no_terms["cart_id"], "payment_method": "invoice"}
    )
    assert not_allowed.status_code == 422, not_allowed.text

    pays_by_invoice(api, shop, customer_id, "100.00")

    def options() -> dict[str, bool]:
        got = ok(
            api.http.get(
                api.storefront(shop, "/payment-options"),
                headers=token,
                params={"cart_id": no_terms["cart_id"]},
            )
        )
        available = {o["method"]: o["available"] for o in got["options"]}
        assert available["invoice"] is True, got
        return available

    eventually(options, timeout=20)
    first = ok(
        place(api, shop, token, {"cart_id": no_terms["cart_id"], "payment_method": "invoice"}), 201
    )
    assert first["payment_status"] == "on_invoice"
    assert first["pricing"]["gross_total"] == "55.08"  # (40.00 + 5.90 shipping) + 20 % VAT

    # 55.08 outstanding; another 55.08 would make 110.16 > 100.00.
    more = cart(api, shop, token, [{"sku": "POS", "quantity": 10}])
    refused = place(api, shop, token, {"cart_id": more["cart_id"], "payment_method": "invoice"})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"].endswith("credit_limit_exceeded")
    assert "110.16" in problem["detail"], "the outstanding amount with this order"
    assert "100.00" in problem["detail"], "the credit limit"
    assert [f["field"] for f in problem["errors"]] == ["payment_method"]
    assert ok(place(api, shop, token, {"cart_id": more["cart_id"], "payment_method": "card"}), 201)

    # Invoiced at shipment: one unpaid invoice in the overview and the outstanding list.
    ship(api, shop, first["order_id"], "TRACK-7")
    overview_shows(api, shop, customer_id, orders=2, unpaid=1)
    outstanding = ok(api.http.get("/partner/v1/outstanding", headers=shop.partner))
    assert [c["customer_id"] for c in outstanding["customers"]] == [customer_id]
    assert outstanding["customers"][0]["unpaid_total"] == "55.08"
    assert outstanding["customers"][0]["over_limit"] is False


def test_a_cancellation_gives_the_voucher_back(api: Gateway, mail_sink: MailSink) -> None:
    shop = selling_shop(api, "Cancel Press", [f"owner.{uuid.uuid4().hex[:6]}@cancel.example"])
    created = ok(
        api.http.post(
            "/partner/v1/vouchers",
            headers=shop.partner,
            json={"code": "ONCEONLY", "kind": "percent", "value": "10"},
        ),
        201,
    )
    customer_id, email, token = customer(api, shop, "cleo")
    basket = cart(api, shop, token, [{"sku": "POS", "quantity": 5}], voucher="ONCEONLY")
    order = ok(
        place(api, shop, token, {"cart_id": basket["cart_id"], "payment_method": "card"}), 201
    )
    voucher_url = f"/partner/v1/vouchers/{created['voucher_id']}"
    assert ok(api.http.get(voucher_url, headers=shop.partner))["use_count"] == 1

    cancelled = ok(
        api.http.post(
            f"/partner/v1/orders/{order['order_id']}/cancel",
            headers=shop.partner,
            json={"reason": "customer called"},
        )
    )
    assert cancelled["status"] == "cancelled"
    eventually(
        lambda: _equal(ok(api.http.get(voucher_url, headers=shop.partner))["use_count"], 0),
        timeout=20,
    )
    too_late = step(api, shop, order["order_id"], "data_received")
    assert too_late.status_code == 409
    assert "cancelled" in too_late.json()["detail"]
    mail_sink.wait_for_blocking(mentions(email, str(order["order_number"])), timeout=20)
    overview_shows(api, shop, customer_id, orders=0, order_revenue_net="0.00")


def test_rejected_data_is_told_to_the_partner_only(api: Gateway, mail_sink: MailSink) -> None:
    partner = f"owner.{uuid.uuid4().hex[:6]}@reject.example"
    shop = selling_shop(api, "Reject Studio", [partner])
    customer_id, email, token = customer(api, shop, "dora")
    pays_by_invoice(api, shop, customer_id, "1000.00")
    basket = cart(api, shop, token, [{"sku": "POS", "quantity": 1}])
    order = eventually(
        lambda: ok(
            place(api, shop, token, {"cart_id": basket["cart_id"], "payment_method": "invoice"}),
            201,
        ),
        timeout=20,
    )
    order_id = order["order_id"]
    ok(step(api, shop, order_id, "data_received"))
    rejected = ok(step(api, shop, order_id, "data_rejected", note="Resolution too low: 72 dpi"))
    assert rejected["status"] == "data_rejected"
    mail_sink.wait_for_blocking(mentions(partner, "72 dpi"), timeout=20)
    mine = ok(api.http.get(api.storefront(shop, f"/me/orders/{order_id}"), headers=token))
    assert mine["status"] == "data_received", "the customer is never told"
    assert all(h["status"] != "data_rejected" for h in mine["history"])
    impossible = step(api, shop, order_id, "shipped", tracking_number="X")
    assert impossible.status_code == 409
    assert "data_rejected" in impossible.json()["detail"]
    # Nothing about the rejection ever reaches the customer.
    assert not [m for m in mail_sink.matching(to(email)) if "72 dpi" in body(m)]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _at_least(items: list, count: int) -> list:  # type: ignore[type-arg]
    assert len(items) >= count, items
    return items


def _equal(actual: object, expected: object) -> None:
    assert actual == expected, actual


def test_a_deleted_customers_orders_stay_for_the_accounts_under_a_pseudonym(
    api: Gateway,
) -> None:
    shop = selling_shop(api, "Keep Records", [f"owner.{uuid.uuid4().hex[:6]}@records.example"])
    customer_id, _, token = customer(api, shop, "erin")
    basket = cart(api, shop, token, [{"sku": "POS", "quantity": 3}])
    order = ok(
        place(api, shop, token, {"cart_id": basket["cart_id"], "payment_method": "card"}), 201
    )
    payment = {"amount": order["pricing"]["gross_total"], "reference": "PSP-9"}
    ok(
        api.http.post(
            f"/partner/v1/orders/{order['order_id']}/payments",
            headers={**shop.partner, "Idempotency-Key": uuid.uuid4().hex},
            json=payment,
        )
    )
    shipped = ship(api, shop, order["order_id"], "TRACK-9")
    overview_shows(api, shop, customer_id, orders=1)

    deleted = api.http.post(api.storefront(shop, "/me/deletion"), headers=token, json={})
    assert deleted.status_code == 204, deleted.text

    def pseudonymised() -> dict:  # type: ignore[type-arg]
        kept = ok(api.http.get(f"/partner/v1/orders/{order['order_id']}", headers=shop.partner))
        assert kept["customer_id"] is None, kept
        return kept

    kept = eventually(pseudonymised, timeout=20)
    assert kept["pseudonym_id"] is not None
    assert kept["email"] is None, "nothing links the record to the person any more"
    assert kept["pricing"]["net_total"] == order["pricing"]["net_total"]
    invoice = ok(
        api.http.get(f"/partner/v1/invoices/{shipped['invoice_id']}", headers=shop.partner)
    )
    assert invoice["customer_id"] is None
    assert invoice["invoice_number"] == shipped["invoice_number"], "an issued invoice never changes"
    eventually(lambda: _equal(api.customers(shop)["total"], 0), timeout=20)

    issue = invoice["issue_date"]
    export = api.http.get(
        "/partner/v1/revenue-export",
        headers=shop.partner,
        params={"year": int(issue[:4]), "month": int(issue[5:7]), "format": "csv"},
    )
    assert export.status_code == 200, export.text
    rows = list(csv.reader(io.StringIO(export.text)))[2:]
    assert [(r[5], r[7]) for r in rows] == [
        (shipped["invoice_number"], order["pricing"]["net_total"])
    ]
