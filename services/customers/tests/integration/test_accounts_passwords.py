"""A4: password reset by a one-time link and password change; login facts they touch."""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select, update

from contracts.customers import (
    Accepted,
    ChangePassword,
    CustomerAccountActivated,
    CustomerChanged,
    PasswordResetRequested,
    RequestPasswordReset,
    ResetPassword,
)
from customers.adapters.tables import account_tokens, identities
from customers.handlers.change_password import change_password
from customers.handlers.password_reset import request_password_reset, reset_password
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from customers_support import (
    PASSWORD,
    event_types,
    events,
    login,
    login_refusal,
    open_shop,
    refusal,
    register,
    register_verified,
    run,
)

pytestmark = pytest.mark.database
NEW_PASSWORD = "a brand new passphrase"
WRONG = "not the password at all"


async def ask_reset(runtime: ServiceRuntime, shop_id: UUID, email: str) -> Accepted:
    return await run(
        runtime, request_password_reset, RequestPasswordReset(shop_id=shop_id, email=email)
    )


async def reset_tokens(runtime: ServiceRuntime) -> list[str]:
    return [e.token for e in await events(runtime, PasswordResetRequested)]


async def stored_tokens(runtime: ServiceRuntime) -> list[Any]:
    async with runtime.sessions() as session:
        return list((await session.execute(select(account_tokens))).all())


async def move_tokens_back(runtime: ServiceRuntime, **deltas: timedelta) -> None:
    """Make time pass for the stored tokens (their creation and expiry moments)."""
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            update(account_tokens).values(
                {name: account_tokens.c[name] - delta for name, delta in deltas.items()}
            )
        )
        await uow.commit()


async def test_a_reset_is_mailed_only_to_customers_of_the_shop(runtime: ServiceRuntime) -> None:
    shop, other = await open_shop(runtime), await open_shop(runtime)
    registered = await register_verified(runtime, shop, "ada@example.com")
    await register_verified(runtime, other, "grace@example.com")
    for email in ("nobody@example.com", "grace@example.com", "not an email"):
        assert await ask_reset(runtime, shop, email) == Accepted()
    assert await events(runtime, PasswordResetRequested) == []

    assert await ask_reset(runtime, shop, "ADA@example.com") == Accepted()
    (requested,) = await events(runtime, PasswordResetRequested)
    assert (requested.shop_id, requested.customer_id) == (shop, registered.customer_id)
    assert (requested.email, requested.first_name, requested.language) == (
        "ada@example.com",
        "Ada",
        "en",
    )
    assert timedelta(minutes=59) < requested.expires_at - datetime.now(UTC) <= timedelta(hours=1)
    (stored,) = await stored_tokens(runtime)
    assert stored.token_digest == hashlib.sha256(requested.token.encode()).hexdigest()
    assert requested.token not in str(tuple(stored))
    assert stored.purpose == "password_reset"


