"""Customer tokens, throttle buckets and the settings behind sessions and throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from pydantic import ValidationError

from gateway.adapters.throttle import account_bucket, ip_bucket, seconds_left
from gateway.config import GatewaySettings, ThrottleLimit
from gateway.domain.tokens import (
    is_customer_token,
    new_customer_token,
    new_partner_token,
    token_digest,
)


def test_customer_tokens_are_random_prefixed_and_told_apart_from_partner_tokens() -> None:
    first, second = new_customer_token(), new_customer_token()
    assert first != second
    assert first.startswith("ct_")
    assert len(first) > 40
    assert is_customer_token(first)
    assert not is_customer_token(new_partner_token())
    assert not is_customer_token("ct_")
    assert token_digest(first) != first
    assert len(token_digest(first)) == 64


def test_account_buckets_hold_no_email_and_ignore_case_and_spaces() -> None:
    shop = uuid4()
    bucket = account_bucket("login", shop, " Ada@Example.com ")
    assert bucket == account_bucket("login", shop, "ada@example.com")
    assert "example" not in bucket
    assert bucket != account_bucket("login", uuid4(), "ada@example.com")
    assert bucket != account_bucket("code_check", shop, "ada@example.com")
    assert ip_bucket("login", shop, "203.0.113.7") == f"login:ip:{shop}:203.0.113.7"
    assert len(account_bucket("login", shop, "x" * 320)) <= 400


def test_retry_after_counts_whole_seconds_to_the_end_of_the_window_and_never_zero() -> None:
    limit = ThrottleLimit(hits=10, seconds=60)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    assert seconds_left(start, limit, start) == 60
    assert seconds_left(start, limit, start + timedelta(seconds=59.2)) == 1
    assert seconds_left(start, limit, start + timedelta(seconds=60)) == 1
    assert seconds_left(start, limit, start + timedelta(seconds=10.5)) == 50


def test_defaults_follow_the_brief_and_can_be_set_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = GatewaySettings()
    assert defaults.customer_session_lifetime == timedelta(days=30)
    assert defaults.throttle_login_per_ip == ThrottleLimit(hits=10, seconds=60)
    assert defaults.throttle_login_per_account == ThrottleLimit(hits=20, seconds=900)

    monkeypatch.setenv("CUSTOMER_SESSION_DAYS", "7")
    monkeypatch.setenv("THROTTLE_LOGIN_PER_IP", '{"hits": 3, "seconds": 30}')
    configured = GatewaySettings()
    assert configured.customer_session_lifetime == timedelta(days=7)
    assert configured.throttle_login_per_ip.window == timedelta(seconds=30)
    assert configured.throttle_login_per_ip.hits == 3


def test_nonsense_limits_are_refused_at_start() -> None:
    with pytest.raises(ValidationError):
        GatewaySettings(
            throttle_code_per_ip=ThrottleLimit.model_validate({"hits": 0, "seconds": 60})
        )
    with pytest.raises(ValidationError):
        GatewaySettings(customer_session_days=0)
