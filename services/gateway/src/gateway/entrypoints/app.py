"""The gateway's FastAPI app; the broker, relay and request/reply client live in its lifespan."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request, Response

from gateway.config import GatewaySettings
from gateway.entrypoints.problems import install_problem_handlers
from gateway.entrypoints.routes import (
    health,
    ops_shops,
    partner_customer_actions,
    partner_customers,
    partner_discounts,
    partner_groups,
    partner_import,
    partner_price_list,
    partner_settings,
    partner_vouchers,
    storefront_accounts,
    storefront_carts,
    storefront_me,
    storefront_products,
)
from service_runtime.service import ServiceRuntime

CORRELATION_HEADER = "X-Correlation-ID"


def build_http_app(settings: GatewaySettings, runtime: ServiceRuntime) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title="Clientele gateway",
        version="1.0.0",
        description="Storefront API (/storefront/v1), partner API (/partner/v1), operator API (/ops/v1).",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runtime = runtime
    install_problem_handlers(app)
    # partner_customers and partner_import first: '/customers/export' must not be read as
    # '/customers/{customer_id}' of partner_customer_actions.
    for module in (
        ops_shops,
        storefront_accounts,
        storefront_me,
        storefront_products,
        storefront_carts,
        partner_customers,
        partner_import,
        partner_customer_actions,
        partner_discounts,
        partner_groups,
        partner_settings,
        partner_price_list,
        partner_vouchers,
        health,
    ):
        app.include_router(module.router)

    @app.middleware("http")
    async def correlation_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Every log line of a request carries its correlation id; the caller may choose it."""
        given = request.headers.get(CORRELATION_HEADER, "")
        try:
            value = str(uuid.UUID(given))
        except ValueError:
            value = str(uuid.uuid4())
        request.state.correlation_id = uuid.UUID(value)
        structlog.contextvars.bind_contextvars(correlation_id=value)
        try:
            response = await call_next(request)
        finally:
            structlog.contextvars.unbind_contextvars("correlation_id")
        response.headers[CORRELATION_HEADER] = value
        return response

    return app
