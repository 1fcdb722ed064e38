"""The background worker that renders stored invoice documents into PDFs, off the event path.

Rendering costs about 0.1 s of CPU (0.5 s without the system's HarfBuzz-Subset library), too
much for the event handler: every event behind an invoice would wait for it. The handler stores
the document pending; each pass here locks up to ``batch_size`` due documents with
``SELECT ... FOR UPDATE SKIP LOCKED``, renders them one after the other in a worker thread,
stores each PDF and commits. Several replicas never render the same document; one that dies
mid-pass releases its rows to the others. A document that fails to render is logged and tried
again later with a doubling wait, without holding back the others.

It is woken when a handler of this process commits a new document (see wake_ups) and polls
every ``poll_interval`` for the others'. After a pass that rendered something it rings
``rendered``, which wakes the mail delivery waiting for those PDFs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts.billing.invoices import Invoice
from notifier.adapters.invoice_documents import (
    PendingDocument,
    lock_pending,
    record_render_failure,
    record_rendered,
)
from notifier.adapters.invoice_pdf import InvoicePdfRenderer
from notifier.adapters.shop_settings import ShopNotKnownYet, shop_brand
from notifier.config import NotifierSettings
from notifier.domain.render_retries import RenderRetries
from service_runtime.database import make_session_factory
from service_runtime.pass_loop import PassWorker

log = structlog.get_logger(__name__)


def _nobody() -> None:
    """Rung after a pass rendered something when no one listens."""


class InvoiceRendering(PassWorker):
    """Runs on an engine it is given (the service runtime's); never creates or disposes one."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        renderer: InvoicePdfRenderer | None = None,
        retries: RenderRetries | None = None,
        rendered: Callable[[], None] = _nobody,
        poll_interval: float = 1.0,
        batch_size: int = 4,
    ) -> None:
        super().__init__(
            name="invoice-rendering", batch_size=batch_size, poll_interval=poll_interval
        )
        self.engine = engine
        self.sessions = make_session_factory(engine)
        self.renderer = renderer or InvoicePdfRenderer()
        self.retries = retries or RenderRetries()
        self.rendered = rendered

    @classmethod
    def from_settings(
        cls,
        settings: NotifierSettings,
        engine: AsyncEngine,
        *,
        rendered: Callable[[], None] = _nobody,
    ) -> InvoiceRendering:
        return cls(
            engine,
            retries=RenderRetries(
                base=timedelta(seconds=settings.render_retry_base),
                longest=timedelta(seconds=settings.render_retry_max),
            ),
            rendered=rendered,
            poll_interval=settings.render_poll_interval,
            batch_size=settings.render_batch_size,
        )

    async def render_due(self) -> int:
        """One pass: render what is due (at most one batch); returns how many it tried."""
        async with self.sessions() as session, session.begin():
            pending = await lock_pending(session, self.batch_size)
            outcomes = [await self._render(session, document) for document in pending]
        if any(outcomes):
            self.rendered()
        return len(pending)

    async def _render(self, session: AsyncSession, document: PendingDocument) -> bool:
        """Render and store one document, or record why not; True when its PDF is stored."""
        brand = await shop_brand(session, document.shop_id)
        try:
            if brand is None:
                raise ShopNotKnownYet(f"shop {document.shop_id} is not known here")
            invoice = Invoice.model_validate(document.invoice)
            rendered = await asyncio.to_thread(self.renderer.render, invoice, brand)
        except Exception as error:
            attempts = document.attempts + 1
            retry_in = self.retries.delay(attempts)
            await record_render_failure(
                session,
                document.invoice_id,
                attempts,
                f"{type(error).__name__}: {error}",
                retry_in,
            )
            log.warning(
                "invoice_render_failed",
                invoice_id=str(document.invoice_id),
                shop_id=str(document.shop_id),
                attempts=attempts,
                retry_in=retry_in.total_seconds(),
                exc_info=True,
            )
            return False
        await record_rendered(session, document.invoice_id, rendered)
        log.info(
            "invoice_rendered",
            invoice_id=str(document.invoice_id),
            shop_id=str(document.shop_id),
            invoice_number=invoice.invoice_number,
        )
        return True

    async def run_pass(self) -> int:
        return await self.render_due()
