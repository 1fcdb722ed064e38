"""The failed-login lock (A3): 5 failures within 15 minutes lock the identity for 15 minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILED_LOGINS = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginFailures:
    """An identity's failed-login counter as stored on its row."""

    failed_logins: int = 0
    first_failed_login_at: datetime | None = None
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def lock_end(self, now: datetime) -> datetime | None:
        """When the lock ends; None when not locked at ``now``."""
        return self.locked_until if self.locked_at(now) else None

    def after_failure(self, now: datetime) -> LoginFailures:
        """One more failure: a new window starts when the last one is over; the fifth locks."""
        window_open = (
            self.first_failed_login_at is not None
            and now - self.first_failed_login_at < FAILURE_WINDOW
        )
        if not window_open:
            return LoginFailures(1, now, self.locked_until)
        failed = self.failed_logins + 1
        if failed >= MAX_FAILED_LOGINS:
            return LoginFailures(0, None, now + LOCK_DURATION)
        return LoginFailures(failed, self.first_failed_login_at, self.locked_until)

    @property
    def is_clear(self) -> bool:
        return self.failed_logins == 0 and self.locked_until is None

    def as_columns(self) -> dict[str, object]:
        return {
            "failed_logins": self.failed_logins,
            "first_failed_login_at": self.first_failed_login_at,
            "locked_until": self.locked_until,
        }


CLEAR = LoginFailures()
"""A successful login or a new password starts over."""
