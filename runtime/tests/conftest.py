from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from probe_service import create_schema

from service_runtime.testing import (
    RealServers,
    delete_broker_namespace,
    real_servers,
    throwaway_database,
    unique_name,
)
from service_runtime.topology import Topology


@pytest.fixture(scope="session")
def servers() -> RealServers:
    return real_servers()


@pytest.fixture
def database_url(servers: RealServers) -> Iterator[str]:
    with throwaway_database(servers, "t_runtime_") as url:
        create_schema(url)
        yield url


@pytest.fixture
async def namespace(servers: RealServers) -> AsyncIterator[str]:
    name = unique_name("t.") + "."
    yield name
    await delete_broker_namespace(servers.amqp_url, Topology(name), ["probe"])
