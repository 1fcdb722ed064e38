"""Fixtures of the cross-service tests: the whole system as real processes."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.mailsink import MailSink
from devtools.stack import PORT_OFFSETS, SERVICES, LocalStack, StackConfig
from service_runtime.testing import RealServers, delete_broker_namespace, real_servers, unique_name
from service_runtime.topology import Topology


def free_port_block(size: int) -> int:
    """The first of ``size`` consecutive free ports, away from the local stack's 8000s."""
    for base in range(21000, 40000, 10):
        sockets = []
        try:
            for port in range(base, base + size):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
        return base
    raise RuntimeError("no free port block")


@pytest.fixture(scope="session")
def servers() -> RealServers:
    return real_servers()


@pytest.fixture(scope="session")
def mail_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailSink]:
    sink = MailSink(tmp_path_factory.mktemp("mail"), port=0)
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def stack(
    servers: RealServers, mail_sink: MailSink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalStack]:
    run = unique_name("")
    config = StackConfig(
        database_prefix=f"t_e2e_{run}_",
        broker_namespace=f"e2e.{run}.",
        base_port=free_port_block(len(PORT_OFFSETS)),
        smtp_port=mail_sink.port,
        log_dir=Path(tmp_path_factory.mktemp("logs")),
        servers=servers,
        extra_env={"OUTBOX_POLL_INTERVAL": "0.5", "LOG_LEVEL": "INFO"},
    )
    local = LocalStack(config)
    local.create_databases()
    try:
        local.migrate()
        local.start()
        yield local
    finally:
        local.stop()
        local.drop_databases()
        asyncio.run(
            delete_broker_namespace(servers.amqp_url, Topology(config.broker_namespace), SERVICES)
        )
