"""The loop our background workers share: repeat a pass, rest when idle, back off on failure."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger(__name__)

MAX_BACKOFF_SECONDS = 10.0


async def repeat_passes(
    one_pass: Callable[[], Awaitable[int]],
    *,
    name: str,
    batch_size: int,
    poll_interval: float,
    wake: asyncio.Event,
    stopping: asyncio.Event,
) -> None:
    """Run ``one_pass`` (it returns how many items it handled) until ``stopping`` is set.

    A full batch is followed by the next pass at once; a short one rests until ``wake`` is set
    or ``poll_interval`` passes. ``wake`` is cleared before each pass, so a wake-up that
    arrives during a pass starts the next one at once. A failing pass backs off from 0.2 s,
    doubling up to 10 s, and only ``stopping`` cuts that short.
    """
    failures = 0
    while not stopping.is_set():
        wake.clear()
        try:
            handled = await one_pass()
        except Exception:
            failures += 1
            delay = min(0.2 * 2**failures, MAX_BACKOFF_SECONDS)
            log.warning("pass_failed", worker=name, retry_in=delay, exc_info=True)
            await _rest(stopping, delay)
            continue
        failures = 0
        if handled < batch_size:
            await _rest(wake, poll_interval)


async def _rest(until: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(until.wait(), seconds)


class PassWorker:
    """A background worker that repeats one pass (:func:`repeat_passes`) from start to stop.

    Subclasses give ``run_pass``; ``stop`` lets the pass in flight finish (it commits what it
    did) for up to ``stop_grace`` seconds. The owner of the engine closes it afterwards.
    """

    def __init__(
        self, *, name: str, batch_size: int, poll_interval: float, stop_grace: float = 30.0
    ) -> None:
        self.name = name
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.stop_grace = stop_grace
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_pass(self) -> int:
        """One pass; returns how many items it handled (a full batch runs the next at once)."""
        raise NotImplementedError

    async def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=self.name)

    def wake(self) -> None:
        """Start the next pass now rather than after the poll interval (new work arrived)."""
        self._wake.set()

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, self.stop_grace)
            except TimeoutError:
                log.warning("worker_stop_timeout", worker=self.name)
            except Exception:
                log.exception("worker_crashed", worker=self.name)
            self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        await repeat_passes(
            self.run_pass,
            name=self.name,
            batch_size=self.batch_size,
            poll_interval=self.poll_interval,
            wake=self._wake,
            stopping=self._stopping,
        )
