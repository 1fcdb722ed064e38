"""A3, A6: login per shop, the failed-login lock, and the first login with another shop's account."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from contracts.customers import (
    CreateCustomer,
    CustomerAccountActivated,
    CustomerChanged,
    CustomerRegistered,
    LogIn,
)
from customers.adapters.tables import identities, shop_customers
from customers.domain.passwords import HASHER
from customers.handlers.create_customer import create_customer
from customers.handlers.log_in import log_in
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from customers_support import (
    PASSWORD,
    event_types,
    events,
    login,
    login_refusal,
    open_shop,
    register,
    register_verified,
    run,
)

pytestmark = pytest.mark.database
WRONG = "not the password at all"


async def identity_row(runtime: ServiceRuntime, email: str) -> Any:
    async with runtime.sessions() as session:
        return (await session.execute(select(identities).where(identities.c.email == email))).one()


async def set_identity(runtime: ServiceRuntime, email: str, **values: object) -> None:
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            update(identities).where(identities.c.email == email).values(**values)
        )
        await uow.commit()


async def test_a_verified_customer_logs_in_with_any_spelling_of_the_email(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    registered = await register_verified(runtime, shop, "ada@example.com")
    command = LogIn(shop_id=shop, email="  ADA@Example.com ", password=PASSWORD)
    result = await run(runtime, log_in, command)
    assert (result.customer_id, result.customer_number) == (
        registered.customer_id,
        registered.customer_number,
    )
    assert result.created_in_shop is False
    assert await event_types(runtime, command.correlation_id) == []
    async with runtime.sessions() as session:
        last_login = await session.scalar(
            select(shop_customers.c.last_login_at).where(
                shop_customers.c.customer_id == result.customer_id
            )
        )
    assert last_login is not None


async def test_unknown_emails_and_wrong_passwords_get_the_same_answer(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    await register_verified(runtime, shop, "ada@example.com")
    unknown = await login_refusal(runtime, shop, "nobody@example.com")
    wrong = await login_refusal(runtime, shop, "ada@example.com", WRONG)
    malformed = await login_refusal(runtime, shop, "not an email")
    assert {(e.code, e.status, e.detail) for e in (unknown, wrong, malformed)} == {
        ("invalid_credentials", 401, "The email or the password is wrong.")
    }


async def test_five_failures_lock_the_account_and_say_so(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await register_verified(runtime, shop, "ada@example.com")
    for _ in range(4):
        assert (await login_refusal(runtime, shop, "ada@example.com", WRONG)).code == (
            "invalid_credentials"
        )
    assert (await identity_row(runtime, "ada@example.com")).failed_logins == 4

    locking = await login_refusal(runtime, shop, "ada@example.com", WRONG)
    assert (locking.code, locking.status) == ("account_locked", 423)
    assert "Too many failed logins" in locking.detail
    assert "now locked until" in locking.detail
    assert locking.retry_after is not None
    assert 14 * 60 < locking.retry_after <= 15 * 60

    still = await login_refusal(runtime, shop, "ada@example.com")  # even the right password
    assert (still.code, still.status) == ("account_locked", 423)
    assert "locked until" in still.detail
    assert "too many failed logins" in still.detail
    assert still.retry_after is not None
    assert still.retry_after <= locking.retry_after
    locked_until = (await identity_row(runtime, "ada@example.com")).locked_until
    assert locked_until > datetime.now(UTC) + timedelta(minutes=14)

    await set_identity(runtime, "ada@example.com", locked_until=datetime.now(UTC))  # time passed
    assert (await login(runtime, shop, "ada@example.com")).created_in_shop is False
    person = await identity_row(runtime, "ada@example.com")
    assert (person.failed_logins, person.locked_until) == (0, None)


async def test_a_success_starts_the_count_over(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await register_verified(runtime, shop, "ada@example.com")
    for _ in range(3):
        await login_refusal(runtime, shop, "ada@example.com", WRONG)
    await login(runtime, shop, "ada@example.com")
    for _ in range(4):
        assert (await login_refusal(runtime, shop, "ada@example.com", WRONG)).code == (
            "invalid_credentials"
        )
    assert (await identity_row(runtime, "ada@example.com")).failed_logins == 4


async def test_failures_older_than_the_window_do_not_count(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await register_verified(runtime, shop, "ada@example.com")
    for _ in range(4):
        await login_refusal(runtime, shop, "ada@example.com", WRONG)
    await set_identity(
        runtime,
        "ada@example.com",
        first_failed_login_at=datetime.now(UTC) - timedelta(minutes=16),
    )
    assert (await login_refusal(runtime, shop, "ada@example.com", WRONG)).code == (
        "invalid_credentials"
    )
    person = await identity_row(runtime, "ada@example.com")
    assert (person.failed_logins, person.locked_until) == (1, None)


async def test_a_denied_customer_is_told_the_shop_refuses_the_login(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    registered = await register_verified(runtime, shop, "ada@example.com")
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            update(shop_customers)
            .where(shop_customers.c.customer_id == registered.customer_id)
            .values(denied=True)
        )
        await uow.commit()
    error = await login_refusal(runtime, shop, "ada@example.com")
    assert (error.code, error.status) == ("login_refused", 403)
    assert "login refused by the shop" in error.detail.lower()
    assert (await login_refusal(runtime, shop, "ada@example.com", WRONG)).code == (
        "invalid_credentials"
    )


async def test_an_unverified_customer_is_told_to_verify(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await register(runtime, shop, "ada@example.com")
    error = await login_refusal(runtime, shop, "ada@example.com")
    assert (error.code, error.status) == ("email_not_verified", 403)
    assert "code" in error.detail


async def test_an_invited_customer_without_password_is_pointed_to_the_link(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    await run(
        runtime,
        create_customer,
        CreateCustomer(
            shop_id=shop,
            email="grace@example.com",
            first_name="Grace",
            last_name="H",
            language="en",
        ),
    )
    error = await login_refusal(runtime, shop, "grace@example.com", "anything at all")
    assert (error.code, error.status) == ("invalid_credentials", 401)
    assert "invitation" in error.detail
    assert "reset" in error.detail
    assert (await identity_row(runtime, "grace@example.com")).failed_logins == 0


async def test_an_unknown_shop_is_not_ready(runtime: ServiceRuntime) -> None:
    error = await login_refusal(runtime, uuid4(), "ada@example.com")
    assert error.code == "shop_not_ready"


async def test_a_first_login_in_another_shop_creates_the_record_there(
    runtime: ServiceRuntime,
) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    home = await register_verified(runtime, shop_a, "ada@example.com", newsletter=True)
    await register(runtime, shop_b, "b1@example.com")
    await register(runtime, shop_b, "b2@example.com")
    registered_before = len(await events(runtime, CustomerRegistered))

    command = LogIn(shop_id=shop_b, email="ada@example.com", password=PASSWORD)
    first = await run(runtime, log_in, command)
    assert first.created_in_shop is True
    assert first.customer_number == 3
    assert first.customer_id != home.customer_id
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerRegistered",
        "CustomerChanged",
        "CustomerAccountActivated",
    ]
    registered = (await events(runtime, CustomerRegistered))[registered_before]
    changed = (await events(runtime, CustomerChanged))[-1]
    activated = (await events(runtime, CustomerAccountActivated))[-1]
    assert {registered.shop_id, changed.shop_id, activated.shop_id} == {shop_b}
    assert (registered.source, registered.customer_number) == ("shared_login", 3)
    snapshot = changed.customer
    assert (snapshot.customer_id, snapshot.revision) == (first.customer_id, 1)
    assert (snapshot.first_name, snapshot.last_name, snapshot.email_verified) == (
        "Ada",
        "Lovelace",
        True,
    )
    assert snapshot.address is not None
    assert snapshot.address.city == "Paris"
    assert snapshot.newsletter is False  # consent is per shop
    assert snapshot.source == "shared_login"

    again = await login(runtime, shop_b, "ada@example.com")
    assert (again.customer_id, again.created_in_shop) == (first.customer_id, False)
    assert (await login(runtime, shop_a, "ada@example.com")).customer_id == home.customer_id


async def test_an_unverified_account_gets_no_record_in_a_shop_that_verifies(
    runtime: ServiceRuntime,
) -> None:
    shop_a, shop_b, relaxed = (
        await open_shop(runtime),
        await open_shop(runtime),
        await open_shop(runtime, mode="none"),
    )
    await register(runtime, shop_a, "ada@example.com")
    error = await login_refusal(runtime, shop_b, "ada@example.com")
    assert error.code == "email_not_verified"
    async with runtime.sessions() as session:
        shops_of_ada = set(
            await session.scalars(
                select(shop_customers.c.shop_id)
                .join(identities, identities.c.identity_id == shop_customers.c.identity_id)
                .where(identities.c.email == "ada@example.com")
            )
        )
    assert shops_of_ada == {shop_a}
    assert (await login(runtime, relaxed, "ada@example.com")).created_in_shop is True


async def test_a_hash_with_old_parameters_is_upgraded_at_login(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await register_verified(runtime, shop, "ada@example.com")
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    await set_identity(runtime, "ada@example.com", password_hash=weak)
    await login(runtime, shop, "ada@example.com")
    upgraded: str = (await identity_row(runtime, "ada@example.com")).password_hash
    assert upgraded != weak
    assert not HASHER.check_needs_rehash(upgraded)
    assert HASHER.verify(upgraded, PASSWORD)
