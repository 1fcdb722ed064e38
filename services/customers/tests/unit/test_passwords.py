from argon2 import PasswordHasher

from customers.domain.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)


def test_passwords_need_ten_to_128_characters() -> None:
    assert password_problem("x" * 9) == "must have at least 10 characters"
    assert password_problem("x" * 10) is None
    assert password_problem("x" * 129) == "must have at most 128 characters"


async def test_hashes_are_argon2id_and_verify_only_the_right_password() -> None:
    hashed = await hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert await verify_password(hashed, "correct horse battery")
    assert not await verify_password(hashed, "wrong horse battery")
    assert not await verify_password("not a hash", "correct horse battery")
    assert not needs_rehash(hashed)


def test_hashes_made_with_other_parameters_need_a_rehash() -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("pw")
    assert needs_rehash(old)
