from collections.abc import AsyncIterator, Iterator

import pytest

from customers.bootstrap import MIGRATIONS, create_runtime
from customers.config import CustomersSettings
from service_runtime.migration_ops import upgrade
from service_runtime.service import ServiceRuntime
from service_runtime.testing import real_servers, throwaway_database


@pytest.fixture
def database_url() -> Iterator[str]:
    with throwaway_database(real_servers(), "t_customers_") as url:
        upgrade(MIGRATIONS, url)
        yield url


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[ServiceRuntime]:
    """The service's runtime, unstarted: tests call handlers with its units of work."""
    runtime = create_runtime(CustomersSettings(database_url=database_url))
    yield runtime
    await runtime.engine.dispose()
