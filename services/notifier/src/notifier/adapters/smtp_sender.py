"""Builds the MIME email and hands it to the SMTP relay, telling temporary from permanent failures."""

from __future__ import annotations

from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from uuid import UUID

import aiosmtplib
from aiosmtplib.errors import (
    SMTPAuthenticationError,
    SMTPConnectError,
    SMTPHeloError,
    SMTPRecipientsRefused,
    SMTPResponseException,
)

from notifier.adapters.rendering import RenderedEmail
from notifier.domain.attachments import Attachment
from notifier.domain.branding import Brand
from notifier.domain.delivery_policy import Deferred, Delivered, Outcome, Undeliverable


def message_id_header(message_id: UUID, sender_email: str) -> str:
    """Stable per message, so a rare resend (crash after the relay accepted) can be deduplicated."""
    domain = sender_email.rpartition("@")[2] or "localhost"
    return f"<{message_id}@{domain}>"


def helo_name(email: EmailMessage) -> str:
    """The name we greet the relay with: the shop's sender domain, never this host's name.

    aiosmtplib otherwise sends ``socket.getfqdn()`` (a pod name) in EHLO, which relays
    copy into the ``Received`` header customers can read.
    """
    addresses = getattr(email["From"], "addresses", ())
    domain = addresses[0].domain if addresses else ""
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_domain = ""
    return ascii_domain or "localhost"


def build_email(
    message_id: UUID,
    recipient: str,
    brand: Brand,
    rendered: RenderedEmail,
    attachments: tuple[Attachment, ...] = (),
) -> EmailMessage:
    """multipart/alternative (text, then HTML) from the shop's sender, nothing of the provider;
    with attachments (the invoice PDF), multipart/mixed around it.

    ``Address`` quotes and RFC 2047-encodes the display name, so a sender name with accents,
    commas, quotes or angle brackets stays one name and never becomes extra addresses.
    """
    email = EmailMessage()
    email["Subject"] = rendered.subject
    email["From"] = Address(display_name=brand.from_name, addr_spec=brand.sender_email)
    if brand.reply_to:
        email["Reply-To"] = Address(addr_spec=brand.reply_to)
    email["To"] = Address(addr_spec=recipient)
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = message_id_header(message_id, brand.sender_email)
    email["Content-Language"] = rendered.language
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(rendered.text)
    email.add_alternative(rendered.html, subtype="html")
    for attachment in attachments:
        email.add_attachment(
            attachment.data,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    return email


def is_permanent(error: Exception) -> bool:
    """A 5xx about this message is final; a relay that is down, busy or misconfigured is not."""
    if isinstance(error, SMTPConnectError | SMTPAuthenticationError | SMTPHeloError):
        return False
    if isinstance(error, SMTPRecipientsRefused):
        return all(500 <= refused.code < 600 for refused in error.recipients)
    return isinstance(error, SMTPResponseException) and 500 <= error.code < 600


def describe(error: Exception) -> str:
    """What goes into the message log's last_error."""
    if isinstance(error, SMTPRecipientsRefused):
        return "; ".join(f"{r.code} {r.message}" for r in error.recipients)
    if isinstance(error, SMTPResponseException):
        return f"{error.code} {error.message}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class SmtpSender:
    """One SMTP conversation per email; never raises, answers with the delivery outcome."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10.0,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    async def send(self, email: EmailMessage) -> Outcome:
        try:
            await aiosmtplib.send(
                email,
                hostname=self.host,
                port=self.port,
                local_hostname=helo_name(email),
                username=self.username,
                password=self.password,
                start_tls=self.starttls,
                timeout=self.timeout,
            )
        except Exception as error:
            if is_permanent(error):
                return Undeliverable(describe(error))
            return Deferred(describe(error))
        return Delivered()
