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
