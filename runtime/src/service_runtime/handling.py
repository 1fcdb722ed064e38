"""Turns delivered messages into handler calls: inbox, unit of work, retries, replies.

Retry policy (documented in the README too):

1. A database or network failure inside a handler is retried in place with exponential
   backoff (0.1 s doubling to 5 s) for up to ``TRANSIENT_RETRY_SECONDS``: a database
   restart does not burn the message's deliveries.
2. Any other failure, or a transient one that outlasts that, nacks the message; the quorum
   queue redelivers it up to ``delivery_limit`` times, then dead-letters it to ``<queue>.dlq``.
3. A message that does not match its contract fails the same way and ends in the
   dead-letter queue after ``delivery_limit`` deliveries, logged with the validation error.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

import structlog
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_delay,
    wait_exponential,
)

from contracts.base import Command, CommandError, Event, Message
from service_runtime import inbox
from service_runtime.database import UnitOfWork

log = structlog.get_logger(__name__)

TRANSIENT_RETRY_SECONDS = 60.0

E = TypeVar("E", bound=Event)
C = TypeVar("C", bound=Command)

EventHandler = Callable[[Any, UnitOfWork], Awaitable[None]]
CommandHandler = Callable[[Any, UnitOfWork], Awaitable[BaseModel]]
UnitOfWorkFactory = Callable[[], UnitOfWork]


class CommandRefused(Exception):
    """Raised by a command handler to answer with a typed error; nothing it did is kept."""

    def __init__(self, error: CommandError, *, keep_changes: bool = False) -> None:
        super().__init__(error.detail or error.title)
        self.error = error
        self.keep_changes = keep_changes
        """Commit what the handler did before refusing (e.g. counting a wrong code)."""


def is_transient(exc: BaseException) -> bool:
    """Failures that another try may fix: the database or the network was away."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | ConnectionError | TimeoutError)


def retrying() -> AsyncRetrying:
    return AsyncRetrying(
        retry=retry_if_exception(is_transient),
        wait=wait_exponential(multiplier=0.1, max=5),
        stop=stop_after_delay(TRANSIENT_RETRY_SECONDS),
        reraise=True,
    )


