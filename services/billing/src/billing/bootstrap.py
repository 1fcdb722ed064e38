"""The one place that wires the billing service: settings, handlers, runtime, app."""

from pathlib import Path

from faststream.asgi import AsgiFastStream

from billing.config import BillingSettings
from billing.handlers.shop_opened import record_shop
from contracts.gateway import ShopOpened
from service_runtime.service import Handlers, ServiceRuntime
from service_runtime.settings import ServiceSettings
from service_runtime.worker_app import build_worker_app

MIGRATIONS = Path(__file__).parent / "migrations"

HANDLERS = Handlers(events={ShopOpened: record_shop})


def create_runtime(settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(settings or BillingSettings(), HANDLERS)


def create_app(settings: ServiceSettings | None = None) -> AsgiFastStream:
    return build_worker_app(create_runtime(settings))
