"""A1, A2: registration, email verification and resent codes against the real database."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select, update

from contracts.customers import (
    Accepted,
    CustomerAccountActivated,
    CustomerChanged,
    CustomerRegistered,
    PostalAddress,
    ResendVerificationCode,
    VerificationCodeIssued,
    VerifyCustomerEmail,
)
from contracts.gateway import ShopOpened
from customers.adapters.tables import (
    customer_groups,
    identities,
    shop_customers,
    shops,
    verification_codes,
)
from customers.handlers.register_customer import register_customer
from customers.handlers.resend_verification_code import resend_verification_code
from customers.handlers.shop_opened import record_shop
from customers.handlers.verify_customer_email import verify_customer_email
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from customers_support import (
    SECRET,
    event_types,
    events,
    issued_code,
    refusal,
    register,
    register_verified,
    registration,
    run,
    verify,
)
from customers_support import (
    open_shop_with_customer_group as open_shop,
)

pytestmark = pytest.mark.database


async def verify_refusal(runtime: ServiceRuntime, shop_id: UUID, email: str, code: str) -> str:
    command = VerifyCustomerEmail(shop_id=shop_id, email=email, code=code)
    return (await refusal(runtime, verify_customer_email, command, code_secret=SECRET)).detail


async def resend(runtime: ServiceRuntime, shop_id: UUID, email: str) -> Accepted:
    command = ResendVerificationCode(shop_id=shop_id, email=email)
    return await run(runtime, resend_verification_code, command, code_secret=SECRET)


def wrong_code_for(code: str) -> str:
    return "000000" if code != "000000" else "111111"


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
    taken = await refusal(
        runtime, register_customer, registration(shop_a, "A0@Example.com"), code_secret=SECRET
    )
    assert taken.code == "email_taken"
    assert (await register(runtime, shop_a, "a9@example.com")).customer_number == 9


async def test_every_bad_field_is_named_in_one_refusal(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    command = registration(
        shop,
        "no-at-sign",
        password="short",
        first_name="  ",
        phone="12",
        vat_number="FR00000000000",
        address=None,
    )
    error = await refusal(runtime, register_customer, command, code_secret=SECRET)
    assert error.code == "validation_failed"
    assert error.status == 422
    assert {f.field for f in error.fields} == {
        "email",
        "password",
        "first_name",
        "phone",
        "vat_number",
        "address",
    }
    assert {f.field: f.reason for f in error.fields}["address"] == "is required"
    bad_address = registration(
        shop,
        "ada@example.com",
        address=PostalAddress(line1="1 Main St", city="Paris", country="FR"),
    )
    error = await refusal(runtime, register_customer, bad_address, code_secret=SECRET)
    assert [f.field for f in error.fields] == ["address.postcode"]


async def test_registration_keeps_the_profile_and_announces_the_new_customer(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    command = registration(
        shop,
        " Ada@Example.COM ",
        newsletter=True,
        phone="06 12 34 56 78",
        company="Analytical Engines",
        vat_number="FR 40 303 265 045",
        language="fr",
    )
    result = await run(runtime, register_customer, command, code_secret=SECRET)
    assert result.customer_number == 1
    assert result.verification_required is True
    async with runtime.sessions() as session:
        person = (await session.execute(select(identities))).one()
        record = (await session.execute(select(shop_customers))).one()
        group = await session.scalar(
            select(customer_groups.c.group_id).where(customer_groups.c.shop_id == shop)
        )
    assert person.email == "ada@example.com"
    assert (person.phone, person.vat_number, person.address_postcode) == (
        "+33612345678",
        "FR40303265045",
        "75011",
    )
    assert person.password_hash.startswith("$argon2id$")
    assert person.email_verified_at is None
    assert record.newsletter is True
    assert record.newsletter_consent_at is not None
    assert record.group_id == group
    assert record.source == "storefront"
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerRegistered",
        "CustomerChanged",
        "VerificationCodeIssued",
    ]
    (registered,) = await events(runtime, CustomerRegistered)
    assert (registered.source, registered.company, registered.email_verified) == (
        "storefront",
        "Analytical Engines",
        False,
    )
    (changed,) = await events(runtime, CustomerChanged)
    assert changed.shop_id == shop
    assert changed.customer.revision == 1
    assert changed.customer.group_id == group
    assert changed.customer.newsletter is True
    assert changed.customer.language == "fr"


async def test_an_email_known_in_another_shop_is_told_to_log_in(runtime: ServiceRuntime) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    await register(runtime, shop_a, "ada@example.com")
    error = await refusal(
        runtime, register_customer, registration(shop_b, "ada@example.com"), code_secret=SECRET
    )
    assert (error.code, error.status) == ("email_taken", 409)
    assert "log in" in error.detail
    assert error.fields[0].field == "email"


async def test_an_unknown_shop_is_not_ready(runtime: ServiceRuntime) -> None:
    error = await refusal(
        runtime, register_customer, registration(uuid4(), "ada@example.com"), code_secret=SECRET
    )
    assert (error.code, error.status, error.retry_after) == ("shop_not_ready", 503, 1)


async def test_a_shop_without_verification_activates_at_once(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime, mode="none")
    command = registration(shop, "guest@example.com")
    result = await run(runtime, register_customer, command, code_secret=SECRET)
    assert result.verification_required is False
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerRegistered",
        "CustomerChanged",
        "CustomerAccountActivated",
    ]
    (activated,) = await events(runtime, CustomerAccountActivated)
    assert (activated.customer_id, activated.email) == (result.customer_id, "guest@example.com")
    assert (await events(runtime, CustomerChanged))[0].customer.email_verified is True


async def test_wrong_codes_are_counted_and_lock_the_code_after_five(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    await register(runtime, shop, "ada@example.com")
    code = await issued_code(runtime, "ada@example.com")
    reasons = [
        await verify_refusal(runtime, shop, "ada@example.com", wrong_code_for(code))
        for _ in range(5)
    ]
    assert reasons[0] == "wrong code (4 tries left)"
    assert reasons[-1] == "wrong code (0 tries left)"
    locked = await verify_refusal(runtime, shop, "ada@example.com", code)
    assert "too many wrong codes" in locked


async def test_an_expired_code_is_refused(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await register(runtime, shop, "ada@example.com")
    code = await issued_code(runtime, "ada@example.com")
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            update(verification_codes).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        await uow.commit()
    assert "expired" in await verify_refusal(runtime, shop, "ada@example.com", code)


async def test_the_right_code_verifies_once_and_activates_the_account(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    registered = await register(runtime, shop, "ada@example.com")
    code = await issued_code(runtime, "ada@example.com")
    command = VerifyCustomerEmail(shop_id=shop, email="ADA@example.com", code=code)
    verified = await run(runtime, verify_customer_email, command, code_secret=SECRET)
    assert verified.customer_id == registered.customer_id
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerEmailVerified",
        "CustomerAccountActivated",
        "CustomerChanged",
    ]
    changed = (await events(runtime, CustomerChanged))[-1]
    assert changed.customer.email_verified is True
    assert changed.customer.revision == 2
    assert "no verification is pending" in await verify_refusal(
        runtime, shop, "ada@example.com", code
    )


async def test_a_resent_code_replaces_the_old_one_and_its_wrong_tries(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    await register(runtime, shop, "ada@example.com")
    first = await issued_code(runtime, "ada@example.com")
    for _ in range(5):
        await verify_refusal(runtime, shop, "ada@example.com", wrong_code_for(first))
    async with runtime.unit_of_work() as uow:  # a minute went by
        await uow.session.execute(
            update(verification_codes).values(
                issued_at=verification_codes.c.issued_at - timedelta(minutes=1)
            )
        )
        await uow.commit()
    assert await resend(runtime, shop, "ada@example.com") == Accepted()
    second = await issued_code(runtime, "ada@example.com")
    assert len(await events(runtime, VerificationCodeIssued)) == 2
    if second != first:
        assert "wrong code" in await verify_refusal(runtime, shop, "ada@example.com", first)
    await verify(runtime, shop, "ada@example.com", second)


async def test_resending_within_a_minute_is_throttled(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await register(runtime, shop, "ada@example.com")
    command = ResendVerificationCode(shop_id=shop, email="ada@example.com")
    error = await refusal(runtime, resend_verification_code, command, code_secret=SECRET)
    assert (error.code, error.status) == ("too_many_requests", 429)
    assert error.retry_after is not None
    assert 1 <= error.retry_after <= 60
    assert len(await events(runtime, VerificationCodeIssued)) == 1


async def test_resending_to_unknown_or_verified_emails_does_nothing(
    runtime: ServiceRuntime,
) -> None:
    shop, other = await open_shop(runtime), await open_shop(runtime)
    await register_verified(runtime, shop, "ada@example.com")
    await register(runtime, other, "grace@example.com")
    before = len(await events(runtime, VerificationCodeIssued))
    for email in ("ada@example.com", "nobody@example.com"):
        assert await resend(runtime, shop, email) == Accepted()
    assert await resend(runtime, shop, "grace@example.com") == Accepted()  # another shop's
    assert len(await events(runtime, VerificationCodeIssued)) == before
