"""Bench-only copies of runtime changes, to measure them before anyone edits ``runtime/``.

Each is a subclass or a small function next to the runtime's own code; nothing here is
imported by the services. ``outbox_vs_raw.py --changes ...`` switches them on:

* ``noping``: engines without ``pool_pre_ping`` (one round trip less per transaction).
* ``aiopika``: events are consumed by :class:`AioPikaEventConsumer` (plain aio-pika, same
  queue, prefetch and ack-after-commit) instead of a FastStream subscriber, to measure what
  the FastStream layer costs per message.

Group commit in ``EventDispatcher`` and the relay's prompt wake-up were measured here first
and are now part of the runtime itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import aio_pika
import structlog
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import create_async_engine

from contracts.base import Event
from service_runtime.database import make_session_factory
from service_runtime.handling import EventDispatcher
from service_runtime.service import Handlers, ServiceRuntime, payload_type
from service_runtime.settings import ServiceSettings

log = structlog.get_logger("service_runtime.handling")

CHANGES = ("noping", "aiopika")


class VariantRuntime(ServiceRuntime):
    """:class:`ServiceRuntime` with some of the bench copies switched on; with no changes it
    is the runtime itself (nothing below runs)."""

    def __init__(
        self, settings: ServiceSettings, handlers: Handlers, changes: Sequence[str] = ()
    ) -> None:
        unknown = set(changes) - set(CHANGES)
        if unknown:
            raise ValueError(f"unknown changes {sorted(unknown)}; known: {CHANGES}")
        self.changes = tuple(changes)
        self._event_consumer: AioPikaEventConsumer | None = None
        super().__init__(settings, handlers)
        s = settings
        if "noping" in self.changes:
            self.engine = create_async_engine(
                s.resolved_database_url(), pool_size=s.db_pool_size, max_overflow=s.db_pool_size
            )
            self.sessions = make_session_factory(self.engine)
            self.relay.engine = self.engine

    def _consume_events(self, dispatcher: EventDispatcher) -> None:
        """The runtime's own wiring, except that events may bypass FastStream (``aiopika``)."""
        if "aiopika" not in self.changes:
            super()._consume_events(dispatcher)
            return
        self._event_consumer = AioPikaEventConsumer(
            self.settings.amqp_url,
            self.topology.queue_name(self.settings.service_name, "events"),
            list(self.handlers.events),
            dispatcher,
            prefetch=self.settings.prefetch_count,
        )

    async def start_background(self) -> None:
        if self._event_consumer is not None:
            await self._event_consumer.start()
        await super().start_background()

    async def stop(self) -> None:
        if self._event_consumer is not None:
            await self._event_consumer.stop()
        await super().stop()


class AioPikaEventConsumer:
    """Events straight from aio-pika to the dispatcher, without FastStream: the body is
    validated with the same pydantic model (union) FastStream would use; ack after the
    dispatcher returned (its transaction committed), nack with requeue on error, as
    ``AckPolicy.NACK_ON_ERROR`` does."""

    def __init__(
        self,
        amqp_url: str,
        queue: str,
        types: list[type[Event]],
        dispatcher: EventDispatcher,
        *,
        prefetch: int,
    ) -> None:
        self.amqp_url = amqp_url
        self.queue = queue
        self.adapter: TypeAdapter[Event] = TypeAdapter(payload_type(types))
        self.dispatcher = dispatcher
        self.prefetch = prefetch
        self._connection: AbstractRobustConnection | None = None

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        queue = await channel.get_queue(self.queue, ensure=False)
        await queue.consume(self._on_message)

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        try:
            await self.dispatcher.handle(self.adapter.validate_json(message.body))
        except Exception:
            await message.nack(requeue=True)
        else:
            await message.ack()
