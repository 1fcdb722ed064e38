"""What happens to a queued message after a delivery attempt: sent, retried later, or failed.

Pure rules, so retries and give-ups are tested without a database or an SMTP server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

QUEUED = "queued"
SENT = "sent"
FAILED = "failed"


@dataclass(frozen=True)
class Delivered:
    """The relay accepted the message."""


@dataclass(frozen=True)
class Deferred:
    """A temporary failure (4xx, relay unreachable, timeout): another try may succeed."""

    reason: str


@dataclass(frozen=True)
class Undeliverable:
    """A permanent failure (5xx, unrenderable message): trying again cannot help."""

    reason: str


@dataclass(frozen=True)
class BrandMissing:
    """The shop's brand has not arrived yet; nothing was sent, so no attempt is counted."""


Outcome = Delivered | Deferred | Undeliverable | BrandMissing


@dataclass(frozen=True)
class NextState:
    """The message-log change an outcome leads to; ``retry_in`` is None unless it stays queued."""

    status: str
    attempts: int
    last_error: str | None
    retry_in: timedelta | None


@dataclass(frozen=True)
class DeliveryPolicy:
    """Bounded retries with a doubling delay, so a relay outage is ridden out without hammering."""

    max_attempts: int = 8
    retry_base: timedelta = timedelta(seconds=30)
    retry_max: timedelta = timedelta(hours=1)
    brand_wait: timedelta = timedelta(seconds=5)

    def retry_delay(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failed try: base, 2 x base, 4 x base ... up to the cap."""
        doublings = min(max(attempts - 1, 0), 30)
        return min(self.retry_base * (1 << doublings), self.retry_max)

    def next_state(self, attempts_before: int, outcome: Outcome) -> NextState:
        """The message's new status, attempt count, error and retry delay after ``outcome``."""
        if isinstance(outcome, BrandMissing):
            return NextState(QUEUED, attempts_before, "shop brand not known yet", self.brand_wait)
        attempts = attempts_before + 1
        if isinstance(outcome, Delivered):
            return NextState(SENT, attempts, None, None)
        if isinstance(outcome, Undeliverable) or attempts >= self.max_attempts:
            return NextState(FAILED, attempts, outcome.reason, None)
        return NextState(QUEUED, attempts, outcome.reason, self.retry_delay(attempts))