class EventDispatcher:
    """Hands each event to its handler exactly once per consumer (inbox in the same transaction).

    Group commit: the deliveries a consumer holds at once (up to its prefetch) share one
    transaction: one multi-row inbox claim, the handlers in arrival order, one commit; each
    delivery is acknowledged only after that commit. If any handler of a batch fails, the
    batch is rolled back and each of its events runs alone, so only the bad one fails.
    A handler must therefore let database errors propagate, never swallow them.
    """

    def __init__(
        self,
        consumer: str,
        handlers: Mapping[type[Event], EventHandler],
        uow: UnitOfWorkFactory,
        *,
        max_batch: int = 100,
    ) -> None:
        self.consumer = consumer
        self.handlers = dict(handlers)
        self.uow = uow
        self.max_batch = max_batch
        self._pending: list[tuple[Event, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def handle(self, event: Event) -> None:
        """Returns once the event's effects are committed (or were committed before)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((event, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await done

    async def close(self) -> None:
        """Cancel a batch still running after shutdown stopped waiting for it (it rolls back,
        and its deliveries, never acknowledged, come back later)."""
        if self._flusher is not None and not self._flusher.done():
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher

    async def _flush(self) -> None:
        while self._pending:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
            await self._run_batch(batch)

    async def _run_batch(self, batch: list[tuple[Event, asyncio.Future[None]]]) -> None:
        events = [event for event, _ in batch]
        try:
            async for attempt in retrying():
                with attempt:
                    async with self.uow() as uow:
                        claimed = await inbox.claim_many(uow.session, self.consumer, events)
                        fresh = _first_copies(events, claimed)
                        for index in sorted(fresh):
                            event = events[index]
                            with _logging_context(event):
                                await self.handlers[type(event)](event, uow)
                        await uow.commit()
        except Exception as exc:
            if len(batch) == 1:
                event, done = batch[0]
                with _logging_context(event):
                    log.exception("event_failed", message_type=type(event).__name__)
                done.set_exception(exc)
                return
            log.warning("event_batch_failed_retrying_one_by_one", size=len(batch))
            for item in batch:
                await self._run_batch([item])
            return
        for index, (event, done) in enumerate(batch):
            with _logging_context(event):
                outcome = "event_handled" if index in fresh else "duplicate_ignored"
                log.info(outcome, message_type=type(event).__name__)
            done.set_result(None)


def _first_copies(events: list[Event], claimed: set[UUID]) -> set[int]:
    """Positions of the events to handle: newly claimed, and only the first copy of each
    (the same message can be delivered twice into one batch)."""
    fresh: dict[UUID, int] = {}
    for index, event in enumerate(events):
        if event.message_id in claimed:
            fresh.setdefault(event.message_id, index)
    return set(fresh.values())


@contextlib.contextmanager
def _logging_context(message: Message) -> Iterator[None]:
    """Log lines written meanwhile carry the message's correlation and message ids."""
    structlog.contextvars.bind_contextvars(
        correlation_id=str(message.correlation_id), message_id=str(message.message_id)
    )
    try:
        yield
    finally:
        structlog.contextvars.unbind_contextvars("correlation_id", "message_id")


class CommandDispatcher:
    """Runs a command once and answers it; a redelivered command gets the first answer again."""

    def __init__(
        self,
        consumer: str,
        handlers: Mapping[type[Command], CommandHandler],
        uow: UnitOfWorkFactory,
        *,
        read_uow: UnitOfWorkFactory | None = None,
    ) -> None:
        self.consumer = consumer
        self.handlers = dict(handlers)
        self.uow = uow
        self.read_uow = read_uow or uow

    async def handle(self, command: Command) -> dict[str, Any] | None:
        structlog.contextvars.bind_contextvars(
            correlation_id=str(command.correlation_id), message_id=str(command.message_id)
        )
        try:
            if command.deadline is not None and command.deadline < datetime.now(UTC):
                log.warning("command_expired", message_type=type(command).__name__)
                return None
            async for attempt in retrying():
                with attempt:
                    return await self._run(command)
        except Exception:
            log.exception("command_failed", message_type=type(command).__name__)
            raise
        finally:
            structlog.contextvars.unbind_contextvars("correlation_id", "message_id")
        return None  # pragma: no cover - the loop always returns or raises

    async def _run(self, command: Command) -> dict[str, Any]:
        handler = self.handlers[type(command)]
        if command.READ_ONLY:
            return await self._answer_query(command, handler)
        async with self.uow() as uow:
            if not await inbox.claim(uow.session, self.consumer, command):
                previous = await inbox.stored_reply(uow.session, self.consumer, command)
                log.info("duplicate_command", message_type=type(command).__name__)
                return dict(previous) if previous else _refusal_reply(_duplicate_error())
            try:
                result = await handler(command, uow)
            except CommandRefused as refused:
                log.info("command_refused", code=refused.error.code)
                refusal = _refusal_reply(refused.error)
                if refused.keep_changes:
                    await inbox.remember_reply(uow.session, self.consumer, command, refusal)
                    await uow.commit()
                return refusal
            reply = {"ok": True, "result": result.model_dump(mode="json"), "error": None}
            await inbox.remember_reply(uow.session, self.consumer, command, reply)
            await uow.commit()
        log.info("command_handled", message_type=type(command).__name__)
        return reply

    async def _answer_query(self, command: Command, handler: CommandHandler) -> dict[str, Any]:
        """A query changes nothing: no inbox row, no stored reply, no transaction to end."""
        async with self.read_uow() as uow:
            try:
                result = await handler(command, uow)
            except CommandRefused as refused:
                log.info("query_refused", code=refused.error.code)
                return _refusal_reply(refused.error)
        log.info("query_answered", message_type=type(command).__name__)
        return {"ok": True, "result": result.model_dump(mode="json"), "error": None}


def _refusal_reply(error: CommandError) -> dict[str, Any]:
    return {"ok": False, "result": None, "error": error.model_dump(mode="json")}


def _duplicate_error() -> CommandError:
    return CommandError(
        code="duplicate_command",
        status=409,
        title="Request already handled",
        detail="This request was handled before; its answer is no longer available.",
    )
