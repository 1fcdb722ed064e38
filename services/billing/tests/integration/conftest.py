"""The billing runtime on a test's own database, pricing with the in-process fake."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from billing.bootstrap import create_runtime
from billing.config import BillingSettings
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import FakePricer


@pytest.fixture
def pricer() -> FakePricer:
    return FakePricer()


@pytest.fixture
async def runtime(database_url: str, pricer: FakePricer) -> AsyncIterator[ServiceRuntime]:
    """Unstarted: tests send commands and events through its dispatchers' code paths."""
    runtime = create_runtime(BillingSettings(database_url=database_url), pricer=pricer)
    yield runtime
    await runtime.engine.dispose()
