"""The MIME email a customer gets, and which SMTP failures are worth another try."""

import socket
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import pytest
from aiosmtplib.errors import (
    SMTPAuthenticationError,
    SMTPConnectError,
    SMTPConnectTimeoutError,
    SMTPDataError,
    SMTPRecipientRefused,
    SMTPRecipientsRefused,
    SMTPSenderRefused,
    SMTPServerDisconnected,
)

from devtools.mailsink import body
from notifier.adapters.rendering import RenderedEmail
from notifier.adapters.smtp_sender import (
    SmtpSender,
    build_email,
    helo_name,
    is_permanent,
    message_id_header,
)
from notifier.domain.branding import Brand
from notifier.domain.delivery_policy import Delivered

BRAND = Brand('Print "Atelier" <b>&', "hello@print-atelier.example", "en", "UTC")
RENDERED = RenderedEmail("en", "Your code", "code 123456\n", "<p>code 123456</p>\n")


def test_email_comes_from_the_shop_with_both_parts() -> None:
    message_id = uuid.uuid4()

    email = build_email(message_id, "ada@example.com", BRAND, RENDERED)

    assert email["From"].addresses[0].display_name == 'Print "Atelier" <b>&'
    assert email["From"].addresses[0].addr_spec == "hello@print-atelier.example"
    assert email["To"] == "ada@example.com"
    assert email["Subject"] == "Your code"
    assert email["Message-ID"] == f"<{message_id}@print-atelier.example>"
    assert email.get_content_type() == "multipart/alternative"
    assert body(email) == "code 123456\n"
    assert body(email, "html") == "<p>code 123456</p>\n"
    assert "clientele" not in email.as_string().lower()


async def test_greets_the_relay_with_the_sender_domain_not_this_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    async def fake_send(message: Any, /, **kwargs: Any) -> tuple[dict[str, Any], str]:
        calls.append(kwargs)
        return {}, "250 OK"

    monkeypatch.setattr(aiosmtplib, "send", fake_send)
    email = build_email(uuid.uuid4(), "ada@example.com", BRAND, RENDERED)

    outcome = await SmtpSender("relay.example", 2525).send(email)

    assert outcome == Delivered()
    (kwargs,) = calls
    assert kwargs["local_hostname"] == "print-atelier.example"
    assert kwargs["hostname"] == "relay.example"
    assert kwargs["local_hostname"] not in {socket.gethostname(), socket.getfqdn()}


def test_helo_name_is_ascii_and_never_empty() -> None:
    idn = Brand("Café", "bonjour@café.example", "fr", "UTC")
    email = build_email(uuid.uuid4(), "ada@example.com", idn, RENDERED)

    assert helo_name(email) == "xn--caf-dma.example"
    assert helo_name(EmailMessage()) == "localhost"


def test_message_id_is_the_same_for_every_resend() -> None:
    message_id = uuid.uuid4()

    assert message_id_header(message_id, "a@b.example") == message_id_header(
        message_id, "a@b.example"
    )


@pytest.mark.parametrize(
    "error",
    [
        SMTPRecipientsRefused([SMTPRecipientRefused(550, "no such user", "x@example.com")]),
        SMTPSenderRefused(553, "sender not allowed", "shop@example.com"),
        SMTPDataError(554, "message rejected"),
    ],
)
def test_5xx_about_the_message_is_permanent(error: Exception) -> None:
    assert is_permanent(error)


@pytest.mark.parametrize(
    "error",
    [
        SMTPRecipientsRefused([SMTPRecipientRefused(450, "mailbox busy", "x@example.com")]),
        SMTPDataError(451, "try again later"),
        SMTPConnectError("connection refused"),
        SMTPConnectTimeoutError("timed out"),
        SMTPServerDisconnected("gone"),
        SMTPAuthenticationError(535, "bad credentials"),
        ConnectionRefusedError(),
        TimeoutError(),
    ],
)
def test_relay_trouble_and_4xx_are_temporary(error: Exception) -> None:
    assert not is_permanent(error)


def _round_trip(email: EmailMessage) -> EmailMessage:
    """The email as a receiving client parses it from the wire."""
    parsed = message_from_bytes(email.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


@pytest.mark.parametrize(
    "sender_name",
    ["Müller, Schmidt & Söhne", 'Atelier "Lumière" <Paris>', "Café; Bcc: victim@example.com"],
)
def test_from_is_the_sender_name_and_stays_one_address(sender_name: str) -> None:
    brand = Brand("Brand", "hello@shop.example", "de", "UTC", sender_name=sender_name)

    email = _round_trip(build_email(uuid.uuid4(), "ada@example.com", brand, RENDERED))

    (sender,) = email["From"].addresses
    assert sender.display_name == sender_name
    assert sender.addr_spec == "hello@shop.example"
    assert email["Bcc"] is None
    assert all(ord(c) < 128 for c in email.as_string()), "headers are RFC 2047-encoded on the wire"


def test_sender_name_defaults_to_the_brand_and_line_breaks_are_folded() -> None:
    brand = Brand("Atelier\r\nLumière", "hello@shop.example", "fr", "UTC")

    email = _round_trip(build_email(uuid.uuid4(), "ada@example.com", brand, RENDERED))

    assert email["From"].addresses[0].display_name == "Atelier Lumière"


def test_reply_to_is_set_only_when_the_shop_has_one() -> None:
    with_reply = Brand("B", "hello@shop.example", "en", "UTC", reply_to="help@shop.example")
    without = Brand("B", "hello@shop.example", "en", "UTC")

    replying = _round_trip(build_email(uuid.uuid4(), "ada@example.com", with_reply, RENDERED))
    plain = build_email(uuid.uuid4(), "ada@example.com", without, RENDERED)

    assert [a.addr_spec for a in replying["Reply-To"].addresses] == ["help@shop.example"]
    assert plain["Reply-To"] is None
