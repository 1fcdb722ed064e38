"""Test support every service's tests share: real servers, throwaway databases, namespaces.

Servers come from ``AMQP_URL`` / ``ADMIN_DATABASE_URL`` when set; otherwise from
testcontainers when a Docker engine answers; otherwise from the local defaults.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import psycopg

LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_ADMIN_DB = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class RealServers:
    amqp_url: str
    admin_database_url: str

    def database_url(self, name: str) -> str:
        """SQLAlchemy URL of database ``name`` on the same server."""
        server = self.admin_database_url.rsplit("/", 1)[0]
        return f"{server.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return (
            subprocess.run(
                ["docker", "info"], capture_output=True, timeout=10, check=False
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


@cache
def real_servers() -> RealServers:
    """The broker and database server every test of this run uses."""
    amqp, admin = os.environ.get("AMQP_URL"), os.environ.get("ADMIN_DATABASE_URL")
    if amqp and admin:
        return RealServers(amqp, admin)
    if _docker_answers():  # pragma: no cover - no Docker engine on our machines
        from testcontainers.postgres import PostgresContainer
        from testcontainers.rabbitmq import RabbitMqContainer

        rabbit = RabbitMqContainer("rabbitmq:3.13-management").start()
        postgres = PostgresContainer("postgres:15", driver=None).start()
        params = rabbit.get_connection_params()
        amqp = f"amqp://guest:guest@{params.host}:{params.port}/"
        return RealServers(amqp, postgres.get_connection_url())
    return RealServers(amqp or LOCAL_AMQP, admin or LOCAL_ADMIN_DB)


def unique_name(prefix: str) -> str:
    """A name no other test run uses, e.g. for a broker namespace or a database."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@contextlib.contextmanager
def throwaway_database(servers: RealServers, prefix: str = "t_") -> Iterator[str]:
    """Create an empty database, yield its SQLAlchemy URL, drop it afterwards."""
    name = unique_name(prefix)
    with psycopg.connect(servers.admin_database_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield servers.database_url(name)
    finally:
        with psycopg.connect(servers.admin_database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
