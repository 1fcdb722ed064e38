"""Wiring: every event that becomes an email, the settings commands, the delivery worker."""

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


def test_runtime_carries_the_delivery_worker_without_connecting() -> None:
    runtime = create_runtime(NotifierSettings(smtp_port=2525))

    (worker,) = runtime.background
    assert isinstance(worker, MailDelivery)
    assert worker.sender.port == 2525
    assert worker.engine is runtime.engine, "the worker shares the runtime's pool"
    assert not worker.running


def test_settings_are_notifier_settings_by_default_and_used_as_given() -> None:
    assert isinstance(create_runtime().settings, NotifierSettings)

    settings = NotifierSettings(http_port=9999)
    runtime = create_runtime(settings)

    assert runtime.settings is settings
    assert runtime.settings.http_port == 9999
