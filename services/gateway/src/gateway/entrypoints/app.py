"""The gateway's FastAPI app; the broker, relay and request/reply client live in its lifespan."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from gateway.config import GatewaySettings
from gateway.entrypoints.correlation import CorrelationMiddleware
from gateway.entrypoints.problems import install_problem_handlers
from gateway.entrypoints.routes import (
    health,
    ops_orders,
    ops_shops,
    partner_customer_actions,
    partner_customers,
    partner_discounts,
    partner_groups,
    partner_import,
    partner_invoices,
    partner_orders,
    partner_outstanding,
    partner_payment_settings,
    partner_price_list,
    partner_revenue_export,
    partner_settings,
    partner_vouchers,
    storefront_accounts,
    storefront_carts,
    storefront_invoices,
    storefront_me,
    storefront_orders,
    storefront_products,
)
from service_runtime.service import ServiceRuntime


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
    app.state.known_shops = set()
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
        partner_outstanding,
        partner_revenue_export,
        storefront_orders,
        storefront_invoices,
        partner_orders,
        partner_invoices,
        partner_payment_settings,
        ops_orders,
        health,
    ):
        app.include_router(module.router)

    app.add_middleware(CorrelationMiddleware)
    return app
