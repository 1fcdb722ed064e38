"""The one place that wires the vouchers service: settings, handlers, runtime, app."""

from pathlib import Path

from faststream.asgi import AsgiFastStream

from contracts.gateway import ShopOpened
from service_runtime.service import Handlers, ServiceRuntime
from service_runtime.settings import ServiceSettings
from service_runtime.worker_app import build_worker_app
from vouchers.config import VouchersSettings
from vouchers.handlers.shop_opened import record_shop

MIGRATIONS = Path(__file__).parent / "migrations"

HANDLERS = Handlers(events={ShopOpened: record_shop})


def create_runtime(settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(settings or VouchersSettings(), HANDLERS)


def create_app(settings: ServiceSettings | None = None) -> AsgiFastStream:
    return build_worker_app(create_runtime(settings))
