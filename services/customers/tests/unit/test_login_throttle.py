from datetime import UTC, datetime, timedelta

from customers.domain.login_throttle import CLEAR, LOCK_DURATION, LoginFailures
from customers.domain.waits import seconds_until

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def fail(state: LoginFailures, times: int, at: datetime = NOW) -> LoginFailures:
    for _ in range(times):
        state = state.after_failure(at)
    return state


def test_the_fifth_failure_within_the_window_locks_for_fifteen_minutes() -> None:
    four = fail(CLEAR, 4)
    assert (four.failed_logins, four.lock_end(NOW)) == (4, None)
    five = four.after_failure(NOW + timedelta(minutes=14))
    assert five.lock_end(NOW + timedelta(minutes=14)) == NOW + timedelta(minutes=14) + LOCK_DURATION
    assert five.failed_logins == 0


def test_failures_outside_the_window_start_a_new_count() -> None:
    four = fail(CLEAR, 4)
    later = four.after_failure(NOW + timedelta(minutes=15))
    assert (later.failed_logins, later.first_failed_login_at) == (1, NOW + timedelta(minutes=15))
    assert later.lock_end(NOW + timedelta(minutes=15)) is None


def test_a_lock_ends_on_its_own() -> None:
    locked = fail(CLEAR, 5)
    assert locked.locked_at(NOW + LOCK_DURATION - timedelta(seconds=1))
    assert not locked.locked_at(NOW + LOCK_DURATION)
    assert not locked.is_clear
    assert CLEAR.is_clear


def test_waits_are_whole_seconds_never_zero() -> None:
    assert seconds_until(NOW + timedelta(seconds=59, milliseconds=1), NOW) == 60
    assert seconds_until(NOW, NOW) == 1
    assert seconds_until(NOW - timedelta(seconds=5), NOW) == 1
