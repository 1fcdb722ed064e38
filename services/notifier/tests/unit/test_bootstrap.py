"""Wiring: every event that becomes an email, the settings commands, the delivery worker."""

from datetime import timedelta

import pytest

from contracts.billing.events import InvoiceIssued, OrderPlaced, OrderStatusChanged
from contracts.customers import (
    CustomerAccountActivated,
    CustomerDeleted,
    CustomerInvited,
    CustomerRegistered,
    EmailChangeCodeIssued,
    PasswordResetRequested,
    VerificationCodeIssued,
)
from contracts.gateway import ShopOpened
from contracts.notifier import RESULTS
from contracts.vouchers import CustomerDiscountChanged, VouchersActivated
from notifier.adapters.invoice_rendering import InvoiceRendering
from notifier.adapters.mail_delivery import MailDelivery
from notifier.bootstrap import create_runtime, handlers
from notifier.config import NotifierSettings


def test_handlers_cover_the_events_and_commands_the_notifier_needs() -> None:
    wired = handlers(NotifierSettings())

    assert set(wired.events) == {
        ShopOpened,
        VerificationCodeIssued,
        CustomerInvited,
        PasswordResetRequested,
        EmailChangeCodeIssued,
        CustomerAccountActivated,
        CustomerDeleted,
        CustomerRegistered,
        CustomerDiscountChanged,
        VouchersActivated,
        OrderPlaced,
        OrderStatusChanged,
        InvoiceIssued,
    }
    assert set(wired.commands) == set(RESULTS), "every notifier command of the contract"
    assert tuple(wired.emits) == ()


def test_link_handlers_carry_the_configured_storefront_base() -> None:
    settings = NotifierSettings(storefront_base_url="https://shops.example/{shop_id}/")

    wired = handlers(settings)

    for event in (CustomerInvited, PasswordResetRequested, CustomerAccountActivated):
        handler = wired.events[event]
        assert handler.keywords == {"storefront_base_url": "https://shops.example/{shop_id}/"}  # type: ignore[attr-defined]


def test_runtime_carries_the_delivery_and_rendering_workers_without_connecting() -> None:
    runtime = create_runtime(
        NotifierSettings(smtp_port=2525, render_batch_size=2, render_retry_base=7.0)
    )

    delivery, rendering = runtime.background
    assert isinstance(delivery, MailDelivery)
    assert isinstance(rendering, InvoiceRendering)
    assert delivery.sender.port == 2525
    assert (rendering.batch_size, rendering.retries.base) == (2, timedelta(seconds=7))
    for worker in (delivery, rendering):
        assert worker.engine is runtime.engine, "the workers share the runtime's pool"
        assert not worker.running


def test_a_stored_invoice_wakes_the_rendering_worker_and_a_rendered_one_the_delivery(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime = create_runtime()
    woken: list[str] = []
    for worker in runtime.background:
        name = type(worker).__name__
        monkeypatch.setattr(worker, "wake", lambda name=name: woken.append(name))
    rendering = runtime.background[1]
    assert isinstance(rendering, InvoiceRendering)
    stored = runtime.handlers.events[InvoiceIssued].keywords["stored"]  # type: ignore[attr-defined]

    stored()
    rendering.rendered()

    assert woken == ["InvoiceRendering", "MailDelivery"]


def test_settings_are_notifier_settings_by_default_and_used_as_given() -> None:
    assert isinstance(create_runtime().settings, NotifierSettings)

    settings = NotifierSettings(http_port=9999)
    runtime = create_runtime(settings)

    assert runtime.settings is settings
    assert runtime.settings.http_port == 9999
