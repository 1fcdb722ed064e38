"""Thin helpers the account tests share: shops, handler calls in a unit of work, outbox reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from pydantic import BaseModel
from sqlalchemy import insert, select

from contracts.base import Command, CommandError, Event
from contracts.customers import (
    CustomerRegistration,
    LogIn,
    LoginResult,
    PostalAddress,
    RegisterCustomer,
    VerificationCodeIssued,
    VerifyCustomerEmail,
)
from customers.adapters.tables import customer_groups, shops
from customers.handlers.log_in import log_in
from customers.handlers.register_customer import register_customer
from customers.handlers.verify_customer_email import verify_customer_email
from service_runtime.database import UnitOfWork
from service_runtime.handling import CommandRefused
from service_runtime.service import ServiceRuntime
from service_runtime.tables import outbox

SECRET = "test-secret"
PASSWORD = "correct horse battery"
ADDRESS = PostalAddress(line1="12 rue des Lilas", postcode="75011", city="Paris", country="FR")

R = TypeVar("R", bound=BaseModel)
E = TypeVar("E", bound=Event)


async def open_shop(runtime: ServiceRuntime, mode: str = "code") -> UUID:
    """A shop as ShopOpened records it, with its 'customer' group."""
    shop_id = uuid4()
    now = datetime.now(UTC)
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            insert(shops).values(
                shop_id=shop_id, verification_mode=mode, default_language="en", opened_at=now
            )
        )
        await uow.session.execute(
            insert(customer_groups).values(
                group_id=uuid4(),
                shop_id=shop_id,
                name="Customer",
                name_key="customer",
                system_key="customer",
                created_at=now,
            )
        )
        await uow.commit()
    return shop_id


async def run(
    runtime: ServiceRuntime,
    handler: Callable[..., Awaitable[R]],
    command: Command,
    **options: Any,
) -> R:
    """Call a handler as the dispatcher does: commit on success, or on a refusal that keeps."""
    uow: UnitOfWork
    async with runtime.unit_of_work() as uow:
        try:
            result = await handler(command, uow, **options)
        except CommandRefused as refused:
            if refused.keep_changes:
                await uow.commit()
            raise
        await uow.commit()
    return result


async def refusal(
    runtime: ServiceRuntime,
    handler: Callable[..., Awaitable[BaseModel]],
    command: Command,
    **options: Any,
) -> CommandError:
    with pytest.raises(CommandRefused) as refused:
        await run(runtime, handler, command, **options)
    return refused.value.error


async def events(runtime: ServiceRuntime, kind: type[E]) -> list[E]:
    """Every event of ``kind`` in the outbox, in the order they were written."""
    async with runtime.sessions() as session:
        payloads = await session.scalars(
            select(outbox.c.payload)
            .where(outbox.c.message_type == kind.__name__)
            .order_by(outbox.c.id)
        )
        return [kind.model_validate_json(p) for p in payloads]


async def event_types(runtime: ServiceRuntime, correlation_id: UUID) -> list[str]:
    """The types of the events one command caused, in order."""
    async with runtime.sessions() as session:
        return list(
            await session.scalars(
                select(outbox.c.message_type)
                .where(outbox.c.correlation_id == correlation_id)
                .order_by(outbox.c.id)
            )
        )


def registration(shop_id: UUID, email: str, **fields: Any) -> RegisterCustomer:
    values: dict[str, Any] = {
        "email": email,
        "password": PASSWORD,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
        "address": ADDRESS,
    }
    values.update(fields)
    return RegisterCustomer(shop_id=shop_id, **values)


async def register(
    runtime: ServiceRuntime, shop_id: UUID, email: str, **fields: Any
) -> CustomerRegistration:
    return await run(
        runtime, register_customer, registration(shop_id, email, **fields), code_secret=SECRET
    )


async def issued_code(runtime: ServiceRuntime, email: str) -> str:
    """The newest verification code mailed to ``email``."""
    return [c for c in await events(runtime, VerificationCodeIssued) if c.email == email][-1].code


async def register_verified(
    runtime: ServiceRuntime, shop_id: UUID, email: str, **fields: Any
) -> CustomerRegistration:
    registered = await register(runtime, shop_id, email, **fields)
    if registered.verification_required:
        code = await issued_code(runtime, email)
        await run(
            runtime,
            verify_customer_email,
            VerifyCustomerEmail(shop_id=shop_id, email=email, code=code),
            code_secret=SECRET,
        )
    return registered


async def login(
    runtime: ServiceRuntime, shop_id: UUID, email: str, password: str = PASSWORD
) -> LoginResult:
    return await run(runtime, log_in, LogIn(shop_id=shop_id, email=email, password=password))


async def login_refusal(
    runtime: ServiceRuntime, shop_id: UUID, email: str, password: str = PASSWORD
) -> CommandError:
    return await refusal(runtime, log_in, LogIn(shop_id=shop_id, email=email, password=password))
