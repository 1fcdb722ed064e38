"""Retry rules: doubling delays, a cap, a bounded number of attempts, 5xx fails at once."""

from datetime import timedelta

from notifier.domain.delivery_policy import (
    FAILED,
    QUEUED,
    SENT,
    BrandMissing,
    Deferred,
    Delivered,
    DeliveryPolicy,
    Undeliverable,
)

POLICY = DeliveryPolicy(
    max_attempts=4,
    retry_base=timedelta(seconds=10),
    retry_max=timedelta(seconds=25),
    brand_wait=timedelta(seconds=3),
)


def test_delay_doubles_up_to_the_cap() -> None:
    delays = [POLICY.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)]

    assert delays == [10, 20, 25, 25]


def test_delivered_counts_the_attempt_and_clears_the_error() -> None:
    state = POLICY.next_state(2, Delivered())

    assert (state.status, state.attempts, state.last_error, state.retry_in) == (SENT, 3, None, None)


def test_temporary_failure_stays_queued_with_a_growing_delay() -> None:
    first = POLICY.next_state(0, Deferred("421 busy"))
    second = POLICY.next_state(1, Deferred("421 busy"))

    assert (first.status, first.attempts, first.last_error) == (QUEUED, 1, "421 busy")
    assert first.retry_in == timedelta(seconds=10)
    assert second.retry_in == timedelta(seconds=20)


def test_temporary_failure_gives_up_at_the_last_attempt() -> None:
    state = POLICY.next_state(3, Deferred("connection refused"))

    assert (state.status, state.attempts, state.retry_in) == (FAILED, 4, None)


def test_permanent_failure_fails_at_once() -> None:
    state = POLICY.next_state(0, Undeliverable("550 no such user"))

    assert (state.status, state.attempts, state.last_error) == (FAILED, 1, "550 no such user")


def test_missing_brand_waits_without_counting_an_attempt() -> None:
    state = POLICY.next_state(2, BrandMissing())

    assert (state.status, state.attempts, state.retry_in) == (QUEUED, 2, timedelta(seconds=3))
