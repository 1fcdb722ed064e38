"""Wiring of orders (B2, B3, B5): the handlers and workers bootstrap adds to the service."""

from __future__ import annotations

from billing.adapters.pricing_client import Pricer
from billing.config import BillingSettings
from service_runtime.service import BackgroundFactory, Handlers


def order_handlers(pricer: Pricer) -> Handlers:
    return Handlers()


def order_workers(settings: BillingSettings) -> list[BackgroundFactory]:
    return []
