"""How long a document that failed to render waits before the next attempt."""

from datetime import timedelta

from notifier.domain.render_retries import RenderRetries


def test_the_wait_doubles_from_the_base_up_to_the_longest() -> None:
    retries = RenderRetries(base=timedelta(seconds=10), longest=timedelta(minutes=1))

    waits = [retries.delay(attempts).total_seconds() for attempts in range(1, 7)]

    assert waits == [10, 20, 40, 60, 60, 60]
    assert retries.delay(10_000) == timedelta(minutes=1), "no overflow after many failures"
