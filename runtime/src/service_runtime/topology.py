"""Names and declarations of every exchange and queue, in one place.

* ``clientele.events`` (topic): every event, routing key = the event's ``ROUTING_KEY``.
  Its alternate exchange parks events no queue is bound to in ``clientele.unrouted``,
  so an event published before its consumer is deployed is kept, not dropped.
* ``clientele.commands`` (direct): commands to a service; an unroutable command raises
  at once in the caller (no alternate exchange).
* ``<service>.events`` / ``<service>.commands``: durable quorum queues, one each per
  consuming service, bound with the exact routing keys the service handles.
* ``clientele.dead-letters`` (direct) and ``<queue>.dlq``: where a message goes after
  ``delivery_limit`` failed deliveries, or at once when it is malformed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, ExchangeType
from faststream.rabbit import QueueType, RabbitExchange, RabbitQueue

EVENTS = "clientele.events"
COMMANDS = "clientele.commands"
UNROUTED = "clientele.unrouted"
DEAD_LETTERS = "clientele.dead-letters"


@dataclass(frozen=True)
class Topology:
    """Names under one namespace (tests use a unique namespace per run)."""

    namespace: str = ""
    delivery_limit: int = 5

    def name(self, base: str) -> str:
        return f"{self.namespace}{base}"

    @property
    def events_exchange(self) -> str:
        return self.name(EVENTS)

    @property
    def commands_exchange(self) -> str:
        return self.name(COMMANDS)

    @property
    def dead_letter_exchange(self) -> str:
        return self.name(DEAD_LETTERS)

    def queue_name(self, service: str, kind: str) -> str:
        return self.name(f"{service}.{kind}")

    def dead_letter_queue_name(self, queue: str) -> str:
        return f"{queue}.dlq"

    def queue_arguments(self, queue: str) -> dict[str, Any]:
        """Quorum queue with bounded redelivery and at-least-once dead-lettering."""
        return {
            "x-queue-type": "quorum",
            "x-delivery-limit": self.delivery_limit,
            "x-dead-letter-exchange": self.dead_letter_exchange,
            "x-dead-letter-routing-key": queue,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }

    def faststream_queue(self, queue: str) -> RabbitQueue:
        """The queue as FastStream sees it: declared already by :func:`declare`, so passive."""
        return RabbitQueue(queue, queue_type=QueueType.QUORUM, declare=False)

    def faststream_exchange(self, name: str) -> RabbitExchange:
        return RabbitExchange(name, declare=False)


async def declare_base(channel: AbstractChannel, topology: Topology) -> None:
    """Exchanges every service relies on; idempotent, so each service declares them."""
    unrouted = await channel.declare_exchange(
        topology.name(UNROUTED), ExchangeType.FANOUT, durable=True
    )
    unrouted_queue = await channel.declare_queue(
        topology.name(UNROUTED), durable=True, arguments={"x-queue-type": "quorum"}
    )
    await unrouted_queue.bind(unrouted)
    await channel.declare_exchange(
        topology.events_exchange,
        ExchangeType.TOPIC,
        durable=True,
        arguments={"alternate-exchange": topology.name(UNROUTED)},
    )
    await channel.declare_exchange(topology.commands_exchange, ExchangeType.DIRECT, durable=True)
    await channel.declare_exchange(topology.dead_letter_exchange, ExchangeType.DIRECT, durable=True)


async def declare_queue(
    channel: AbstractChannel, topology: Topology, queue: str, exchange: str, keys: Iterable[str]
) -> None:
    """A service queue with its dead-letter queue, bound with each routing key."""
    dlq = await channel.declare_queue(
        topology.dead_letter_queue_name(queue), durable=True, arguments={"x-queue-type": "quorum"}
    )
    await dlq.bind(topology.dead_letter_exchange, routing_key=queue)
    declared = await channel.declare_queue(
        queue, durable=True, arguments=topology.queue_arguments(queue)
    )
    for key in keys:
        await declared.bind(exchange, routing_key=key)


async def declare(
    amqp_url: str,
    topology: Topology,
    queues: Iterable[tuple[str, str, Iterable[str]]],
) -> None:
    """Declare the base exchanges and ``(queue, exchange, routing keys)`` before consuming."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        await declare_base(channel, topology)
        for queue, exchange, keys in queues:
            await declare_queue(channel, topology, queue, exchange, keys)
    finally:
        await connection.close()
