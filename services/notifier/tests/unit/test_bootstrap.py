"""Wiring: both events are handled, nothing is emitted, mail delivery runs in the background."""

from contracts.customers import VerificationCodeIssued
from contracts.gateway import ShopOpened
from notifier.adapters.mail_delivery import MailDelivery
from notifier.bootstrap import HANDLERS, create_runtime
from notifier.config import NotifierSettings


def test_handlers_cover_the_events_the_notifier_needs() -> None:
    assert set(HANDLERS.events) == {ShopOpened, VerificationCodeIssued}
    assert tuple(HANDLERS.emits) == ()


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
