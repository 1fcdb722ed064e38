"""The one place that wires the gateway: settings, handlers, runtime, HTTP app."""

from pathlib import Path

from fastapi import FastAPI
from faststream import FastStream
from faststream.specification import AsyncAPI

from contracts import billing, customers, notifier, vouchers
from contracts.base import Command
from contracts.billing import CustomerBillingChanged
from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerEmailVerified,
    CustomerGroupChanged,
    CustomerRegistered,
    CustomersImported,
)
from contracts.gateway import ShopOpened
from contracts.vouchers import CustomerDiscountChanged
from gateway.config import GatewaySettings
from gateway.entrypoints.app import build_http_app
from gateway.handlers.billing_figures import apply_billing_changed
from gateway.handlers.customer_discounts import apply_discount_changed
from gateway.handlers.customer_overview import (
    add_customer,
    apply_customer_changed,
    apply_customers_imported,
    apply_group_changed,
    mark_email_verified,
    remove_customer,
)
from gateway.housekeeping import Housekeeping
from service_runtime.service import Handlers, ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"

SENDS: tuple[type[Command], ...] = (
    *customers.RESULTS,
    *notifier.RESULTS,
    *billing.RESULTS,
    *vouchers.RESULTS,
)
"""Every command the gateway sends: the storefront's and the partner's requests."""

HANDLERS = Handlers(
    events={
        CustomerRegistered: add_customer,
        CustomerEmailVerified: mark_email_verified,
        CustomerChanged: apply_customer_changed,
        CustomersImported: apply_customers_imported,
        CustomerDeleted: remove_customer,
        CustomerGroupChanged: apply_group_changed,
        CustomerDiscountChanged: apply_discount_changed,
        CustomerBillingChanged: apply_billing_changed,
    },
    emits=(ShopOpened,),
    sends=SENDS,
)


def create_runtime(settings: GatewaySettings | None = None) -> ServiceRuntime:
    settings = settings or GatewaySettings()
    return ServiceRuntime(
        settings,
        HANDLERS,
        rpc_timeout=settings.rpc_timeout,
        background=[
            lambda runtime: Housekeeping(
                runtime.unit_of_work,
                interval=settings.housekeeping_seconds,
                counters_kept_for=settings.longest_throttle_window,
            )
        ],
    )


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
