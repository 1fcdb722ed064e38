"""The background worker that sends queued emails and retries the ones that failed for now.

Each pass locks up to ``batch_size`` due rows with ``SELECT ... FOR UPDATE SKIP LOCKED``,
sends them concurrently, records every outcome and commits: several replicas never send
the same row, and a replica that dies mid-pass releases its rows to the others. A crash
after the relay accepted an email but before the commit sends it again on the next pass;
its Message-ID is the same, so receivers can drop the copy.

It wakes by polling every ``poll_interval`` (0.25 s by default) rather than LISTEN/NOTIFY:
one indexed query per interval per replica is cheap, needs no dedicated connection, and
avoids a NOTIFY on every commit (measured at 18-27 % of commit throughput, STACK.md). The
invoice rendering worker of the same process wakes it when PDFs its emails wait for are ready.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from notifier.adapters import message_log
from notifier.adapters.message_log import DueMessage
from notifier.adapters.rendering import EmailRenderer
from notifier.adapters.smtp_sender import SmtpSender, build_email
from notifier.config import NotifierSettings
from notifier.domain.delivery_policy import (
    SENT,
    BrandMissing,
    DeliveryPolicy,
    Outcome,
    Undeliverable,
)
from service_runtime.pass_loop import PassWorker

log = structlog.get_logger(__name__)


class MailDelivery(PassWorker):
    """Runs on an engine it is given (the service runtime's); never creates or disposes one."""

    def __init__(
        self,
        engine: AsyncEngine,
        sender: SmtpSender,
        *,
        policy: DeliveryPolicy | None = None,
        renderer: EmailRenderer | None = None,
        poll_interval: float = 0.25,
        batch_size: int = 10,
    ) -> None:
        super().__init__(name="mail-delivery", batch_size=batch_size, poll_interval=poll_interval)
        self.engine = engine
        self.sender = sender
        self.policy = policy or DeliveryPolicy()
        self.renderer = renderer or EmailRenderer()

    @classmethod
    def from_settings(cls, settings: NotifierSettings, engine: AsyncEngine) -> MailDelivery:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            engine,
            SmtpSender(
                settings.smtp_host,
                settings.smtp_port,
                username=settings.smtp_username,
                password=password,
                starttls=settings.smtp_starttls,
                timeout=settings.smtp_timeout,
            ),
            policy=DeliveryPolicy(
                max_attempts=settings.delivery_max_attempts,
                retry_base=timedelta(seconds=settings.delivery_retry_base),
                retry_max=timedelta(seconds=settings.delivery_retry_max),
                brand_wait=timedelta(seconds=settings.delivery_brand_wait),
            ),
            poll_interval=settings.delivery_poll_interval,
            batch_size=settings.delivery_batch_size,
        )

    async def deliver_due(self) -> int:
        """One pass: send what is due (at most one batch); returns how many rows it handled."""
        async with self.engine.begin() as conn:
            due = await message_log.lock_due(conn, self.batch_size)
            if not due:
                return 0
            outcomes = await asyncio.gather(*(self._attempt(message) for message in due))
            for message, outcome in zip(due, outcomes, strict=True):
                state = self.policy.next_state(message.attempts, outcome)
                await message_log.record(conn, message.id, state)
                report = log.info if state.status == SENT else log.warning
                report(
                    "mail_" + state.status,
                    mail_id=str(message.id),
                    kind=message.kind,
                    shop_id=str(message.shop_id),
                    attempts=state.attempts,
                    error=state.last_error,
                )
        return len(due)

    async def _attempt(self, message: DueMessage) -> Outcome:
        if message.brand is None:
            return BrandMissing()
        try:
            rendered = self.renderer.render(
                message.kind, message.language, message.brand, message.context
            )
            attachments = (message.attachment,) if message.attachment else ()
            email = build_email(message.id, message.recipient, message.brand, rendered, attachments)
        except Exception as error:
            return Undeliverable(f"cannot compose the email: {type(error).__name__}: {error}")
        return await self.sender.send(email)

    async def run_pass(self) -> int:
        return await self.deliver_due()
