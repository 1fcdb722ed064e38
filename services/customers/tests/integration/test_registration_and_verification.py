"""Registration and verification handlers against the real database (no broker needed)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, insert, select

from contracts.customers import (
    CustomerRegistration,
    EmailVerification,
    RegisterCustomer,
    VerificationCodeIssued,
    VerifyCustomerEmail,
)
from contracts.gateway import ShopOpened
from customers.adapters.tables import shops
from customers.handlers.register_customer import register_customer
from customers.handlers.shop_opened import record_shop
from customers.handlers.verify_customer_email import verify_customer_email
from service_runtime.handling import CommandRefused
from service_runtime.service import ServiceRuntime
from service_runtime.tables import outbox

pytestmark = pytest.mark.database
SECRET = "test-secret"


async def open_shop(runtime: ServiceRuntime, mode: str = "code") -> UUID:
    shop_id = uuid4()
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            insert(shops).values(
                shop_id=shop_id,
                verification_mode=mode,
                default_language="en",
                opened_at=datetime.now(UTC),
            )
        )
        await uow.commit()
    return shop_id


async def register(runtime: ServiceRuntime, shop_id: UUID, email: str) -> CustomerRegistration:
    command = RegisterCustomer(
        shop_id=shop_id,
        email=email,
        password="correct horse battery",
        first_name="Ada",
        last_name="L",
        language="en",
    )
    async with runtime.unit_of_work() as uow:
        result = await register_customer(command, uow, code_secret=SECRET)
        await uow.commit()
    return result


async def verify(
    runtime: ServiceRuntime, shop_id: UUID, email: str, code: str
) -> EmailVerification:
    async with runtime.unit_of_work() as uow:
        try:
            result = await verify_customer_email(
                VerifyCustomerEmail(shop_id=shop_id, email=email, code=code),
                uow,
                code_secret=SECRET,
            )
        except CommandRefused as refused:
            if refused.keep_changes:
                await uow.commit()
            raise
        await uow.commit()
    return result


async def issued_code(runtime: ServiceRuntime, email: str) -> str:
    async with runtime.sessions() as session:
        payloads = (
            await session.scalars(
                select(outbox.c.payload).where(outbox.c.message_type == "VerificationCodeIssued")
            )
        ).all()
    codes = [VerificationCodeIssued.model_validate_json(p) for p in payloads]
    return next(c.code for c in codes if c.email == email)


async def test_shop_opened_twice_records_the_shop_once(runtime: ServiceRuntime) -> None:
    event = ShopOpened(
        shop_id=uuid4(),
        brand_name="B",
        slug="b",
        default_language="en",
        currency="EUR",
        timezone="UTC",
        sender_email="s@b.example",
        verification_mode="none",
    )
    for _ in range(2):
        async with runtime.unit_of_work() as uow:
            await record_shop(event, uow)
            await uow.commit()
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(shops)) == 1


async def test_numbers_are_per_shop_and_gap_free_even_when_registrations_race(
    runtime: ServiceRuntime,
) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    results = await asyncio.gather(
        *(register(runtime, shop_a, f"a{n}@example.com") for n in range(8))
    )
    assert sorted(r.customer_number for r in results) == list(range(1, 9))
    assert (await register(runtime, shop_b, "b@example.com")).customer_number == 1
    with pytest.raises(CommandRefused) as taken:
        await register(runtime, shop_a, "A0@Example.com")
    assert taken.value.error.code == "email_taken"
    assert (await register(runtime, shop_a, "a9@example.com")).customer_number == 9


async def test_a_shop_without_verification_registers_verified_customers(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime, mode="none")
    result = await register(runtime, shop, "guest@example.com")
    assert result.verification_required is False
    async with runtime.sessions() as session:
        assert (
            await session.scalar(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.message_type == "VerificationCodeIssued")
            )
            == 0
        )


async def test_wrong_codes_are_counted_and_lock_the_code_after_five(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    await register(runtime, shop, "ada@example.com")
    code = await issued_code(runtime, "ada@example.com")
    wrong = "000000" if code != "000000" else "111111"
    reasons = []
    for _ in range(5):
        with pytest.raises(CommandRefused) as refused:
            await verify(runtime, shop, "ada@example.com", wrong)
        reasons.append(refused.value.error.detail)
    assert reasons[0] == "wrong code (4 tries left)"
    assert reasons[-1] == "wrong code (0 tries left)"
    with pytest.raises(CommandRefused) as locked:
        await verify(runtime, shop, "ada@example.com", code)
    assert "too many wrong codes" in locked.value.error.detail


async def test_the_right_code_verifies_once(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    registered = await register(runtime, shop, "ada@example.com")
    code = await issued_code(runtime, "ada@example.com")
    verified = await verify(runtime, shop, "ada@example.com", code)
    assert verified.customer_id == registered.customer_id
    with pytest.raises(CommandRefused):
        await verify(runtime, shop, "ada@example.com", code)