async def test_resets_are_mailed_at_most_once_a_minute_and_replace_the_old_link(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    await register_verified(runtime, shop, "ada@example.com")
    await ask_reset(runtime, shop, "ada@example.com")
    assert await ask_reset(runtime, shop, "ada@example.com") == Accepted()
    assert len(await reset_tokens(runtime)) == 1

    await move_tokens_back(runtime, created_at=timedelta(minutes=2))
    await ask_reset(runtime, shop, "ada@example.com")
    old, new = await reset_tokens(runtime)
    assert len(await stored_tokens(runtime)) == 1
    error = await refusal(
        runtime, reset_password, ResetPassword(shop_id=shop, token=old, new_password=NEW_PASSWORD)
    )
    assert (error.code, error.status) == ("token_invalid", 422)
    assert "unknown" in error.detail
    await run(
        runtime, reset_password, ResetPassword(shop_id=shop, token=new, new_password=NEW_PASSWORD)
    )


async def test_a_reset_link_sets_the_password_once(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    registered = await register_verified(runtime, shop, "ada@example.com")
    await ask_reset(runtime, shop, "ada@example.com")
    (token,) = await reset_tokens(runtime)

    short = await refusal(
        runtime, reset_password, ResetPassword(shop_id=shop, token=token, new_password="short")
    )
    assert (short.code, [f.field for f in short.fields]) == ("validation_failed", ["new_password"])
    elsewhere = await refusal(
        runtime,
        reset_password,
        ResetPassword(shop_id=uuid4(), token=token, new_password=NEW_PASSWORD),
    )
    assert "unknown" in elsewhere.detail

    command = ResetPassword(shop_id=shop, token=token, new_password=NEW_PASSWORD)
    done = await run(runtime, reset_password, command)
    assert done.customer_id == registered.customer_id
    assert await event_types(runtime, command.correlation_id) == []  # nothing changed to announce
    assert (await login(runtime, shop, "ada@example.com", NEW_PASSWORD)).customer_id == (
        registered.customer_id
    )
    assert (await login_refusal(runtime, shop, "ada@example.com", PASSWORD)).code == (
        "invalid_credentials"
    )

    again = await refusal(
        runtime, reset_password, command.model_copy(update={"message_id": uuid4()})
    )
    assert (again.code, again.fields[0].field) == ("token_invalid", "token")
    assert "already used" in again.detail


async def test_an_expired_reset_link_is_refused(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    await register_verified(runtime, shop, "ada@example.com")
    await ask_reset(runtime, shop, "ada@example.com")
    (token,) = await reset_tokens(runtime)
    await move_tokens_back(runtime, expires_at=timedelta(hours=1))
    error = await refusal(
        runtime, reset_password, ResetPassword(shop_id=shop, token=token, new_password=NEW_PASSWORD)
    )
    assert error.code == "token_invalid"
    assert "expired" in error.detail


async def test_a_reset_verifies_the_email_and_lifts_the_lock(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    registered = await register(runtime, shop, "ada@example.com")
    for _ in range(5):
        await login_refusal(runtime, shop, "ada@example.com", WRONG)
    assert (await login_refusal(runtime, shop, "ada@example.com")).code == "account_locked"
    await ask_reset(runtime, shop, "ada@example.com")
    (token,) = await reset_tokens(runtime)
    command = ResetPassword(shop_id=shop, token=token, new_password=NEW_PASSWORD)
    await run(runtime, reset_password, command)
    assert await event_types(runtime, command.correlation_id) == [
        "CustomerChanged",
        "CustomerAccountActivated",
    ]
    assert (await events(runtime, CustomerChanged))[-1].customer.email_verified is True
    activated = (await events(runtime, CustomerAccountActivated))[-1]
    assert activated.customer_id == registered.customer_id
    assert (await login(runtime, shop, "ada@example.com", NEW_PASSWORD)).customer_id == (
        registered.customer_id
    )


async def test_changing_the_password_needs_the_current_one(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    registered = await register_verified(runtime, shop, "ada@example.com")

    def change(current: str, new: str = NEW_PASSWORD, shop_id: UUID = shop) -> ChangePassword:
        return ChangePassword(
            shop_id=shop_id,
            customer_id=registered.customer_id,
            current_password=current,
            new_password=new,
        )

    wrong = await refusal(runtime, change_password, change(WRONG))
    assert (wrong.code, wrong.status) == ("wrong_password", 422)
    assert [f.field for f in wrong.fields] == ["current_password"]
    async with runtime.sessions() as session:
        assert await session.scalar(select(identities.c.failed_logins)) == 1
    short = await refusal(runtime, change_password, change(PASSWORD, "short"))
    assert [f.field for f in short.fields] == ["new_password"]
    assert (await refusal(runtime, change_password, change(PASSWORD, shop_id=uuid4()))).code == (
        "not_found"
    )

    done = await run(runtime, change_password, change(PASSWORD))
    assert done.customer_id == registered.customer_id
    async with runtime.sessions() as session:
        assert done.identity_id == await session.scalar(select(identities.c.identity_id))
    await login(runtime, shop, "ada@example.com", NEW_PASSWORD)
    assert (await login_refusal(runtime, shop, "ada@example.com", PASSWORD)).code == (
        "invalid_credentials"
    )


async def test_wrong_current_passwords_lock_the_account_like_failed_logins(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    registered = await register_verified(runtime, shop, "ada@example.com")
    command = ChangePassword(
        shop_id=shop,
        customer_id=registered.customer_id,
        current_password=WRONG,
        new_password=NEW_PASSWORD,
    )
    details = [(await refusal(runtime, change_password, command)).detail for _ in range(5)]
    assert "locked until" not in details[3]
    assert "locked until" in details[4]
    assert (await login_refusal(runtime, shop, "ada@example.com")).code == "account_locked"
    right = command.model_copy(update={"current_password": PASSWORD})
    assert (await refusal(runtime, change_password, right)).code == "account_locked"
