"""Request/reply over RabbitMQ for many concurrent callers.

FastStream's ``broker.request()`` serialises all requests of a broker behind one lock
(STACK.md); this client has one reply queue per process and a map from correlation id to
the waiting future, so a thousand HTTP requests wait side by side.
"""

from __future__ import annotations

import asyncio
import functools
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
    DeliveryMode,
)
from pydantic import BaseModel

from contracts.base import Command, CommandError, Reply

ResultT = TypeVar("ResultT", bound=BaseModel)


class RpcTimeout(Exception):
    """The service did not answer within the timeout."""


class RpcRefused(Exception):
    """The service answered with a typed error."""

    def __init__(self, error: CommandError) -> None:
        super().__init__(error.detail or error.title)
        self.error = error


class RpcClient:
    """Sends commands to ``clientele.commands`` and waits for their replies."""

    def __init__(
        self, amqp_url: str, exchange: str, *, reply_queue_prefix: str, timeout: float = 10.0
    ) -> None:
        self.amqp_url = amqp_url
        self.exchange_name = exchange
        self.reply_queue_name = f"{reply_queue_prefix}.{uuid.uuid4().hex}"
        self.timeout = timeout
        self._pending: dict[str, asyncio.Future[bytes]] = {}
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._queue: AbstractQueue | None = None

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        self._channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        self._exchange = await self._channel.get_exchange(self.exchange_name, ensure=False)
        self._queue = await self._channel.declare_queue(
            self.reply_queue_name, exclusive=True, auto_delete=True
        )
        await self._queue.consume(self._on_reply, no_ack=True)

    async def stop(self) -> None:
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @property
    def connected(self) -> bool:
        return self._connection is not None and not self._connection.is_closed

    async def call(
        self, command: Command, result_type: type[ResultT], *, wait_seconds: float | None = None
    ) -> ResultT:
        """Send ``command`` and return its typed result, or raise RpcRefused / RpcTimeout.

        The reply is parsed and validated from its bytes in one pass (pydantic-core), which
        costs about half of ``json.loads`` followed by validation for a 20-line priced cart.
        """
        body = await self._send(command, wait_seconds)
        reply: Reply[ResultT] = _reply_type(result_type).model_validate_json(body)
        if not reply.ok or reply.result is None:
            raise RpcRefused(reply.error or _missing_error())
        return reply.result

    async def call_json(
        self, command: Command, *, wait_seconds: float | None = None
    ) -> dict[str, Any]:
        """The result as the service wrote it (JSON), for callers that only pass it on."""
        reply = json.loads(await self._send(command, wait_seconds))
        if not reply.get("ok"):
            raise RpcRefused(CommandError.model_validate(reply["error"]))
        result: dict[str, Any] = reply["result"]
        return result

    async def _send(self, command: Command, wait_seconds: float | None) -> bytes:
        """Publish ``command`` and wait for the raw reply body."""
        if self._exchange is None:
            raise RuntimeError("RpcClient.start() was not awaited")
        wait = wait_seconds or self.timeout
        command = command.model_copy(
            update={"deadline": datetime.now(UTC) + timedelta(seconds=wait)}
        )
        key = str(command.message_id)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            await self._exchange.publish(
                aio_pika.Message(
                    body=command.model_dump_json().encode(),
                    content_type="application/json",
                    delivery_mode=DeliveryMode.PERSISTENT,
                    correlation_id=key,
                    message_id=key,
                    reply_to=self.reply_queue_name,
                    expiration=timedelta(seconds=wait),
                    type=type(command).__name__,
                ),
                routing_key=command.ROUTING_KEY,
                mandatory=True,
            )
            return await asyncio.wait_for(future, wait)
        except TimeoutError as exc:
            raise RpcTimeout(f"{type(command).__name__} got no answer within {wait:g} s") from exc
        finally:
            self._pending.pop(key, None)

    async def _on_reply(self, message: AbstractIncomingMessage) -> None:
        future = self._pending.get(message.correlation_id or "")
        if future is None or future.done():
            return
        future.set_result(message.body)


@functools.cache
def _reply_type(result_type: type[ResultT]) -> type[Reply[ResultT]]:
    return Reply[result_type]  # type: ignore[valid-type]


def _missing_error() -> CommandError:
    return CommandError(
        code="malformed_reply", status=502, title="The service answered without a result"
    )
