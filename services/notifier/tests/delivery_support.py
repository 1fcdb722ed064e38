"""Delivery and rendering workers with test-sized delays, and a context that runs workers;
import after putting this folder on sys.path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from notifier.adapters.invoice_pdf import InvoicePdfRenderer
from notifier.adapters.invoice_rendering import InvoiceRendering
from notifier.adapters.mail_delivery import MailDelivery
from notifier.adapters.smtp_sender import SmtpSender
from notifier.domain.delivery_policy import DeliveryPolicy
from notifier.domain.render_retries import RenderRetries
from service_runtime.pass_loop import PassWorker


def quick_delivery(engine: AsyncEngine, port: int, **overrides: Any) -> MailDelivery:
    """A worker with test-sized delays: retries within tenths of a second."""
    policy = DeliveryPolicy(
        max_attempts=overrides.pop("max_attempts", 50),
        retry_base=timedelta(seconds=0.1),
        retry_max=timedelta(seconds=0.3),
        brand_wait=timedelta(seconds=0.1),
    )
    return MailDelivery(
        engine,
        SmtpSender("127.0.0.1", port, timeout=2.0),
        policy=policy,
        poll_interval=0.05,
        **overrides,
    )


RENDERER = InvoicePdfRenderer()
"""One renderer for the tests' workers: its templates and fonts load once."""


def quick_rendering(engine: AsyncEngine, **overrides: Any) -> InvoiceRendering:
    """A rendering worker whose failed documents are due again within a tenth of a second."""
    return InvoiceRendering(
        engine,
        renderer=overrides.pop("renderer", RENDERER),
        retries=overrides.pop(
            "retries", RenderRetries(base=timedelta(seconds=0.05), longest=timedelta(seconds=0.1))
        ),
        poll_interval=0.05,
        **overrides,
    )


@asynccontextmanager
async def running(*workers: PassWorker) -> AsyncIterator[None]:
    for worker in workers:
        await worker.start()
    try:
        yield
    finally:
        for worker in workers:
            await worker.stop()
