from uuid import uuid4

from customers.domain.verification_codes import code_digest, code_matches, new_code


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
