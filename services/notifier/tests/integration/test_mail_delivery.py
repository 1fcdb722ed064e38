"""The delivery worker against a real database and a real SMTP sink (N1, N5)."""

import sys
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.notifier import (
    ConfigurePartnerCopies,
    ConfigureShopBrand,
    PartnerCopySettings,
    ShopBrandSettings,
)
from devtools.mailsink import MailSink, body, free_port
from notifier.adapters.tables import messages

sys.path.insert(0, str(Path(__file__).parents[1]))
from delivery_support import quick_delivery, running

pytestmark = pytest.mark.database

Handle = Callable[..., Awaitable[None]]
Eventually = Callable[..., Awaitable[Any]]
Answer = Callable[..., Awaitable[dict[str, Any]]]


async def message_row(engine: AsyncEngine, source_message_id: UUID) -> Any:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                select(messages).where(messages.c.source_message_id == source_message_id)
            )
        ).one()


def to(address: str) -> Callable[[EmailMessage], bool]:
    return lambda email: email["To"] == address


async def test_sends_one_branded_email_with_the_code(
    engine: AsyncEngine,
    mail_sink: MailSink,
    handle: Handle,
    eventually: Eventually,
    shop_opened: Any,
    code_issued: Any,
) -> None:
    shop = shop_opened(brand_name="Atelier <Lumière> & Fils")
    issued = code_issued(shop.shop_id, language="fr")
    await handle(shop, issued)

    async with running(quick_delivery(engine, mail_sink.port)):
        email = await mail_sink.wait_for(to(issued.email))
        row = await eventually(
            lambda: _row_if(engine, issued.message_id, lambda r: r.status == "sent")
        )

    assert email["From"].addresses[0].display_name == "Atelier <Lumière> & Fils"
    assert email["From"].addresses[0].addr_spec == shop.sender_email
    assert email["Message-ID"] == f"<{row.id}@atelier-lumiere.example>"
    assert "Atelier <Lumière> & Fils" in email["Subject"]
    text = body(email)
    html = body(email, "html")
    assert issued.code in text
    assert issued.code in html
    assert "Bonjour Ada" in text
    assert "Atelier &lt;Lumière&gt; &amp; Fils" in html
    assert "clientele" not in email.as_string().lower()
    assert (row.attempts, row.last_error) == (1, None)
    assert "code" not in row.context, "the one-time code must not stay in the log"
    assert row.context["first_name"] == "Ada"
    assert row.sent_at is not None
    assert len(mail_sink.matching(to(issued.email))) == 1


async def test_relay_outage_keeps_the_message_queued_then_sends_it_once(
    engine: AsyncEngine,
    mail_sink: MailSink,
    handle: Handle,
    eventually: Eventually,
    shop_opened: Any,
    code_issued: Any,
) -> None:
    shop = shop_opened()
    issued = code_issued(shop.shop_id)
    await handle(shop, issued)
    mail_sink.stop()

    async with running(quick_delivery(engine, mail_sink.port)):
        failing = await eventually(
            lambda: _row_if(engine, issued.message_id, lambda r: r.attempts >= 2)
        )
        assert failing.status == "queued"
        assert failing.sent_at is None
        assert failing.last_error
        assert mail_sink.matching(to(issued.email)) == []

        mail_sink.start()
        await mail_sink.wait_for(to(issued.email))
        sent = await eventually(
            lambda: _row_if(engine, issued.message_id, lambda r: r.status == "sent")
        )

    assert sent.attempts > failing.attempts
    assert sent.last_error is None
    assert len(mail_sink.matching(to(issued.email))) == 1


async def test_waits_for_the_brand_without_counting_attempts(
    engine: AsyncEngine,
    mail_sink: MailSink,
    handle: Handle,
    eventually: Eventually,
    shop_opened: Any,
    code_issued: Any,
) -> None:
    shop = shop_opened(brand_name="Late Brand")
    issued = code_issued(shop.shop_id)
    await handle(issued)

    async with running(quick_delivery(engine, mail_sink.port)):
        waiting = await eventually(
            lambda: _row_if(engine, issued.message_id, lambda r: r.last_error is not None)
        )
        assert (waiting.status, waiting.attempts) == ("queued", 0)

        await handle(shop)
        email = await mail_sink.wait_for(to(issued.email))

    assert email["From"].addresses[0].display_name == "Late Brand"


class _RefusingHandler:
    """An SMTP server that refuses every recipient with the given reply."""

    def __init__(self, reply: str) -> None:
        self.reply = reply

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return self.reply


@pytest.mark.parametrize(
    ("reply", "status", "min_attempts"),
    [
        ("550 5.1.1 No such mailbox", "failed", 1),
        ("450 4.2.1 Mailbox busy, try later", "queued", 2),
    ],
)
async def test_5xx_fails_at_once_and_4xx_is_retried(
    engine: AsyncEngine,
    handle: Handle,
    eventually: Eventually,
    shop_opened: Any,
    code_issued: Any,
    reply: str,
    status: str,
    min_attempts: int,
) -> None:
    shop = shop_opened()
    issued = code_issued(shop.shop_id)
    await handle(shop, issued)
    port = free_port()
    server = Controller(_RefusingHandler(reply), hostname="127.0.0.1", port=port)
    server.start()
    try:
        async with running(quick_delivery(engine, port)):
            row = await eventually(
                lambda: _row_if(
                    engine,
                    issued.message_id,
                    lambda r: r.status == status and r.attempts >= min_attempts,
                )
            )
    finally:
        server.stop()

    assert row.last_error.startswith(reply[:3])
    if status == "failed":
        assert row.attempts == 1


