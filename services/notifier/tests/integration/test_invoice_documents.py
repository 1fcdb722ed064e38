"""InvoiceIssued on a real database and SMTP sink: the document stored, rendered by the worker
and mailed, downloads (B4, A8, N4)."""

import base64
import io
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pypdf
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts.notifier import ConfigureShopBrand, GetInvoiceDocument, ShopBrandSettings
from devtools.mailsink import MailSink, body
from notifier.adapters.invoice_documents import store_pending_document
from notifier.adapters.tables import invoice_documents, messages, partner_copy_settings
from service_runtime.database import UnitOfWork

sys.path.insert(0, str(Path(__file__).parents[1]))
from billing_event_samples import credit_note, invoice_issued, tax_exempt_invoice
from delivery_support import quick_delivery, quick_rendering

pytestmark = pytest.mark.database

Handle = Callable[..., Awaitable[None]]
Answer = Callable[..., Awaitable[dict[str, Any]]]
PARTNER = ["desk@papeterie.example", "owner@papeterie.example"]
BRAND = ShopBrandSettings(
    brand_name="Papeterie Nord",
    sender_name="Papeterie Nord",
    sender_email="factures@papeterie.example",
    primary_color="#7c2d12",
    accent_color="#0f766e",
    legal_notice="Papeterie Nord SAS, 4 rue du Port, 59000 Lille, RCS Lille 812 345 678",
)


