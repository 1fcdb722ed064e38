"""A5, A8, P11: the customer's sheet, own profile edits and the email change by code."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select, update

from contracts.customers import (
    ConfirmEmailChange,
    CustomerChanged,
    EmailChangeCodeIssued,
    GetCustomer,
    PostalAddress,
    ProfileChanges,
    RequestEmailChange,
    UpdateOwnProfile,
)
from customers.adapters.tables import email_change_codes, identities
from customers.handlers.email_change import confirm_email_change, request_email_change
from customers.handlers.get_customer import get_customer
from customers.handlers.update_own_profile import update_own_profile
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from customers_support import (
    SECRET,
    event_types,
    events,
    login,
    login_refusal,
    open_shop,
    refusal,
    register_verified,
    run,
)

pytestmark = pytest.mark.database


def own_edit(shop_id: UUID, customer_id: UUID, **fields: object) -> UpdateOwnProfile:
    newsletter = fields.pop("newsletter", None)
    return UpdateOwnProfile(
        shop_id=shop_id,
        customer_id=customer_id,
        profile=ProfileChanges.model_validate(fields),
        newsletter=newsletter,
    )


async def test_a_customer_is_read_only_in_its_own_shop(runtime: ServiceRuntime) -> None:
    shop, other = await open_shop(runtime), await open_shop(runtime)
    ada = await register_verified(runtime, shop, "ada@example.com")
    sheet = await run(runtime, get_customer, GetCustomer(shop_id=shop, customer_id=ada.customer_id))
    assert (sheet.customer.customer_id, sheet.customer.email) == (
        ada.customer_id,
        "ada@example.com",
    )
    assert (sheet.password_set, sheet.shared, sheet.notes) == (True, False, [])
    error = await refusal(
        runtime, get_customer, GetCustomer(shop_id=other, customer_id=ada.customer_id)
    )
    assert (error.code, error.status) == ("not_found", 404)


async def test_a_profile_edit_reaches_every_shop_of_the_person(runtime: ServiceRuntime) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    ada = await register_verified(runtime, shop_a, "ada@example.com", company="Engines Ltd")
    in_b = await login(runtime, shop_b, "ada@example.com")
    async with runtime.sessions() as session:
        changed_before = await session.scalar(select(identities.c.profile_changed_at))

    command = own_edit(
        shop_a,
        ada.customer_id,
        first_name="  Augusta  Ada ",
        phone="+44 20 7946 0958",
        company="",
        address=PostalAddress(line1="1 Baker St", postcode="nw1 6xe", city="London", country="GB"),
        newsletter=True,
    )
    sheet = await run(runtime, update_own_profile, command)
    customer = sheet.customer
    assert (customer.first_name, customer.phone, customer.company) == (
        "Augusta Ada",
        "+442079460958",
        None,
    )
    assert customer.address is not None
    assert customer.address.postcode == "NW1 6XE"
    assert customer.newsletter is True
    assert customer.newsletter_consent_at is not None
    assert customer.profile_changed_at > changed_before
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerChanged",
        "CustomerChanged",
    ]
    by_shop = {e.shop_id: e.customer for e in (await events(runtime, CustomerChanged))[-2:]}
    assert set(by_shop) == {shop_a, shop_b}
    assert by_shop[shop_b].customer_id == in_b.customer_id
    assert by_shop[shop_b].first_name == "Augusta Ada"
    assert by_shop[shop_b].newsletter is False  # consent stays per shop


async def test_newsletter_alone_concerns_this_shop_only(runtime: ServiceRuntime) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    ada = await register_verified(runtime, shop_a, "ada@example.com", newsletter=True)
    await login(runtime, shop_b, "ada@example.com")
    command = own_edit(shop_a, ada.customer_id, newsletter=False)
    sheet = await run(runtime, update_own_profile, command)
    assert (sheet.customer.newsletter, sheet.customer.newsletter_consent_at) == (False, None)
    assert await event_types(runtime, command.correlation_id) == ["CustomerChanged"]
    assert (await events(runtime, CustomerChanged))[-1].shop_id == shop_a

    unchanged = own_edit(shop_a, ada.customer_id, first_name="Ada", newsletter=False)
    await run(runtime, update_own_profile, unchanged)
    assert await event_types(runtime, unchanged.correlation_id) == []


async def test_bad_profile_fields_are_named(runtime: ServiceRuntime) -> None:
    shop, other = await open_shop(runtime), await open_shop(runtime)
    ada = await register_verified(runtime, shop, "ada@example.com")
    error = await refusal(
        runtime,
        update_own_profile,
        own_edit(shop, ada.customer_id, last_name=" ", phone="12", vat_number="FR1"),
    )
    assert error.code == "validation_failed"
    assert {f.field for f in error.fields} == {"last_name", "phone", "vat_number"}
    missing = await refusal(runtime, update_own_profile, own_edit(other, ada.customer_id))
    assert missing.code == "not_found"


async def test_the_email_changes_only_after_the_code_sent_to_the_new_address(
    runtime: ServiceRuntime,
) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    ada = await register_verified(runtime, shop_a, "ada@example.com")
    await login(runtime, shop_b, "ada@example.com")
    pending = await run(
        runtime,
        request_email_change,
        RequestEmailChange(
            shop_id=shop_a, customer_id=ada.customer_id, new_email=" New@Example.com"
        ),
        code_secret=SECRET,
    )
    assert pending.new_email == "new@example.com"
    (issued,) = await events(runtime, EmailChangeCodeIssued)
    assert (issued.new_email, issued.customer_id, issued.expires_at) == (
        "new@example.com",
        ada.customer_id,
        pending.expires_at,
    )
    assert (await login_refusal(runtime, shop_a, "new@example.com")).code == "invalid_credentials"
    await login(runtime, shop_a, "ada@example.com")

    def confirm(code: str) -> ConfirmEmailChange:
        return ConfirmEmailChange(shop_id=shop_a, customer_id=ada.customer_id, code=code)

    wrong = await refusal(
        runtime,
        confirm_email_change,
        confirm("000000" if issued.code != "000000" else "111111"),
        code_secret=SECRET,
    )
    assert (wrong.code, wrong.detail) == ("verification_failed", "wrong code (4 tries left)")

    command = confirm(issued.code)
    done = await run(runtime, confirm_email_change, command, code_secret=SECRET)
    assert (done.customer_id, done.email) == (ada.customer_id, "new@example.com")
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerChanged",
        "CustomerChanged",
    ]
    changed = (await events(runtime, CustomerChanged))[-2:]
    assert {c.customer.email for c in changed} == {"new@example.com"}
    assert {c.shop_id for c in changed} == {shop_a, shop_b}
    assert all(c.customer.email_verified for c in changed)
    await login(runtime, shop_b, "new@example.com")
    assert (await login_refusal(runtime, shop_a, "ada@example.com")).code == "invalid_credentials"
    again = await refusal(runtime, confirm_email_change, confirm(issued.code), code_secret=SECRET)
    assert "no email change is pending" in again.detail


async def test_an_email_change_is_refused_when_the_address_is_not_free(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    ada = await register_verified(runtime, shop, "ada@example.com")
    await register_verified(runtime, shop, "grace@example.com")

    def ask(new_email: str) -> RequestEmailChange:
        return RequestEmailChange(shop_id=shop, customer_id=ada.customer_id, new_email=new_email)

    same = await refusal(runtime, request_email_change, ask("ADA@example.com"), code_secret=SECRET)
    assert (same.code, same.fields[0].field) == ("validation_failed", "new_email")
    taken = await refusal(
        runtime, request_email_change, ask("grace@example.com"), code_secret=SECRET
    )
    assert (taken.code, taken.status, taken.fields[0].field) == ("email_taken", 409, "new_email")
    malformed = await refusal(runtime, request_email_change, ask("nope"), code_secret=SECRET)
    assert malformed.fields[0].field == "new_email"
    other_shop = RequestEmailChange(
        shop_id=uuid4(), customer_id=ada.customer_id, new_email="x@example.com"
    )
    assert (await refusal(runtime, request_email_change, other_shop, code_secret=SECRET)).code == (
        "not_found"
    )

    await run(runtime, request_email_change, ask("ada.new@example.com"), code_secret=SECRET)
    throttled = await refusal(
        runtime, request_email_change, ask("ada.other@example.com"), code_secret=SECRET
    )
    assert (throttled.code, throttled.status) == ("too_many_requests", 429)
    assert throttled.retry_after is not None

    # Someone else takes the address before Ada confirms: her confirmation is refused.
    await register_verified(runtime, shop, "ada.new@example.com")
    (issued,) = await events(runtime, EmailChangeCodeIssued)
    raced = await refusal(
        runtime,
        confirm_email_change,
        ConfirmEmailChange(shop_id=shop, customer_id=ada.customer_id, code=issued.code),
        code_secret=SECRET,
    )
    assert (raced.code, raced.fields[0].field) == ("email_taken", "new_email")


async def test_an_expired_email_change_code_is_refused(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    ada = await register_verified(runtime, shop, "ada@example.com")
    await run(
        runtime,
        request_email_change,
        RequestEmailChange(shop_id=shop, customer_id=ada.customer_id, new_email="n@example.com"),
        code_secret=SECRET,
    )
    (issued,) = await events(runtime, EmailChangeCodeIssued)
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            update(email_change_codes).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await uow.commit()
    error = await refusal(
        runtime,
        confirm_email_change,
        ConfirmEmailChange(shop_id=shop, customer_id=ada.customer_id, code=issued.code),
        code_secret=SECRET,
    )
    assert "expired" in error.detail
