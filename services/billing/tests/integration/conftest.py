"""The billing runtime on a test's own database, pricing with the in-process fake; and, for
the tests over the real broker, a namespace, the real vouchers service and a caller."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from billing.bootstrap import create_runtime
from billing.config import BillingSettings
from service_runtime.rpc_client import RpcClient
from service_runtime.service import ServiceRuntime
from service_runtime.testing import (
    RealServers,
    delete_broker_namespace,
    migrated_template,
    throwaway_database,
    unique_name,
)
from service_runtime.topology import Topology
from vouchers.bootstrap import MIGRATIONS as VOUCHERS_MIGRATIONS
from vouchers.bootstrap import create_runtime as create_vouchers
from vouchers.config import VouchersSettings

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


@pytest.fixture
async def namespace(servers: RealServers) -> AsyncIterator[str]:
    """A broker namespace of this test's own, deleted with everything declared in it."""
    name = unique_name("t.") + "."
    yield name
    await delete_broker_namespace(servers.amqp_url, Topology(name), ["billing", "vouchers"])


@pytest.fixture
def vouchers_database(servers: RealServers) -> Iterator[str]:
    with (
        migrated_template(servers, VOUCHERS_MIGRATIONS, "t_vouchers_tpl_") as template,
        throwaway_database(servers, "t_vouchers_", template=template) as url,
    ):
        yield url


@pytest.fixture
async def vouchers(
    servers: RealServers, vouchers_database: str, namespace: str
) -> AsyncIterator[ServiceRuntime]:
    """The real vouchers service, started (a test may stop it early)."""
    runtime = create_vouchers(
        VouchersSettings(
            amqp_url=servers.amqp_url,
            broker_namespace=namespace,
            database_url=vouchers_database,
            log_json=False,
            log_level="WARNING",
        )
    )
    await runtime.start()
    try:
        yield runtime
    finally:
        if runtime.broker.running:
            await runtime.stop()


@pytest.fixture
async def rpc(servers: RealServers, namespace: str) -> AsyncIterator[RpcClient]:
    """A caller like the gateway: commands over the broker, typed replies back."""
    topology = Topology(namespace)
    client = RpcClient(
        servers.amqp_url,
        topology.commands_exchange,
        reply_queue_prefix=topology.name("test.replies"),
        timeout=10.0,
    )
    await client.start()
    try:
        yield client
    finally:
        await client.stop()
