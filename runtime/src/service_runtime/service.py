"""Everything one service process runs besides its handlers, wired from its settings.

``ServiceRuntime`` owns the engine, the FastStream broker with the service's subscribers,
the outbox relay, an optional request/reply client and extra background workers. The
worker services run it inside FastStream's ASGI app; the gateway inside FastAPI's lifespan.
Nothing connects until ``start()``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, Union

import structlog
from faststream import AckPolicy
from faststream.rabbit import RabbitBroker
from faststream.rabbit.schemas import Channel
from faststream.rabbit.subscriber import RabbitSubscriber
from pydantic import Field

from contracts.base import Command, Event
from service_runtime import topology as topo
from service_runtime.database import (
    UnitOfWork,
    database_reachable,
    make_engine,
    make_read_session_factory,
    make_session_factory,
)
from service_runtime.handling import (
    CommandDispatcher,
    CommandHandler,
    EventDispatcher,
    EventHandler,
)
from service_runtime.logs import configure_logging
from service_runtime.outbox_relay import OutboxRelay
from service_runtime.rpc_client import RpcClient
from service_runtime.settings import ServiceSettings

log = structlog.get_logger(__name__)


class BackgroundWorker(Protocol):
    """A long-running task of a service (e.g. the notifier's mail delivery)."""

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    @property
    def running(self) -> bool: ...


BackgroundFactory = Callable[["ServiceRuntime"], BackgroundWorker]
"""Builds a worker from the runtime it runs in (e.g. to share ``runtime.engine``)."""


@dataclass
class Handlers:
    """What a service consumes: events it reacts to, commands it answers, events it emits."""

    events: Mapping[type[Event], EventHandler] = field(default_factory=dict)
    commands: Mapping[type[Command], CommandHandler] = field(default_factory=dict)
    emits: Sequence[type[Event]] = ()
    sends: Sequence[type[Command]] = ()


def payload_type(types: Sequence[type[Any]]) -> Any:
    """One model, or a union of models told apart by their ``type`` field."""
    if len(types) == 1:
        return types[0]
    return Annotated[Union[tuple(types)], Field(discriminator="type")]  # noqa: UP007


class ServiceRuntime:
    def __init__(
        self,
        settings: ServiceSettings,
        handlers: Handlers,
        *,
        background: Sequence[BackgroundFactory] = (),
        rpc_timeout: float | None = None,
    ) -> None:
        self.settings = settings
        self.handlers = handlers
        self.topology = topo.Topology(settings.broker_namespace, settings.delivery_limit)
        self.engine = make_engine(
            settings.resolved_database_url(),
            pool_size=settings.db_pool_size,
            pre_ping=settings.db_pre_ping,
        )
        self.sessions = make_session_factory(self.engine)
        self.read_sessions = make_read_session_factory(self.engine)
        self.broker = RabbitBroker(
            settings.amqp_url,
            default_channel=Channel(prefetch_count=settings.prefetch_count, on_return_raises=True),
            graceful_timeout=settings.graceful_timeout,
            # Errors still reach our log; per-message access lines go to DEBUG, which
            # the default level drops cheaply (STACK.md: access logging costs ~120 us a message).
            logger=logging.getLogger("faststream"),
            log_level=logging.DEBUG,
            app_id=settings.service_name,
            description=f"The {settings.service_name} service's queues and messages.",
        )
        self.subscribers: list[RabbitSubscriber] = []
        self.event_dispatcher: EventDispatcher | None = None
        self.relay = OutboxRelay(
            self.engine,
            settings.amqp_url,
            self.topology.events_exchange,
            batch_size=settings.outbox_batch_size,
            poll_interval=settings.outbox_poll_interval,
        )
        self.rpc: RpcClient | None = (
            RpcClient(
                settings.amqp_url,
                self.topology.commands_exchange,
                reply_queue_prefix=self.topology.name(f"{settings.service_name}.replies"),
                timeout=rpc_timeout,
            )
            if rpc_timeout
            else None
        )
        self._register_subscribers()
        self._document_publishers()
        # Last: factories see a fully wired runtime (engine, sessions, broker, relay).
        self.background: list[BackgroundWorker] = [build(self) for build in background]

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def read_unit_of_work(self) -> UnitOfWork:
        """For queries (READ_ONLY commands): autocommit, nothing to commit or roll back."""
        return UnitOfWork(self.read_sessions)

    # -- wiring -----------------------------------------------------------------------

    def _queues(self) -> list[tuple[str, str, list[str]]]:
        name = self.settings.service_name
        queues = []
        if self.handlers.events:
            queues.append(
                (
                    self.topology.queue_name(name, "events"),
                    self.topology.events_exchange,
                    [t.ROUTING_KEY for t in self.handlers.events],
                )
            )
        if self.handlers.commands:
            queues.append(
                (
                    self.topology.queue_name(name, "commands"),
                    self.topology.commands_exchange,
                    [t.ROUTING_KEY for t in self.handlers.commands],
                )
            )
        return queues

    def _register_subscribers(self) -> None:
        name = self.settings.service_name
        if self.handlers.events:
            self.event_dispatcher = EventDispatcher(
                name,
                self.handlers.events,
                self.unit_of_work,
                max_batch=self.settings.prefetch_count,
            )
            self._consume_events(self.event_dispatcher)
        if self.handlers.commands:
            commands = CommandDispatcher(
                name, self.handlers.commands, self.unit_of_work, read_uow=self.read_unit_of_work
            )
            self.subscribers.append(
                self._subscribe(
                    self.topology.queue_name(name, "commands"),
                    self.topology.commands_exchange,
                    list(self.handlers.commands),
                    commands.handle,
                    reply=True,
                    description=f"Commands the {name} service answers (request/reply).",
                )
            )

    def _consume_events(self, dispatcher: EventDispatcher) -> None:
        """Feed the events queue to ``dispatcher`` through a FastStream subscriber."""
        name = self.settings.service_name
        self.subscribers.append(
            self._subscribe(
                self.topology.queue_name(name, "events"),
                self.topology.events_exchange,
                list(self.handlers.events),
                dispatcher.handle,
                reply=False,
                description=f"Events the {name} service reacts to.",
            )
        )

    def _subscribe(
        self,
        queue: str,
        exchange: str,
        types: list[type[Any]],
        handle: Any,
        *,
        reply: bool,
        description: str,
    ) -> RabbitSubscriber:
        async def consume(message: Any) -> Any:
            return await handle(message)

        consume.__annotations__ = {"message": payload_type(types), "return": Any}
        subscriber = self.broker.subscriber(
            self.topology.faststream_queue(queue),
            self.topology.faststream_exchange(exchange),
            ack_policy=AckPolicy.NACK_ON_ERROR,
            no_reply=not reply,
            title=queue,
            description=description,
        )
        subscriber(consume)
        return subscriber

    def _document_publishers(self) -> None:
        """Publishers exist for AsyncAPI only: events leave through the outbox relay."""
        for event in self.handlers.emits:
            self.broker.publisher(
                exchange=self.topology.faststream_exchange(self.topology.events_exchange),
                routing_key=event.ROUTING_KEY,
                schema=event,
                title=f"{self.topology.events_exchange}:{event.ROUTING_KEY}",
                description=event.__doc__,
                persist=True,
            )
        for command in self.handlers.sends:
            self.broker.publisher(
                exchange=self.topology.faststream_exchange(self.topology.commands_exchange),
                routing_key=command.ROUTING_KEY,
                schema=command,
                title=f"{self.topology.commands_exchange}:{command.ROUTING_KEY}",
                description=command.__doc__,
                persist=True,
            )

    # -- lifecycle --------------------------------------------------------------------

    async def prepare(self) -> None:
        """Before the broker consumes: logging and the queues it will consume from."""
        s = self.settings
        configure_logging(s.service_name, s.log_level, json=s.log_json)
        await topo.declare(s.amqp_url, self.topology, self._queues())

    async def start_background(self) -> None:
        """After the broker consumes: relay, request/reply client, workers."""
        await self.relay.start()
        if self.rpc is not None:
            await self.rpc.start()
        for worker in self.background:
            await worker.start()
        log.info("service_started")

    async def finish(self) -> None:
        """After the broker stopped consuming and handlers in flight ended: flush and close."""
        if self.event_dispatcher is not None:
            await self.event_dispatcher.close()
        for worker in self.background:
            await worker.stop()
        if self.rpc is not None:
            await self.rpc.stop()
        await self.relay.stop()
        await self.engine.dispose()
        log.info("service_stopped")

    async def start(self) -> None:
        await self.prepare()
        await self.broker.start()
        await self.start_background()

    async def stop(self) -> None:
        await self.broker.stop()
        await self.finish()

    # -- health -----------------------------------------------------------------------

    async def readiness(self) -> dict[str, bool]:
        """Broker connected, every consumer attached, database reachable, workers alive."""
        broker_ok, db_ok = await asyncio.gather(
            self.broker.ping(timeout=2.0), database_reachable(self.engine)
        )
        checks = {
            "broker": bool(broker_ok),
            "consumers": all(s.running for s in self.subscribers),
            "database": db_ok,
            "outbox_relay": self.relay.running,
        }
        if self.rpc is not None:
            checks["rpc_client"] = self.rpc.connected
        if self.background:
            checks["workers"] = all(w.running for w in self.background)
        return checks
