"""Publishes committed outbox rows to RabbitMQ, then deletes them.

Safe with several replicas: each pass locks the rows it takes (``FOR UPDATE SKIP LOCKED``),
so two relays never publish the same row at once, and a row a crashed relay held is
unlocked when its transaction dies, so none is skipped. A row is deleted only after the
broker confirmed it; a crash between confirm and delete publishes it again, which the
consumers' inbox absorbs. Wakes on NOTIFY from the outbox trigger, and polls as a fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import aio_pika
import psycopg
import structlog
from aio_pika.abc import AbstractExchange, AbstractRobustConnection, DeliveryMode
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from service_runtime.pass_loop import repeat_passes
from service_runtime.tables import OUTBOX_CHANNEL, outbox

log = structlog.get_logger(__name__)


def libpq_url(sqlalchemy_url: str) -> str:
    """psycopg's own connect string from a SQLAlchemy URL."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


class OutboxRelay:
    """One background task per process; ``stop()`` runs a last pass so nothing waits for a restart."""

    def __init__(
        self,
        engine: AsyncEngine,
        amqp_url: str,
        exchange: str,
        *,
        batch_size: int = 200,
        poll_interval: float = 1.0,
    ) -> None:
        self.engine = engine
        self.amqp_url = amqp_url
        self.exchange_name = exchange
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._connection: AbstractRobustConnection | None = None
        self._exchange: AbstractExchange | None = None
        self.published = 0

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        self._exchange = await channel.get_exchange(self.exchange_name, ensure=False)
        self._stopping.clear()
        self._tasks = [
            asyncio.create_task(self._run(), name="outbox-relay"),
            asyncio.create_task(self._listen(), name="outbox-listen"),
        ]

    async def stop(self) -> None:
        """Stop waking, publish what is left once, close the connection."""
        self._stopping.set()
        self._wake.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        try:
            while await self.publish_batch() == self.batch_size:
                pass
        except Exception:
            log.exception("outbox_final_flush_failed")
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @property
    def running(self) -> bool:
        return bool(self._tasks) and not any(t.done() for t in self._tasks)

    async def publish_batch(self) -> int:
        """Publish up to ``batch_size`` rows and delete them, in one transaction; returns the count."""
        if self._exchange is None:
            raise RuntimeError("relay not started")
        exchange = self._exchange
        async with self.engine.begin() as conn:
            rows = (
                await conn.execute(
                    select(
                        outbox.c.id,
                        outbox.c.message_id,
                        outbox.c.routing_key,
                        outbox.c.message_type,
                        outbox.c.correlation_id,
                        outbox.c.payload,
                    )
                    .order_by(outbox.c.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            await asyncio.gather(*(self._publish(exchange, row) for row in rows))
            await conn.execute(delete(outbox).where(outbox.c.id.in_([r.id for r in rows])))
        self.published += len(rows)
        return len(rows)

    @staticmethod
    async def _publish(exchange: AbstractExchange, row: Any) -> None:
        await exchange.publish(
            aio_pika.Message(
                body=row.payload.encode(),
                content_type="application/json",
                delivery_mode=DeliveryMode.PERSISTENT,
                message_id=str(row.message_id),
                correlation_id=str(row.correlation_id),
                type=row.message_type,
            ),
            routing_key=row.routing_key,
            mandatory=True,
        )

    async def _run(self) -> None:
        await repeat_passes(
            self.publish_batch,
            name="outbox_relay",
            batch_size=self.batch_size,
            poll_interval=self.poll_interval,
            wake=self._wake,
            stopping=self._stopping,
        )

    async def _listen(self) -> None:
        """Set the wake flag on each NOTIFY; reconnect quietly (polling covers the gap)."""
        url = libpq_url(self.engine.url.render_as_string(hide_password=False))
        while not self._stopping.is_set():
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {OUTBOX_CHANNEL}")
                    async for _ in conn.notifies():
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.info("outbox_listen_reconnecting", exc_info=True)
                await asyncio.sleep(self.poll_interval)
