"""The one place that wires the gateway: settings, handlers, runtime, HTTP app."""

from pathlib import Path

from fastapi import FastAPI
from faststream import FastStream
from faststream.specification import AsyncAPI

from contracts.customers import (
    CustomerEmailVerified,
    CustomerRegistered,
    RegisterCustomer,
    VerifyCustomerEmail,
)
from contracts.gateway import ShopOpened
from gateway.config import GatewaySettings
from gateway.entrypoints.app import build_http_app
from gateway.handlers.customer_overview import add_customer, mark_email_verified
from service_runtime.service import Handlers, ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"

HANDLERS = Handlers(
    events={CustomerRegistered: add_customer, CustomerEmailVerified: mark_email_verified},
    emits=(ShopOpened,),
    sends=(RegisterCustomer, VerifyCustomerEmail),
)


def create_runtime(settings: GatewaySettings | None = None) -> ServiceRuntime:
    settings = settings or GatewaySettings()
    return ServiceRuntime(settings, HANDLERS, rpc_timeout=settings.rpc_timeout)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    return build_http_app(settings, create_runtime(settings))


def asyncapi_app() -> FastStream:
    """The gateway's messaging side alone, for ``faststream docs gen``."""
    runtime = create_runtime(GatewaySettings())
    return FastStream(
        runtime.broker,
        specification=AsyncAPI(
            runtime.broker,
            title="Clientele gateway",
            version="1.0.0",
            description="Messages the gateway consumes, publishes and sends as requests.",
        ),
    )
