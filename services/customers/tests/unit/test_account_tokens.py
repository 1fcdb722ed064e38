import hashlib
from datetime import UTC, datetime, timedelta

from customers.domain.account_tokens import LIFETIMES, new_token, token_digest, token_problem

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_tokens_are_long_random_and_stored_as_sha256() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) >= 43 for t in tokens)
    token = next(iter(tokens))
    assert token_digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token_digest(f" {token}\n") == token_digest(token)


def test_a_link_lives_an_hour_for_resets_and_a_week_for_invitations() -> None:
    assert {"password_reset": timedelta(hours=1), "invitation": timedelta(days=7)} == LIFETIMES


def test_a_token_says_why_it_cannot_be_used() -> None:
    assert token_problem(used_at=None, expires_at=NOW + timedelta(seconds=1), now=NOW) is None
    assert "expired" in (token_problem(used_at=None, expires_at=NOW, now=NOW) or "")
    used = token_problem(used_at=NOW, expires_at=NOW - timedelta(days=1), now=NOW)
    assert "already used" in (used or "")
