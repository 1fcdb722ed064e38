"""Engine, sessions and the unit of work that commits a change together with its events."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from contracts.base import Event
from service_runtime.tables import outbox


def make_engine(url: str, *, pool_size: int = 10, pre_ping: bool = True) -> AsyncEngine:
    """An async psycopg 3 engine. Without pre-ping a database restart fails the first use of
    each old connection (and SQLAlchemy then drops the whole pool): callers must retry."""
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=pre_ping
    )


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (handlers reply with them)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for reads alone, in autocommit: psycopg opens every transaction with its own
    BEGIN round trip and ends it with another, which doubled the cost of a one-query read.
    Each statement sees its own snapshot: use them where one query answers."""
    return async_sessionmaker(
        engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
    )


async def database_reachable(engine: AsyncEngine) -> bool:
    """Readiness probe: one round trip."""
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def outbox_row(event: Event) -> dict[str, object]:
    """The outbox row that carries ``event`` to the relay."""
    return {
        "message_id": event.message_id,
        "routing_key": event.ROUTING_KEY,
        "message_type": type(event).__name__,
        "correlation_id": event.correlation_id,
        "payload": event.model_dump_json(),
    }


async def add_to_outbox(conn: AsyncConnection | AsyncSession, events: list[Event]) -> None:
    """Insert events into the outbox inside the caller's transaction."""
    if events:
        await conn.execute(insert(outbox), [outbox_row(e) for e in events])


class UnitOfWork:
    """One transaction: the state change and the events it raises commit together or not at all.

    Leaving the block without ``commit()`` rolls everything back, events included.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._events: list[Event] = []
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its 'async with' block")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        self._events = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            await session.rollback()
        finally:
            await session.close()
            self._session = None

    def emit(self, *events: Event) -> None:
        """Queue events to be written to the outbox when this unit commits."""
        self._events.extend(events)

    async def commit(self) -> None:
        await add_to_outbox(self.session, self._events)
        self._events = []
        await self.session.commit()
