"""P1: the partner creates a customer, who accepts the emailed invitation and sets a password."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select, update

from contracts.customers import (
    AcceptInvitation,
    B2BTerms,
    CreateCustomer,
    CustomerChanged,
    CustomerInvited,
    CustomerRegistered,
)
from customers.adapters.tables import account_tokens, customer_groups, identities
from customers.handlers.accept_invitation import accept_invitation
from customers.handlers.create_customer import create_customer
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from customers_support import (
    ADDRESS,
    PASSWORD,
    event_types,
    events,
    login,
    open_shop,
    refusal,
    register_verified,
    run,
)

pytestmark = pytest.mark.database


def creation(shop_id: UUID, email: str = "grace@example.com", **fields: Any) -> CreateCustomer:
    values: dict[str, Any] = {
        "email": email,
        "first_name": "Grace",
        "last_name": "Hopper",
        "language": "de",
    }
    values.update(fields)
    return CreateCustomer(shop_id=shop_id, **values)


async def group_of(runtime: ServiceRuntime, shop_id: UUID) -> UUID:
    async with runtime.sessions() as session:
        group_id: UUID = await session.scalar(
            select(customer_groups.c.group_id).where(customer_groups.c.shop_id == shop_id)
        )
        return group_id


async def invitation_token(runtime: ServiceRuntime, email: str) -> str:
    return [i for i in await events(runtime, CustomerInvited) if i.email == email][-1].token


async def test_a_new_customer_is_created_without_password_and_invited(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    command = creation(
        shop,
        "  Grace@Example.com",
        company="Navy",
        address=ADDRESS,
        newsletter=True,
        tax_exempt=True,
        b2b=B2BTerms(
            credit_limit=Decimal("5000.00"),
            payment_terms_days=30,
            risk_level="low",
            pays_by_invoice=True,
        ),
    )
    sheet = await run(runtime, create_customer, command)
    customer = sheet.customer
    assert (customer.customer_number, customer.email, customer.source) == (
        1,
        "grace@example.com",
        "partner",
    )
    assert (customer.email_verified, sheet.password_set, sheet.shared) == (False, False, False)
    assert (customer.newsletter, customer.tax_exempt) == (True, True)
    assert customer.newsletter_consent_at is not None
    assert customer.b2b.credit_limit == Decimal("5000.00")
    assert customer.b2b.pays_by_invoice is True
    assert sheet.group is not None
    assert sheet.group.system_key == "customer"
    assert customer.address == ADDRESS
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerRegistered",
        "CustomerChanged",
        "CustomerInvited",
    ]
    (registered,) = await events(runtime, CustomerRegistered)
    assert (registered.source, registered.company) == ("partner", "Navy")
    (invited,) = await events(runtime, CustomerInvited)
    assert (invited.customer_id, invited.language) == (customer.customer_id, "de")
    assert timedelta(days=6, hours=23) < invited.expires_at - datetime.now(UTC) <= timedelta(days=7)
    async with runtime.sessions() as session:
        assert await session.scalar(select(identities.c.password_hash)) is None
        assert await session.scalar(select(account_tokens.c.purpose)) == "invitation"


async def test_bad_fields_and_another_shops_group_are_refused_together(
    runtime: ServiceRuntime,
) -> None:
    shop, other = await open_shop(runtime), await open_shop(runtime)
    command = creation(shop, phone="12", group_id=await group_of(runtime, other))
    error = await refusal(runtime, create_customer, command)
    assert error.code == "validation_failed"
    assert {f.field for f in error.fields} == {"phone", "group_id"}
    unknown_shop = await refusal(runtime, create_customer, creation(uuid4()))
    assert unknown_shop.code == "shop_not_ready"


async def test_an_email_of_this_shop_is_taken(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await run(runtime, create_customer, creation(shop))
    error = await refusal(runtime, create_customer, creation(shop, "GRACE@example.com"))
    assert (error.code, error.status) == ("email_taken", 409)


async def test_an_email_from_another_shop_links_that_person_without_touching_the_profile(
    runtime: ServiceRuntime,
) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    home = await register_verified(runtime, shop_a, "ada@example.com")
    sheet = await run(
        runtime, create_customer, creation(shop_b, "ada@example.com", first_name="Someone")
    )
    assert sheet.shared is True
    assert sheet.password_set is True
    assert (sheet.customer.first_name, sheet.customer.email_verified) == ("Ada", True)
    assert sheet.customer.customer_id != home.customer_id
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(identities)) == 1
    assert (await login(runtime, shop_b, "ada@example.com")).customer_id == (
        sheet.customer.customer_id
    )


async def test_accepting_the_invitation_sets_the_password_and_verifies(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    sheet = await run(runtime, create_customer, creation(shop))
    token = await invitation_token(runtime, "grace@example.com")

    short = await refusal(
        runtime, accept_invitation, AcceptInvitation(shop_id=shop, token=token, password="x")
    )
    assert [f.field for f in short.fields] == ["password"]

    command = AcceptInvitation(shop_id=shop, token=token, password=PASSWORD)
    done = await run(runtime, accept_invitation, command)
    assert done.customer_id == sheet.customer.customer_id
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerAccountActivated",
        "CustomerChanged",
    ]
    changed = (await events(runtime, CustomerChanged))[-1]
    assert (changed.customer.email_verified, changed.customer.revision) == (True, 2)
    assert (await login(runtime, shop, "grace@example.com")).customer_id == done.customer_id

    again = await refusal(
        runtime, accept_invitation, command.model_copy(update={"message_id": uuid4()})
    )
    assert (again.code, again.fields[0].field) == ("token_invalid", "token")
    assert "already used" in again.detail


async def test_an_expired_or_foreign_invitation_is_refused(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await run(runtime, create_customer, creation(shop))
    token = await invitation_token(runtime, "grace@example.com")
    foreign = await refusal(
        runtime,
        accept_invitation,
        AcceptInvitation(shop_id=uuid4(), token=token, password=PASSWORD),
    )
    assert "unknown" in foreign.detail
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            update(account_tokens).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await uow.commit()
    expired = await refusal(
        runtime, accept_invitation, AcceptInvitation(shop_id=shop, token=token, password=PASSWORD)
    )
    assert expired.code == "token_invalid"
    assert "expired" in expired.detail