def pdf_text(pdf: bytes) -> str:
    """The document's text with its spaces folded (Babel writes narrow no-break spaces)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


async def open_shop(handle: Handle, command: Answer, shop_opened: Any, kinds: list[str]) -> Any:
    shop = shop_opened(default_language="fr")
    await handle(shop)
    assert (await command(ConfigureShopBrand(shop_id=shop.shop_id, brand=BRAND)))["ok"]
    return shop


async def set_copies(engine: AsyncEngine, shop_id: UUID, kinds: list[str]) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(partner_copy_settings)
            .where(partner_copy_settings.c.shop_id == shop_id)
            .values(addresses=PARTNER, kinds=kinds)
        )


async def stored_pdf(engine: AsyncEngine, invoice_id: UUID) -> Any:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                select(invoice_documents).where(invoice_documents.c.invoice_id == invoice_id)
            )
        ).one()


async def rendered_pdf(engine: AsyncEngine, invoice_id: UUID) -> Any:
    """The document after one rendering pass (which finds it due)."""
    assert await quick_rendering(engine).render_due() == 1
    return await stored_pdf(engine, invoice_id)


async def queued(engine: AsyncEngine, shop_id: UUID) -> list[tuple[str, str, UUID | None]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(messages.c.kind, messages.c.recipient, messages.c.invoice_id).where(
                messages.c.shop_id == shop_id
            )
        )
        return sorted((row.kind, row.recipient, row.invoice_id) for row in rows)


async def test_the_invoice_is_stored_once_queued_then_rendered_by_one_pass(
    handle: Handle,
    command: Answer,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    shop_opened: Any,
) -> None:
    shop = await open_shop(handle, command, shop_opened, [])
    await set_copies(engine, shop.shop_id, ["invoice"])
    issued = invoice_issued(shop.shop_id, language="fr")
    invoice = issued.invoice
    again = issued.model_copy(update={"message_id": uuid4()})

    await handle(issued, issued, again)

    pending = await stored_pdf(engine, invoice.invoice_id)
    assert (pending.shop_id, pending.customer_id, pending.invoice_number) == (
        shop.shop_id,
        invoice.customer_id,
        "2026-000123",
    )
    assert (pending.kind, pending.filename) == ("invoice", "invoice_2026-000123.pdf")
    assert (pending.pdf, pending.rendered_at) == (None, None), "the handler renders nothing"
    assert pending.invoice == invoice.model_dump(mode="json"), "what the worker will render"
    assert await queued(engine, shop.shop_id) == sorted(
        [
            ("invoice", invoice.buyer.email or "", invoice.invoice_id),
            *[("invoice_copy", address, invoice.invoice_id) for address in PARTNER],
        ]
    ), "one customer email and one copy per partner address, all carrying the PDF"

    async with UnitOfWork(sessions) as uow:
        assert not await store_pending_document(uow.session, shop.shop_id, invoice), (
            "a replica that handled it too learns it was stored already (and mails nothing)"
        )

    rendering = quick_rendering(engine)
    assert await rendering.render_due() == 1
    assert await rendering.render_due() == 0, "a rendered document is done"
    document = await stored_pdf(engine, invoice.invoice_id)
    assert document.rendered_at is not None
    assert (document.invoice, document.render_attempts, document.render_error) == (None, 0, None)
    reader = pypdf.PdfReader(io.BytesIO(document.pdf))
    assert reader.metadata is not None
    assert (reader.metadata.title, reader.metadata.author) == ("2026-000123", "Papeterie Nord")
    assert "weasyprint" not in str(dict(reader.metadata)).lower()
    text = pdf_text(document.pdf)
    for expected in (
        "Papeterie Nord",
        "Papeterie Nord SAS, 4 rue du Port, 59000 Lille",
        "Facture 2026-000123",
        "Facturé à Ada Lovelace Analytical Engines Ltd 12 rue des Lilas 75011 Paris France",
        "N° de TVA FR12345678901",
        "Numéro de client 4711",
        "Échéance 27 décembre 2026",
        "Flyers A5, 5000 x",
        "0,045 €",
        "Voucher SPRING-10 20 % -10,00 €",
        "TVA 5,5 % sur 1 000,00 € 55,00 €",
        "TVA 20 % sur 242,50 € 48,50 €",
        "Total HT 1 242,50 €",
        "Total TTC à payer 1 346,00 €",
    ):
        assert expected in text, f"{expected!r} missing from the PDF"
    for forbidden in ("clientele", "weasyprint", "united print"):
        assert forbidden not in text.lower()


async def test_a_tax_exempt_invoice_shows_zero_percent_and_the_reason(
    handle: Handle, command: Answer, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, command, shop_opened, [])
    issued = invoice_issued(shop.shop_id, tax_exempt_invoice(language="de"))
    reason = issued.invoice.vat_exemption_reason

    await handle(issued)

    text = pdf_text((await rendered_pdf(engine, issued.invoice.invoice_id)).pdf)
    assert "USt. 0 % auf 1.242,50 € 0,00 €" in text
    assert f"USt. 0 %: {reason}" in text
    assert "Gesamtbetrag 1.242,50 €" in text
    assert "20 %" not in text


async def test_a_credit_note_names_the_invoice_it_corrects(
    handle: Handle, command: Answer, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, command, shop_opened, [])
    credit = credit_note(language="en")
    issued = invoice_issued(shop.shop_id, credit)

    await handle(issued)

    document = await rendered_pdf(engine, credit.invoice_id)
    assert (document.kind, document.filename) == ("credit_note", "credit_note_2026-000124.pdf")
    text = pdf_text(document.pdf)
    assert "Credit note 2026-000124" in text
    assert "This credit note corrects invoice 2026-000123." in text
    assert "Reason: Damaged in transit" in text
    assert "Total credited €1,346.00" in text
    assert "Due date" not in text


async def test_an_invoice_without_an_address_is_stored_but_mailed_to_nobody(
    handle: Handle, command: Answer, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, command, shop_opened, [])
    await set_copies(engine, shop.shop_id, ["invoice"])
    issued = invoice_issued(shop.shop_id)
    buyer = issued.invoice.buyer.model_copy(update={"email": None})
    issued = invoice_issued(shop.shop_id, buyer=buyer)

    await handle(issued)

    assert await queued(engine, shop.shop_id) == []
    assert (await rendered_pdf(engine, issued.invoice.invoice_id)).pdf.startswith(b"%PDF")


async def test_get_invoice_document_pending_then_the_pdf_for_its_customer_only(
    handle: Handle, command: Answer, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, command, shop_opened, [])
    other_shop = await open_shop(handle, command, shop_opened, [])
    issued = invoice_issued(shop.shop_id)
    invoice = issued.invoice

    def ask(shop_id: UUID, customer_id: UUID | None = None) -> Awaitable[dict[str, Any]]:
        return command(
            GetInvoiceDocument(
                shop_id=shop_id, invoice_id=invoice.invoice_id, customer_id=customer_id
            )
        )

    async def refusals() -> list[tuple[str, int, int | None]]:
        answers = [
            await ask(shop.shop_id, invoice.customer_id),
            await ask(shop.shop_id, uuid4()),
            await ask(other_shop.shop_id),
        ]
        assert not any(answer["ok"] for answer in answers)
        return [
            (a["error"]["code"], a["error"]["status"], a["error"]["retry_after"]) for a in answers
        ]

    pending = ("invoice_document_pending", 503, 1)
    assert (await refusals())[0] == pending, "not stored yet: its event is on its way"
    unknown_shop = await command(GetInvoiceDocument(shop_id=uuid4(), invoice_id=uuid4()))
    assert unknown_shop["error"]["code"] == "shop_not_ready"

    await handle(issued)

    not_found = ("invoice_not_found", 404, None)
    assert await refusals() == [pending, not_found, not_found], (
        "stored but not rendered: pending for its customer, unknown to anyone else"
    )

    await rendered_pdf(engine, invoice.invoice_id)

    for customer_id in (invoice.customer_id, None):  # the customer, then the partner
        answer = await ask(shop.shop_id, customer_id)
        assert answer["ok"], answer
        result = answer["result"]
        assert (result["invoice_number"], result["filename"], result["content_type"]) == (
            "2026-000123",
            "invoice_2026-000123.pdf",
            "application/pdf",
        )
        pdf = base64.b64decode(result["content_base64"])
        assert pdf == (await stored_pdf(engine, invoice.invoice_id)).pdf
    for refused in (await ask(shop.shop_id, uuid4()), await ask(other_shop.shop_id)):
        assert refused["ok"] is False
        assert (refused["error"]["code"], refused["error"]["status"]) == (
            "invoice_not_found",
            404,
        )


async def test_invoice_emails_wait_for_their_pdf_then_go_out_carrying_it(
    handle: Handle,
    command: Answer,
    engine: AsyncEngine,
    mail_sink: MailSink,
    shop_opened: Any,
    code_issued: Any,
) -> None:
    shop = await open_shop(handle, command, shop_opened, [])
    await set_copies(engine, shop.shop_id, ["invoice"])
    issued = invoice_issued(shop.shop_id, language="de")
    customer = issued.invoice.buyer.email
    code = code_issued(shop.shop_id)
    await handle(issued, code)
    delivery = quick_delivery(engine, mail_sink.port)

    assert await delivery.deliver_due() == 1, "only the code: the invoice emails are not due"
    await mail_sink.wait_for(lambda e: e["To"] == code.email)
    async with engine.connect() as conn:
        waiting = (
            await conn.execute(
                select(messages.c.status, messages.c.attempts, messages.c.last_error).where(
                    messages.c.source_message_id == issued.message_id
                )
            )
        ).all()
    assert waiting == [("queued", 0, None)] * 3, "waiting for the PDF is no attempt"
    assert len(mail_sink.messages()) == 1

    assert await quick_rendering(engine).render_due() == 1
    assert await delivery.deliver_due() == 3
    emails = [
        await mail_sink.wait_for(lambda e, a=address: e["To"] == a)
        for address in (customer, *PARTNER)
    ]
    assert await _all_sent(engine, shop.shop_id, 4)

    stored = (await stored_pdf(engine, issued.invoice.invoice_id)).pdf
    for email in emails:
        assert email.get_content_type() == "multipart/mixed"
        (attachment,) = list(email.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "invoice_2026-000123.pdf"
        assert attachment.get_content() == stored
        assert "Papeterie Nord" in body(email)
        assert "clientele" not in email.as_string().lower()
    assert emails[0]["Subject"] == "Ihre Rechnung 2026-000123 von Papeterie Nord"
    assert "Bitte überweisen Sie 1.346,00\xa0€ bis zum 27. Dezember 2026" in body(emails[0])
    assert emails[1]["Subject"] == "Copie : facture n° 2026-000123 de Papeterie Nord"
    assert customer is not None
    assert customer in body(emails[1]), "the copy says whose email it copies"
    assert len(mail_sink.messages()) == 4


async def _all_sent(engine: AsyncEngine, shop_id: UUID, expected: int) -> bool:
    async with engine.connect() as conn:
        sent = await conn.scalar(
            select(func.count()).where(messages.c.shop_id == shop_id, messages.c.status == "sent")
        )
    return sent == expected
