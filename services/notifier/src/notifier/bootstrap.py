"""The one place that wires the notifier service: settings, handlers, delivery worker, app."""

from pathlib import Path

from faststream.asgi import AsgiFastStream

from contracts.customers import VerificationCodeIssued
from contracts.gateway import ShopOpened
from notifier.adapters.mail_delivery import MailDelivery
from notifier.config import NotifierSettings
from notifier.handlers.shop_opened import record_brand
from notifier.handlers.verification_code_issued import queue_verification_code
from service_runtime.service import Handlers, ServiceRuntime
from service_runtime.settings import ServiceSettings
from service_runtime.worker_app import build_worker_app

MIGRATIONS = Path(__file__).parent / "migrations"

HANDLERS = Handlers(
    events={ShopOpened: record_brand, VerificationCodeIssued: queue_verification_code},
    emits=(),
)


def notifier_settings(settings: ServiceSettings | None) -> NotifierSettings:
    """The notifier's own settings, also when the shared CLI hands over the base type."""
    if settings is None:
        return NotifierSettings()
    if isinstance(settings, NotifierSettings):
        return settings
    return NotifierSettings(**settings.model_dump())


def create_runtime(settings: ServiceSettings | None = None) -> ServiceRuntime:
    """Handlers plus the delivery worker; nothing connects until the runtime starts."""
    resolved = notifier_settings(settings)
    return ServiceRuntime(resolved, HANDLERS, background=[MailDelivery.from_settings(resolved)])


def create_app(settings: ServiceSettings | None = None) -> AsgiFastStream:
    """What ``python -m notifier serve`` runs under uvicorn."""
    return build_worker_app(create_runtime(settings))
