"""The rendering worker on a real database: documents rendered off the event path, once each,
also by concurrent passes, and a failing one retried later without holding back the others."""

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts.billing.invoices import Invoice
from contracts.notifier import GetInvoiceDocument, GetPartnerCopies
from notifier.adapters.invoice_pdf import InvoicePdfRenderer, RenderedDocument
from notifier.adapters.invoice_rendering import InvoiceRendering
from notifier.adapters.tables import invoice_documents
from notifier.adapters.wake_ups import Doorbell
from notifier.bootstrap import handlers
from notifier.config import NotifierSettings
from notifier.domain.branding import Brand
from notifier.domain.invoice_files import document_filename
from notifier.domain.render_retries import RenderRetries
from service_runtime.database import UnitOfWork
from service_runtime.handling import EventDispatcher

sys.path.insert(0, str(Path(__file__).parents[1]))
from billing_event_samples import invoice, invoice_issued
from delivery_support import quick_rendering, running

pytestmark = pytest.mark.database

Handle = Callable[..., Awaitable[None]]
Answer = Callable[..., Awaitable[dict[str, Any]]]


class FakeRenderer(InvoicePdfRenderer):
    """Records what it renders and makes a stand-in PDF at once (real PDFs: test_invoice_documents);
    fails for the invoices in ``failing``."""

    def __init__(self) -> None:
        super().__init__()
        self.rendered: list[UUID] = []
        self.failing: set[UUID] = set()
        self._lock = threading.Lock()

    def render(self, invoice: Invoice, brand: Brand) -> RenderedDocument:
        with self._lock:
            self.rendered.append(invoice.invoice_id)
        if invoice.invoice_id in self.failing:
            raise RuntimeError("font missing")
        return RenderedDocument(
            document_filename(invoice.kind, invoice.invoice_number),
            invoice.language,
            b"%PDF-1.7 " + invoice.invoice_number.encode(),
        )


class MeetingRenderer(FakeRenderer):
    """Its first two renders wait for each other: two passes provably render at the same time
    (a lone one breaks the meeting after 10 s and fails its document)."""

    def __init__(self) -> None:
        super().__init__()
        self._meeting = threading.Barrier(2, timeout=10)

    def render(self, invoice: Invoice, brand: Brand) -> RenderedDocument:
        with self._lock:
            first_two = len(self.rendered) < 2
        if first_two:
            self._meeting.wait()
        return super().render(invoice, brand)


