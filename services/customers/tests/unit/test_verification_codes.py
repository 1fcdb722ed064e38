from uuid import uuid4

from customers.domain.verification_codes import (
    code_digest,
    code_matches,
    code_problem,
    new_code,
    wrong_code_reason,
)


def test_codes_are_six_digits_and_vary() -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 150


def test_a_code_matches_only_for_its_customer() -> None:
    ada, grace = uuid4(), uuid4()
    digest = code_digest("secret", ada, "042917")
    assert code_matches("secret", ada, " 042917 ", digest)
    assert not code_matches("secret", grace, "042917", digest)
    assert not code_matches("other-secret", ada, "042917", digest)
    assert "042917" not in digest


def test_a_scoped_code_matches_only_in_its_scope() -> None:
    ada = uuid4()
    digest = code_digest("secret", ada, "042917", scope="email_change:new@example.com")
    assert code_matches("secret", ada, "042917", digest, scope="email_change:new@example.com")
    assert not code_matches("secret", ada, "042917", digest, scope="email_change:x@example.com")
    assert not code_matches("secret", ada, "042917", digest)


def test_tries_run_out_before_expiry_is_looked_at() -> None:
    assert code_problem(0, expired=False) is None
    assert code_problem(4, expired=True) == "the code has expired: ask for a new code"
    assert code_problem(5, expired=False) == "too many wrong codes: ask for a new code"
    assert wrong_code_reason(0) == "wrong code (4 tries left)"
    assert wrong_code_reason(4) == "wrong code (0 tries left)"
