"""Wiring: both events are handled, nothing is emitted, mail delivery runs in the background."""

from contracts.customers import VerificationCodeIssued
from contracts.gateway import ShopOpened
from notifier.adapters.mail_delivery import MailDelivery
from notifier.bootstrap import HANDLERS, create_runtime
from notifier.config import NotifierSettings
from service_runtime.settings import ServiceSettings


def test_handlers_cover_the_events_the_notifier_needs() -> None:
    assert set(HANDLERS.events) == {ShopOpened, VerificationCodeIssued}
    assert tuple(HANDLERS.emits) == ()


def test_runtime_carries_the_delivery_worker_without_connecting() -> None:
    runtime = create_runtime(NotifierSettings(smtp_port=2525))

    (worker,) = runtime.background
    assert isinstance(worker, MailDelivery)
    assert worker.sender.port == 2525
    assert not worker.running


def test_base_settings_from_the_shared_cli_become_notifier_settings() -> None:
    runtime = create_runtime(ServiceSettings(service_name="notifier", http_port=9999))

    assert isinstance(runtime.settings, NotifierSettings)
    assert runtime.settings.http_port == 9999
