"""Runs the five services as real processes against a real broker and database.

The local quick start and the end-to-end tests share it, so what a developer runs is what
the tests prove. Each stack has its own database names, broker namespace and ports, so a
test stack never touches the developer's data.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from devtools.mailsink import MailSink
from service_runtime.testing import (
    RealServers,
    delete_broker_namespace,
    real_servers,
    unique_name,
)
from service_runtime.topology import Topology

SERVICES = ("customers", "vouchers", "billing", "notifier", "gateway")
PORT_OFFSETS = {"gateway": 0, "customers": 1, "vouchers": 2, "billing": 3, "notifier": 4}


@dataclass
class StackConfig:
    """Where a stack's pieces live; defaults are the developer's local stack."""

    database_prefix: str = "clientele_"
    broker_namespace: str = ""
    base_port: int = 8000
    smtp_port: int = 1025
    log_dir: Path = Path("var/log")
    servers: RealServers = field(default_factory=RealServers.from_environment)
    extra_env: Mapping[str, str] = field(default_factory=dict)

    def database_name(self, service: str) -> str:
        return f"{self.database_prefix}{service}"

    def database_url(self, service: str) -> str:
        return self.servers.database_url(self.database_name(service))

    def port(self, service: str) -> int:
        return self.base_port + PORT_OFFSETS[service]

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port(service)}"

    def env(self, service: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "AMQP_URL": self.servers.amqp_url,
                "BROKER_NAMESPACE": self.broker_namespace,
                "DATABASE_URL": self.database_url(service),
                "HTTP_PORT": str(self.port(service)),
                "SMTP_PORT": str(self.smtp_port),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env


class LocalStack:
    """Create databases, migrate, start, stop and kill service processes."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def create_databases(self) -> None:
        servers, existing = self.config.servers, self.config.servers.database_names()
        for service in SERVICES:
            if self.config.database_name(service) not in existing:
                servers.create_database(self.config.database_name(service))

    def drop_databases(self) -> None:
        for service in SERVICES:
            self.config.servers.drop_database(self.config.database_name(service))

    def migrate(self) -> None:
        for service in SERVICES:
            subprocess.run(
                [sys.executable, "-m", service, "migrate"], env=self.config.env(service), check=True
            )

    def start(self, *services: str, timeout: float = 60.0) -> None:
        """Start services (all by default) and wait until each reports ready."""
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        for service in services or SERVICES:
            log = (self.config.log_dir / f"{service}.log").open("ab")
            self.processes[service] = subprocess.Popen(
                [sys.executable, "-m", service],
                env=self.config.env(service),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        for service in services or SERVICES:
            self.wait_ready(service, timeout)

    def wait_ready(self, service: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            process = self.processes.get(service)
            if process is not None and process.poll() is not None:
                raise RuntimeError(
                    f"{service} exited with {process.returncode}; see {self.config.log_dir}/{service}.log"
                )
            try:
                response = httpx.get(f"{self.config.url(service)}/health/ready", timeout=2)
                if response.status_code == 200:
                    return
                last = response.text
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(0.2)
        raise TimeoutError(f"{service} not ready after {timeout:g} s: {last}")

    def stop(self, *services: str, timeout: float = 30.0) -> None:
        """Graceful stop (SIGTERM): finish handlers in flight, flush the outbox."""
        for service in services or tuple(reversed(SERVICES)):
            process = self.processes.pop(service, None)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def kill(self, service: str) -> None:
        """Hard stop (SIGKILL): nothing is flushed, as when a node dies."""
        process = self.processes.pop(service)
        process.kill()
        process.wait()


@contextmanager
def throwaway_stack(
    base_port: int, *, log_level: str = "WARNING", extra_env: Mapping[str, str] | None = None
) -> Iterator[LocalStack]:
    """The five services started on databases, a broker namespace and ports of their own,
    with an SMTP sink; all removed afterwards, also on failure (benches use it)."""
    servers = real_servers()
    run = unique_name("")
    logs = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    sink = MailSink(logs / "mail", port=0)
    sink.start()
    config = StackConfig(
        database_prefix=f"bench_{run}_",
        broker_namespace=f"bench.{run}.",
        base_port=base_port,
        smtp_port=sink.port,
        log_dir=logs,
        servers=servers,
        extra_env={"LOG_LEVEL": log_level, **(extra_env or {})},
    )
    stack = LocalStack(config)
    stack.create_databases()
    try:
        stack.migrate()
        stack.start()
        yield stack
    finally:
        stack.stop()
        stack.drop_databases()
        sink.stop()
        asyncio.run(
            delete_broker_namespace(servers.amqp_url, Topology(config.broker_namespace), SERVICES)
        )
        print(f"logs: {logs}")
