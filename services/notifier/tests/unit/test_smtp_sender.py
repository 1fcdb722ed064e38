"""The MIME email a customer gets, and which SMTP failures are worth another try."""

import uuid

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
from notifier.adapters.smtp_sender import build_email, is_permanent, message_id_header
from notifier.domain.branding import Brand

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
