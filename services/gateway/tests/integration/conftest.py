"""Fixtures shared by the gateway's integration tests: migrated throwaway databases, the app
and an HTTP client on it. Each test module supplies its own ``customers`` fake where needed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.bootstrap import MIGRATIONS, create_app
from gateway.config import GatewaySettings
from gateway.entrypoints.deps import get_rpc
from service_runtime.database import make_session_factory
from service_runtime.migration_ops import upgrade
from service_runtime.service import ServiceRuntime
from service_runtime.testing import migrated_template, real_servers, throwaway_database


@pytest.fixture(scope="module")
def template() -> Iterator[str]:
    """A migrated template database each test copies its own throwaway database from."""
    with migrated_template(real_servers(), MIGRATIONS, "t_gateway_tpl_") as name:
        yield name


@pytest.fixture
def database_url(template: str) -> Iterator[str]:
    """A fresh migrated database for one test."""
    with throwaway_database(real_servers(), "t_gateway_", template=template) as url:
        yield url


@pytest.fixture(scope="module")
def module_database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """One migrated database shared by a whole module's tests."""
    prefix = getattr(request.module, "DATABASE_PREFIX", "t_gateway_")
    with throwaway_database(real_servers(), prefix) as url:
        upgrade(MIGRATIONS, url)
        yield url


@pytest.fixture(scope="module")
async def app_runtime(module_database_url: str) -> AsyncIterator[tuple[Any, ServiceRuntime]]:
    """The gateway app without its broker (the lifespan is not run): routes read the database."""
    app = create_app(GatewaySettings(database_url=module_database_url))
    runtime: ServiceRuntime = app.state.runtime
    yield app, runtime
    await runtime.engine.dispose()


@pytest.fixture(scope="module")
async def client(app_runtime: tuple[Any, ServiceRuntime]) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_runtime[0])
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client


@pytest.fixture
async def app(database_url: str, customers: Any) -> AsyncIterator[Any]:
    """The gateway app on a fresh database, its RPC client replaced by the module's fake."""
    app = create_app(GatewaySettings(database_url=database_url, db_pool_size=2))
    app.dependency_overrides[get_rpc] = lambda: customers
    yield app
    await app.state.runtime.engine.dispose()


@pytest.fixture
def sessions(app: Any) -> async_sessionmaker[AsyncSession]:
    return make_session_factory(app.state.runtime.engine)


@pytest.fixture
async def http(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client
