"""The one place that wires the customers service: settings, handlers, runtime, app."""

from functools import partial
from pathlib import Path

from faststream.asgi import AsgiFastStream

from contracts.customers import (
    CustomerEmailVerified,
    CustomerRegistered,
    RegisterCustomer,
    VerificationCodeIssued,
    VerifyCustomerEmail,
)
from contracts.gateway import ShopOpened
from customers.config import CustomersSettings
from customers.handlers.register_customer import register_customer
from customers.handlers.shop_opened import record_shop
from customers.handlers.verify_customer_email import verify_customer_email
from service_runtime.service import Handlers, ServiceRuntime
from service_runtime.worker_app import build_worker_app

MIGRATIONS = Path(__file__).parent / "migrations"


def handlers(settings: CustomersSettings) -> Handlers:
    return Handlers(
        events={ShopOpened: record_shop},
        commands={
            RegisterCustomer: partial(register_customer, code_secret=settings.code_secret),
            VerifyCustomerEmail: partial(verify_customer_email, code_secret=settings.code_secret),
        },
        emits=(CustomerRegistered, VerificationCodeIssued, CustomerEmailVerified),
    )


def create_runtime(settings: CustomersSettings | None = None) -> ServiceRuntime:
    settings = settings or CustomersSettings()
    return ServiceRuntime(settings, handlers(settings))


def create_app(settings: CustomersSettings | None = None) -> AsgiFastStream:
    return build_worker_app(create_runtime(settings))
