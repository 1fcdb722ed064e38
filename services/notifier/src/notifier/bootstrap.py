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
from service_runtime.worker_app import build_worker_app

MIGRATIONS = Path(__file__).parent / "migrations"

HANDLERS = Handlers(
    events={ShopOpened: record_brand, VerificationCodeIssued: queue_verification_code},
    emits=(),
)


def create_runtime(settings: NotifierSettings | None = None) -> ServiceRuntime:
    """Handlers plus the delivery worker on the runtime's engine; nothing connects until start."""
    resolved = settings or NotifierSettings()
    return ServiceRuntime(
        resolved,
        HANDLERS,
        background=[lambda runtime: MailDelivery.from_settings(resolved, runtime.engine)],
    )


def create_app(settings: NotifierSettings | None = None) -> AsgiFastStream:
    """What ``python -m notifier serve`` runs under uvicorn."""
    return build_worker_app(create_runtime(settings))
