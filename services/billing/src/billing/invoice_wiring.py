"""Wiring of invoices (B4), outstanding (P7) and revenue (B6): handlers and workers."""

from __future__ import annotations

from billing.config import BillingSettings
from service_runtime.service import BackgroundFactory, Handlers


def invoice_handlers() -> Handlers:
    return Handlers()


def invoice_workers(settings: BillingSettings) -> list[BackgroundFactory]:
    return []
