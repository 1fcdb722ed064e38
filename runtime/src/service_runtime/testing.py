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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import aio_pika
import psycopg
from aio_pika.exceptions import ChannelClosed
from psycopg import sql

from service_runtime.migration_ops import upgrade
from service_runtime.topology import DEAD_LETTERS, UNROUTED, Topology

LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_ADMIN_DB = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class RealServers:
    """A RabbitMQ and a PostgreSQL server, and the databases we make on the latter."""

    amqp_url: str
    admin_database_url: str

    @classmethod
    def from_environment(cls) -> RealServers:
        """``AMQP_URL`` / ``ADMIN_DATABASE_URL``, else the local servers."""
        return cls(
            os.environ.get("AMQP_URL", LOCAL_AMQP),
            os.environ.get("ADMIN_DATABASE_URL", LOCAL_ADMIN_DB),
        )

    def database_url(self, name: str) -> str:
        """SQLAlchemy URL of database ``name`` on the same server."""
        server = self.admin_database_url.rsplit("/", 1)[0]
        return f"{server.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"

    def database_names(self) -> set[str]:
        with psycopg.connect(self.admin_database_url, autocommit=True) as conn:
            return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}

    def create_database(self, name: str, template: str | None = None) -> None:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with psycopg.connect(self.admin_database_url, autocommit=True) as conn:
            conn.execute(statement)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin_database_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


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
    if os.environ.get("AMQP_URL") and os.environ.get("ADMIN_DATABASE_URL"):
        return RealServers.from_environment()
    if _docker_answers():  # pragma: no cover - no Docker engine on our machines
        from testcontainers.postgres import PostgresContainer
        from testcontainers.rabbitmq import RabbitMqContainer

        rabbit = RabbitMqContainer("rabbitmq:3.13-management").start()
        postgres = PostgresContainer("postgres:15", driver=None).start()
        params = rabbit.get_connection_params()
        amqp = f"amqp://guest:guest@{params.host}:{params.port}/"
        return RealServers(amqp, postgres.get_connection_url())
    return RealServers.from_environment()


def unique_name(prefix: str) -> str:
    """A name no other test run uses, e.g. for a broker namespace or a database."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@contextlib.contextmanager
def throwaway_database(
    servers: RealServers, prefix: str = "t_", *, template: str | None = None
) -> Iterator[str]:
    """Create a database (empty, or a copy of ``template``), yield its SQLAlchemy URL, drop it."""
    name = unique_name(prefix)
    servers.create_database(name, template)
    try:
        yield servers.database_url(name)
    finally:
        servers.drop_database(name)


@contextlib.contextmanager
def migrated_template(
    servers: RealServers, migrations_dir: Path, prefix: str = "t_"
) -> Iterator[str]:
    """Create a database, migrate it to head, yield its *name* (for ``template=``), drop it.

    Nothing may stay connected to a template while it is copied: use it only as a template.
    """
    name = unique_name(prefix)
    servers.create_database(name)
    try:
        upgrade(migrations_dir, servers.database_url(name))
        yield name
    finally:
        servers.drop_database(name)


async def delete_broker_namespace(
    amqp_url: str, topology: Topology, services: Iterable[str]
) -> None:
    """Delete the queues and exchanges a test declared, so test runs leave no quorum queues behind."""
    queues = [topology.name(UNROUTED)]
    for service in services:
        for kind in ("events", "commands"):
            name = topology.queue_name(service, kind)
            queues += [name, topology.dead_letter_queue_name(name)]
    exchanges = [
        topology.events_exchange,
        topology.commands_exchange,
        topology.name(UNROUTED),
        topology.name(DEAD_LETTERS),
    ]
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in queues:
            try:
                await channel.queue_delete(queue)
            except ChannelClosed:  # never declared (e.g. a service without commands)
                channel = await connection.channel()
        for exchange in exchanges:
            try:
                await channel.exchange_delete(exchange)
            except ChannelClosed:
                channel = await connection.channel()
