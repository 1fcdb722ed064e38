"""Partner invoices, PDFs, payments and credit notes with real partner tokens on PostgreSQL and
fake billing and notifier: the commands, the PDF download, validation and refusals (B4)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.billing import GetInvoice, IssueCreditNote, ListInvoices, MarkInvoicePaid
from contracts.notifier import GetInvoiceDocument
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from order_support import PDF, a_document, an_invoice, invoice_page, refusal
from price_support import FakeServices, open_shop, serving

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_partner_invoices_"

INVOICE = an_invoice(customer_id=uuid4())
CREDIT_NOTE = an_invoice(
    invoice_number="2026-000124",
    kind="credit_note",
    credited_invoice_number="2026-000123",
    reason="Misprint",
    status="paid",
)


@pytest.fixture
def http(client: httpx.AsyncClient) -> httpx.AsyncClient:
    return client


@pytest.fixture
def sessions(app_runtime: tuple[Any, ServiceRuntime]) -> async_sessionmaker[AsyncSession]:
    return app_runtime[1].sessions


@pytest.fixture
def services(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    fake = FakeServices()
    fake.on(ListInvoices, lambda c: invoice_page(INVOICE, CREDIT_NOTE))
    fake.on(GetInvoice, lambda c: INVOICE)
    fake.on(
        MarkInvoicePaid,
        lambda c: INVOICE.model_copy(update={"status": "paid", "paid_on": c.paid_on}),
    )
    fake.on(IssueCreditNote, lambda c: CREDIT_NOTE)
    fake.on(GetInvoiceDocument, lambda c: a_document(c.invoice_id))
    with serving(app_runtime[0], fake):
        yield fake


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return sorted(e["field"] for e in response.json()["errors"])


async def test_the_partner_lists_and_reads_invoices(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    customer = uuid4()
    listed = await http.get(
        "/partner/v1/invoices",
        params={"status": "overdue", "customer_id": str(customer), "page": 2, "size": 50},
        headers=partner,
    )
    one = await http.get(f"/partner/v1/invoices/{INVOICE.invoice_id}", headers=partner)

    assert listed.status_code == 200, listed.text
    assert [i["kind"] for i in listed.json()["items"]] == ["invoice", "credit_note"]
    listing = services.sent(ListInvoices)
    assert (listing.shop_id, listing.customer_id, listing.status, listing.page, listing.size) == (
        shop,
        customer,
        "overdue",
        2,
        50,
    )
    assert one.status_code == 200, one.text
    assert one.json()["invoice_number"] == "2026-000123"
    reading = services.sent(GetInvoice)
    assert (reading.shop_id, reading.invoice_id, reading.customer_id) == (
        shop,
        INVOICE.invoice_id,
        None,
    )
    bad = await http.get("/partner/v1/invoices", params={"status": "open"}, headers=partner)
    assert fields_of(bad) == ["status"]


async def test_the_partner_downloads_the_pdf_under_a_safe_name(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    response = await http.get(f"/partner/v1/invoices/{INVOICE.invoice_id}/pdf", headers=partner)
    assert response.status_code == 200, response.text
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="invoice_2026-000123.pdf"' in response.headers["content-disposition"]
    asked = services.sent(GetInvoiceDocument)
    assert (asked.shop_id, asked.invoice_id, asked.customer_id) == (
        shop,
        INVOICE.invoice_id,
        None,
    )

    services.on(
        GetInvoiceDocument, lambda c: a_document(c.invoice_id, filename='a"b\r\nX-Evil: 1/../é')
    )
    odd = await http.get(f"/partner/v1/invoices/{INVOICE.invoice_id}/pdf", headers=partner)
    assert odd.headers["content-disposition"] == 'attachment; filename="a_b_X-Evil_1.pdf"'
    assert "x-evil" not in odd.headers

    services.on(
        GetInvoiceDocument,
        refusal("invoice_document_pending", 503, detail="Being rendered.", retry_after=2),
    )
    pending = await http.get(f"/partner/v1/invoices/{INVOICE.invoice_id}/pdf", headers=partner)
    assert pending.status_code == 503
    assert pending.headers["Retry-After"] == "2"


async def test_the_partner_marks_an_invoice_paid(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    path = f"/partner/v1/invoices/{INVOICE.invoice_id}/paid"
    response = await http.post(path, json={"paid_on": "2026-04-30"}, headers=partner)

    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["paid_on"]) == ("paid", "2026-04-30")
    command = services.sent(MarkInvoicePaid)
    assert (command.shop_id, command.invoice_id, command.paid_on) == (
        shop,
        INVOICE.invoice_id,
        date(2026, 4, 30),
    )
    for bad, fields in (
        ({}, ["paid_on"]),
        ({"paid_on": "30.04.2026"}, ["paid_on"]),
        ({"paid_on": "2026-04-30", "amount": "1"}, ["amount"]),
    ):
        assert fields_of(await http.post(path, json=bad, headers=partner)) == fields

    services.on(MarkInvoicePaid, refusal("invoice_credited", 409, detail="It was credited."))
    credited = await http.post(path, json={"paid_on": "2026-04-30"}, headers=partner)
    assert credited.status_code == 409
    assert credited.json()["type"] == "/problems/invoice_credited"


async def test_a_credit_note_corrects_an_invoice(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, partner = await open_shop(sessions)
    path = f"/partner/v1/invoices/{INVOICE.invoice_id}/credit-notes"
    response = await http.post(path, json={"reason": " Misprint "}, headers=partner)

    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/partner/v1/invoices/{CREDIT_NOTE.invoice_id}"
    assert (response.json()["kind"], response.json()["credited_invoice_number"]) == (
        "credit_note",
        "2026-000123",
    )
    command = services.sent(IssueCreditNote)
    assert (command.shop_id, command.invoice_id, command.reason) == (
        shop,
        INVOICE.invoice_id,
        "Misprint",
    )
    for bad in ({}, {"reason": "   "}, {"reason": "x" * 1001}):
        assert fields_of(await http.post(path, json=bad, headers=partner)) == ["reason"]


async def test_invoice_routes_need_a_partner_token_and_stay_in_its_shop(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    invoice = INVOICE.invoice_id
    requests: list[tuple[str, str, Any]] = [
        ("GET", "/partner/v1/invoices", None),
        ("GET", f"/partner/v1/invoices/{invoice}", None),
        ("GET", f"/partner/v1/invoices/{invoice}/pdf", None),
        ("POST", f"/partner/v1/invoices/{invoice}/paid", {"paid_on": "2026-04-30"}),
        ("POST", f"/partner/v1/invoices/{invoice}/credit-notes", {"reason": "x"}),
    ]
    for headers in ({}, {"Authorization": "Bearer pt_made-up"}):
        for method, path, body in requests:
            response = await http.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (path, response.text)
    assert services.calls == []

    _, partner = await open_shop(sessions)
    services.on(GetInvoice, refusal("invoice_not_found", 404))
    services.on(GetInvoiceDocument, refusal("invoice_not_found", 404))
    for path in (f"/partner/v1/invoices/{invoice}", f"/partner/v1/invoices/{invoice}/pdf"):
        response = await http.get(path, headers=partner)
        assert response.status_code == 404
        assert response.json()["type"] == "/problems/invoice_not_found"
