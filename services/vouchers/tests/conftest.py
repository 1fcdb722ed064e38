"""Fixtures of the vouchers tests: a migrated throwaway database per test, the runtime on it."""

from collections.abc import AsyncIterator, Iterator

import pytest

from service_runtime.service import ServiceRuntime
from service_runtime.testing import RealServers, migrated_template, real_servers, throwaway_database
from vouchers.bootstrap import MIGRATIONS, create_runtime
from vouchers.config import VouchersSettings


@pytest.fixture(scope="session")
def servers() -> RealServers:
    return real_servers()


@pytest.fixture(scope="session")
def template(servers: RealServers) -> Iterator[str]:
    """Migrated once; each test copies it (much faster than migrating per test)."""
    with migrated_template(servers, MIGRATIONS, "t_vouchers_tpl_") as name:
        yield name


@pytest.fixture
def database_url(servers: RealServers, template: str) -> Iterator[str]:
    with throwaway_database(servers, "t_vouchers_", template=template) as url:
        yield url


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[ServiceRuntime]:
    """The service's runtime, unstarted: tests call handlers with its units of work."""
    runtime = create_runtime(VouchersSettings(database_url=database_url, db_pool_size=2))
    yield runtime
    await runtime.engine.dispose()