async def test_two_workers_never_send_the_same_message(
    engine: AsyncEngine,
    mail_sink: MailSink,
    handle: Handle,
    eventually: Eventually,
    shop_opened: Any,
    code_issued: Any,
) -> None:
    shop = shop_opened()
    batch = [code_issued(shop.shop_id) for _ in range(30)]
    await handle(shop, *batch)
    workers = [quick_delivery(engine, mail_sink.port, batch_size=4) for _ in range(2)]

    async with running(*workers):
        await eventually(lambda: _all_sent(engine, shop.shop_id, len(batch)), timeout=20)

    received = [email["Message-ID"] for email in mail_sink.messages()]
    assert len(received) == len(batch)
    assert len(set(received)) == len(batch)


async def test_invitation_in_the_configured_brand_then_its_link_leaves_the_log(
    engine: AsyncEngine,
    mail_sink: MailSink,
    handle: Handle,
    command: Answer,
    eventually: Eventually,
    shop_opened: Any,
    invited: Any,
) -> None:
    shop = shop_opened()
    await handle(shop)
    brand = ShopBrandSettings(
        brand_name="Müller & Söhne",
        sender_name="Müller, Kundenservice",
        sender_email="service@mueller.example",
        reply_to="hilfe@mueller.example",
        logo_url="https://cdn.mueller.example/logo.png",
        primary_color="#123456",
        accent_color="#abcdef",
        legal_notice="Müller & Söhne GmbH, Hauptstraße 1, 10115 Berlin",
        storefront_url="https://www.mueller.example",
    )
    assert (await command(ConfigureShopBrand(shop_id=shop.shop_id, brand=brand)))["ok"]
    event = invited(shop.shop_id, language="de")
    await handle(event)

    async with running(quick_delivery(engine, mail_sink.port)):
        email = await mail_sink.wait_for(to(event.email))
        row = await eventually(
            lambda: _row_if(engine, event.message_id, lambda r: r.status == "sent")
        )

    sender = email["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (
        "Müller, Kundenservice",
        "service@mueller.example",
    )
    assert [a.addr_spec for a in email["Reply-To"].addresses] == ["hilfe@mueller.example"]
    assert email["Subject"] == "Müller & Söhne hat ein Kundenkonto für Sie angelegt"
    link = f"https://www.mueller.example/invitation?{urlencode({'token': event.token})}"
    text, html = body(email), body(email, "html")
    assert link in text
    assert f'href="{link}"' in html
    assert "Müller &amp; Söhne GmbH, Hauptstraße 1, 10115 Berlin" in html
    assert 'alt="Müller &amp; Söhne"' in html
    assert "#123456" in html
    assert "link" not in row.context, "the one-time link must not stay in the log"
    assert event.token not in str(row.context)
    assert row.context["first_name"] == "Ada"


async def test_self_deletion_reaches_every_partner_address_once(
    engine: AsyncEngine,
    mail_sink: MailSink,
    handle: Handle,
    command: Answer,
    eventually: Eventually,
    shop_opened: Any,
    deleted: Any,
) -> None:
    shop = shop_opened(default_language="en")
    await handle(shop)
    partner = PartnerCopySettings(addresses=["owner@atelier.example", "desk@atelier.example"])
    assert (await command(ConfigurePartnerCopies(shop_id=shop.shop_id, settings=partner)))["ok"]
    event = deleted(shop.shop_id, comment="Moving abroad <for good>")
    await handle(event, event)

    async with running(quick_delivery(engine, mail_sink.port)):
        emails = [await mail_sink.wait_for(to(address)) for address in partner.addresses]
        await eventually(lambda: _all_sent(engine, shop.shop_id, 2))

    for email in emails:
        assert email["Subject"] == f"Customer 17 deleted their account at {shop.brand_name}"
        assert "Moving abroad <for good>" in body(email)
        assert "Moving abroad &lt;for good&gt;" in body(email, "html")
        assert event.email in body(email)
    assert len(mail_sink.messages()) == 2
    async with engine.connect() as conn:
        contexts = (
            await conn.scalars(
                select(messages.c.context).where(messages.c.source_message_id == event.message_id)
            )
        ).all()
    assert contexts == [{"customer_number": 17, "deleted_at": event.deleted_at.isoformat()}] * 2, (
        "the deleted customer's details were for the merchant's email only"
    )


async def _row_if(
    engine: AsyncEngine, source_message_id: UUID, check: Callable[[Any], bool]
) -> Any:
    row = await message_row(engine, source_message_id)
    return row if check(row) else None


async def _all_sent(engine: AsyncEngine, shop_id: UUID, expected: int) -> bool:
    async with engine.connect() as conn:
        statuses = (
            await conn.scalars(select(messages.c.status).where(messages.c.shop_id == shop_id))
        ).all()
    return len(statuses) == expected and all(s == "sent" for s in statuses)
