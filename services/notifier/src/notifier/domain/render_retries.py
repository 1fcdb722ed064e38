"""When an invoice document that failed to render is tried again: a doubling wait, never giving up.

An issued invoice must get its PDF: a failure (a template bug, a font missing) is logged and
retried until someone fixes its cause, slowly enough not to burn the CPU meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RenderRetries:
    base: timedelta = timedelta(seconds=10)
    longest: timedelta = timedelta(minutes=15)

    def delay(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failure: base, 2 x base, 4 x base ... up to ``longest``."""
        doublings = min(max(attempts - 1, 0), 30)
        return min(self.base * (1 << doublings), self.longest)
