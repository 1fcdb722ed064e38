"""Wakes this process's background workers when there is work for them, instead of their next poll.

Handlers are wired before the runtime builds the workers (a worker needs the runtime's
engine), so a handler gets a :class:`Doorbell` and the worker is attached to it once built.
A handler rings only after its transaction commits (:func:`ring_after_commit`): a worker woken
earlier would find nothing and sleep a whole poll interval. Other processes' workers are not
woken; they poll, which is what keeps this simple and NOTIFY-free (see mail_delivery).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

RING_AFTER_COMMIT = "notifier.ring_after_commit"
"""``Session.info`` key: the bells to ring when the session's transaction commits."""


class Wakeable(Protocol):
    def wake(self) -> None: ...


W = TypeVar("W", bound=Wakeable)


class Doorbell:
    """Rings every worker attached to it; rings nobody until one is attached (as in tests that
    run handlers alone)."""

    def __init__(self) -> None:
        self._workers: list[Wakeable] = []

    def attach(self, worker: W) -> W:
        self._workers.append(worker)
        return worker

    def ring(self) -> None:
        for worker in self._workers:
            worker.wake()


def ring_after_commit(session: AsyncSession, ring: Callable[[], None]) -> None:
    """Call ``ring`` once when this session's transaction commits; never if it rolls back.

    Many handlers of one batch may ask: each distinct ``ring`` is called once per commit.
    """
    sync_session = session.sync_session
    bells: dict[Callable[[], None], None] = sync_session.info.setdefault(RING_AFTER_COMMIT, {})
    bells[ring] = None
    if not event.contains(sync_session, "after_commit", _ring_bells):
        event.listen(sync_session, "after_commit", _ring_bells)
    if not event.contains(sync_session, "after_rollback", _forget_bells):
        event.listen(sync_session, "after_rollback", _forget_bells)


def _ring_bells(session: Session, *_: Any) -> None:
    """Runs on the event loop's thread (the async session commits in a greenlet there)."""
    for ring in session.info.pop(RING_AFTER_COMMIT, {}):
        ring()


def _forget_bells(session: Session, *_: Any) -> None:
    session.info.pop(RING_AFTER_COMMIT, None)