class GatedRenderer(FakeRenderer):
    """Renders once ``go`` is set: until then, what the worker holds is visibly not rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()

    def render(self, invoice: Invoice, brand: Brand) -> RenderedDocument:
        self.go.wait(timeout=10)
        return super().render(invoice, brand)


class CountedRendering(InvoiceRendering):
    """Counts its passes, so a test knows when the first one (at start) is over."""

    passes = 0

    async def run_pass(self) -> int:
        handled = await super().run_pass()
        self.passes += 1
        return handled


async def documents(engine: AsyncEngine, shop_id: UUID) -> dict[UUID, Any]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(
                invoice_documents,
                (invoice_documents.c.next_render_at - func.now()).label("due_in"),
            ).where(invoice_documents.c.shop_id == shop_id)
        )
        return {row.invoice_id: row for row in rows}


async def issue(handle: Handle, shop_id: UUID, count: int) -> list[UUID]:
    """``count`` invoices of the shop, each handled (stored pending) in turn."""
    issued = [
        invoice_issued(shop_id, invoice(invoice_number=f"2026-{number:06d}"))
        for number in range(1, count + 1)
    ]
    await handle(*issued)
    return [event.invoice.invoice_id for event in issued]


async def test_an_event_batch_with_an_invoice_commits_without_rendering_then_wakes_the_worker(
    sessions: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    handle: Handle,
    command: Answer,
    shop_opened: Any,
    eventually: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = shop_opened()
    await handle(shop)
    renderer = GatedRenderer()
    bell = Doorbell()
    worker = bell.attach(CountedRendering(engine, renderer=renderer, poll_interval=3600))
    transactions = 0
    rings = 0

    def stored() -> None:
        nonlocal rings
        rings += 1
        bell.ring()

    def unit_of_work() -> UnitOfWork:
        nonlocal transactions
        transactions += 1
        return UnitOfWork(sessions)

    def no_rendering_here(*args: Any) -> RenderedDocument:
        raise AssertionError("rendered on the event path")

    monkeypatch.setattr(InvoicePdfRenderer, "render", no_rendering_here)
    wired = handlers(NotifierSettings(), documents_stored=stored)
    dispatcher = EventDispatcher("notifier", wired.events, unit_of_work)
    issued = invoice_issued(shop.shop_id)
    new_shop = shop_opened()

    async def first_pass_over() -> bool:
        return worker.passes >= 1

    async def rendered() -> bytes | None:
        return (await documents(engine, shop.shop_id))[issued.invoice.invoice_id].pdf

    async with running(worker):
        await eventually(first_pass_over)  # the worker now rests for an hour unless woken
        await asyncio.gather(dispatcher.handle(issued), dispatcher.handle(new_shop))

        assert (transactions, rings) == (1, 1), "one batch, one commit, then one ring"
        copies = await command(GetPartnerCopies(shop_id=new_shop.shop_id))
        assert copies["ok"], "the new shop is ready right after the batch"
        pending = await command(
            GetInvoiceDocument(shop_id=shop.shop_id, invoice_id=issued.invoice.invoice_id)
        )
        assert pending["error"]["code"] == "invoice_document_pending"

        renderer.go.set()
        assert await eventually(rendered) == b"%PDF-1.7 2026-000123", "woken by the ring"
    assert renderer.rendered == [issued.invoice.invoice_id]

    again = issued.model_copy(update={"message_id": uuid4()})
    await dispatcher.handle(again)
    assert rings == 1, "the same invoice under another event id: stored before, no ring"


async def test_two_concurrent_passes_render_each_document_once(
    engine: AsyncEngine, handle: Handle, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    issued = await issue(handle, shop.shop_id, 4)
    renderer = MeetingRenderer()
    first, second = (quick_rendering(engine, renderer=renderer, batch_size=2) for _ in range(2))

    handled = await asyncio.gather(first.render_due(), second.render_due())

    assert handled == [2, 2]
    assert sorted(renderer.rendered) == sorted(issued), "each document once, none twice"
    stored = await documents(engine, shop.shop_id)
    assert {row.pdf for row in stored.values()} == {
        f"%PDF-1.7 2026-{n:06d}".encode() for n in range(1, 5)
    }
    assert await first.render_due() == 0


async def test_a_failing_document_is_retried_later_and_holds_back_no_other(
    engine: AsyncEngine, handle: Handle, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    failing, fine = await issue(handle, shop.shop_id, 2)
    renderer = FakeRenderer()
    renderer.failing.add(failing)
    retries = RenderRetries(base=timedelta(minutes=1), longest=timedelta(minutes=3))
    worker = quick_rendering(engine, renderer=renderer, retries=retries)

    async def time_passes() -> None:
        async with engine.begin() as conn:
            await conn.execute(
                update(invoice_documents)
                .where(invoice_documents.c.invoice_id == failing)
                .values(next_render_at=func.now())
            )

    assert await worker.render_due() == 2
    stored = await documents(engine, shop.shop_id)
    assert stored[fine].pdf == b"%PDF-1.7 2026-000002", "rendered although the other failed"
    bad = stored[failing]
    assert (bad.pdf, bad.render_attempts, bad.render_error) == (
        None,
        1,
        "RuntimeError: font missing",
    )
    assert timedelta(seconds=50) < bad.due_in <= timedelta(minutes=1)
    assert await worker.render_due() == 0, "not due again before its wait is over"

    await time_passes()
    assert await worker.render_due() == 1
    bad = (await documents(engine, shop.shop_id))[failing]
    assert bad.render_attempts == 2
    assert timedelta(minutes=1) < bad.due_in <= timedelta(minutes=2), "the wait doubled"

    renderer.failing.clear()  # the cause was fixed
    await time_passes()
    assert await worker.render_due() == 1
    bad = (await documents(engine, shop.shop_id))[failing]
    assert (bad.pdf, bad.render_attempts, bad.render_error) == (b"%PDF-1.7 2026-000001", 2, None)
    assert renderer.rendered == [failing, fine, failing, failing]
