"""The customer's invoices and their PDFs through the storefront, with real customer sessions on
PostgreSQL and fake billing and notifier: commands carry the customer, PDFs download with their
name, a PDF being rendered answers 503 with Retry-After, nobody else's invoice is shown (A8, B4)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.billing import GetInvoice, ListInvoices
from contracts.notifier import GetInvoiceDocument
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from order_support import PDF, a_document, an_invoice, invoice_page, refusal
from price_support import FakeServices, log_in, open_shop, serving

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_storefront_invoices_"


@pytest.fixture
def http(client: httpx.AsyncClient) -> httpx.AsyncClient:
    return client


@pytest.fixture
def sessions(app_runtime: tuple[Any, ServiceRuntime]) -> async_sessionmaker[AsyncSession]:
    return app_runtime[1].sessions


@pytest.fixture
def services(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    fake = FakeServices()
    with serving(app_runtime[0], fake):
        yield fake


def url(shop_id: UUID, path: str) -> str:
    return f"/storefront/v1/shops/{shop_id}{path}"


async def test_the_customer_lists_and_reads_their_invoices(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    token = await log_in(sessions, shop, customer)
    invoice = an_invoice(customer_id=customer)
    services.on(ListInvoices, lambda c: invoice_page(invoice))
    services.on(GetInvoice, lambda c: invoice)

    listed = await http.get(
        url(shop, "/me/invoices"), params={"status": "unpaid", "size": 5}, headers=token
    )
    one = await http.get(url(shop, f"/me/invoices/{invoice.invoice_id}"), headers=token)

    assert listed.status_code == 200, listed.text
    assert [(i["invoice_number"], i["status"]) for i in listed.json()["items"]] == [
        ("2026-000123", "unpaid")
    ]
    assert one.status_code == 200, one.text
    assert one.json()["gross_total"] == "120.00"
    assert one.json()["lines"][0]["unit_net"] == "0.2000"
    listing = services.sent(ListInvoices)
    assert (listing.shop_id, listing.customer_id, listing.status, listing.page, listing.size) == (
        shop,
        customer,
        "unpaid",
        1,
        5,
    )
    reading = services.sent(GetInvoice)
    assert (reading.invoice_id, reading.customer_id) == (invoice.invoice_id, customer)
    bad_status = await http.get(url(shop, "/me/invoices"), params={"status": "x"}, headers=token)
    assert bad_status.status_code == 422
    assert [e["field"] for e in bad_status.json()["errors"]] == ["status"]


async def test_the_customer_downloads_the_pdf_with_its_name(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    token = await log_in(sessions, shop, customer)
    invoice_id = uuid4()
    services.on(GetInvoice, lambda c: an_invoice(invoice_id=c.invoice_id, customer_id=customer))
    services.on(GetInvoiceDocument, lambda c: a_document(c.invoice_id))

    response = await http.get(url(shop, f"/me/invoices/{invoice_id}/pdf"), headers=token)

    assert response.status_code == 200, response.text
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert (
        response.headers["content-disposition"] == 'attachment; filename="invoice_2026-000123.pdf"'
    )
    assert response.headers["cache-control"] == "private, no-store"
    asked = services.sent(GetInvoiceDocument)
    assert (asked.shop_id, asked.invoice_id, asked.customer_id) == (shop, invoice_id, customer)
    checked = services.sent(GetInvoice)
    assert (checked.invoice_id, checked.customer_id) == (invoice_id, customer), (
        "billing confirms the invoice is the customer's before the notifier is asked"
    )


async def test_a_pdf_being_rendered_answers_503_with_retry_after(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    customer = uuid4()
    token = await log_in(sessions, shop, customer)
    services.on(GetInvoice, lambda c: an_invoice(invoice_id=c.invoice_id, customer_id=customer))
    services.on(
        GetInvoiceDocument,
        refusal("invoice_document_pending", 503, detail="Being rendered.", retry_after=3),
    )
    response = await http.get(url(shop, f"/me/invoices/{uuid4()}/pdf"), headers=token)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/invoice_document_pending"


async def test_another_customers_invoice_is_not_found(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, _ = await open_shop(sessions)
    token = await log_in(sessions, shop, uuid4())
    someone_elses = an_invoice(customer_id=uuid4())
    path = f"/me/invoices/{someone_elses.invoice_id}"

    services.on(GetInvoice, refusal("invoice_not_found", 404))
    services.on(GetInvoiceDocument, refusal("invoice_not_found", 404))
    by_billing = await http.get(url(shop, path), headers=token)
    by_notifier = await http.get(url(shop, f"{path}/pdf"), headers=token)
    services.on(GetInvoice, lambda c: someone_elses)
    services.on(ListInvoices, lambda c: invoice_page(someone_elses))
    by_mistake = await http.get(url(shop, path), headers=token)
    pdf_by_mistake = await http.get(url(shop, f"{path}/pdf"), headers=token)
    listed = await http.get(url(shop, "/me/invoices"), headers=token)

    for response in (by_billing, by_notifier, by_mistake, pdf_by_mistake):
        assert response.status_code == 404, response.text
        assert response.json()["type"] == "/problems/invoice_not_found"
        assert "Ada" not in response.text
    assert listed.json()["items"] == []
