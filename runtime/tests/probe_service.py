"""A tiny service used to test the runtime against the real broker and database."""

from __future__ import annotations

import asyncio
import json
from typing import ClassVar, Literal
from uuid import UUID

import aio_pika
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, Table, Uuid, create_engine, insert, text

from contracts.base import Command, CommandError, Event
from service_runtime.database import UnitOfWork
from service_runtime.handling import CommandRefused
from service_runtime.migration_ops import OUTBOX_TRIGGER_DDL, sync_url
from service_runtime.service import Handlers, ServiceRuntime
from service_runtime.settings import ServiceSettings
from service_runtime.tables import runtime_metadata


class Ping(Event):
    """A test event; ``fail`` makes its handler raise every time."""

    OWNER: ClassVar[str] = "probe"
    ROUTING_KEY: ClassVar[str] = "probe.ping.v1"
    type: Literal["Ping"] = "Ping"
    version: Literal[1] = 1
    n: int
    fail: bool = False
    delay: float = 0.0
    echo: bool = False


class Echo(Command):
    """A test command: answers with its text after ``delay`` seconds, or refuses."""

    OWNER: ClassVar[str] = "probe"
    ROUTING_KEY: ClassVar[str] = "probe.echo.v1"
    type: Literal["Echo"] = "Echo"
    version: Literal[1] = 1
    text: str
    delay: float = 0.0
    refuse: bool = False


class Peek(Echo):
    """The same, as a query: answered without the inbox."""

    READ_ONLY: ClassVar[bool] = True
    ROUTING_KEY: ClassVar[str] = "probe.peek.v1"
    type: Literal["Peek"] = "Peek"  # type: ignore[assignment]


class Echoed(BaseModel):
    text: str


async def echo(command: Echo, uow: UnitOfWork) -> Echoed:
    await asyncio.sleep(command.delay)
    if command.refuse:
        raise CommandRefused(
            CommandError(code="refused", status=409, title="Refused", detail=command.text)
        )
    return Echoed(text=command.text)


metadata = MetaData()
effects = Table(
    "effects",
    metadata,
    Column("message_id", Uuid, nullable=False),
    Column("n", Integer, nullable=False),
)


def create_schema(database_url: str) -> None:
    engine = create_engine(sync_url(database_url))
    with engine.begin() as conn:
        runtime_metadata.create_all(conn)
        metadata.create_all(conn)
        for statement in OUTBOX_TRIGGER_DDL:
            conn.execute(text(statement))
    engine.dispose()


async def record_ping(event: Ping, uow: UnitOfWork) -> None:
    """Records the ping; ``delay`` makes it slow, ``echo`` makes it emit a follow-up ping."""
    if event.fail:
        raise RuntimeError(f"ping {event.n} always fails")
    await asyncio.sleep(event.delay)
    await uow.session.execute(insert(effects).values(message_id=event.message_id, n=event.n))
    if event.echo:
        uow.emit(Ping.caused_by(event, n=-event.n))


def probe_runtime(
    database_url: str, amqp_url: str, namespace: str, *, delivery_limit: int = 3, prefetch: int = 32
) -> ServiceRuntime:
    settings = ServiceSettings(
        service_name="probe",
        database_url=database_url,
        amqp_url=amqp_url,
        broker_namespace=namespace,
        delivery_limit=delivery_limit,
        prefetch_count=prefetch,
        outbox_poll_interval=0.2,
        log_json=False,
    )
    handlers = Handlers(
        events={Ping: record_ping}, commands={Echo: echo, Peek: echo}, emits=(Ping,)
    )
    return ServiceRuntime(settings, handlers, rpc_timeout=5.0)


async def publish(amqp_url: str, exchange: str, event: Event) -> None:
    """Publish straight to the broker, as a second copy of a relay would."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        target = await channel.get_exchange(exchange, ensure=False)
        await target.publish(
            aio_pika.Message(
                event.model_dump_json().encode(),
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=str(event.message_id),
            ),
            routing_key=event.ROUTING_KEY,
            mandatory=True,
        )


async def drain(amqp_url: str, queue: str) -> list[dict[str, object]]:
    """Take every message waiting in ``queue`` (e.g. a dead-letter queue)."""
    found = []
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        q = await channel.get_queue(queue, ensure=True)
        while (message := await q.get(fail=False, no_ack=True)) is not None:
            found.append({"body": json.loads(message.body), "headers": dict(message.headers)})
    return found


def message_ids(rows: list[tuple[UUID, int]]) -> list[UUID]:
    return [r[0] for r in rows]
