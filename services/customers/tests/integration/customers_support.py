"""Thin helpers the integration tests share: shops, customers, handler calls, outbox reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from pydantic import BaseModel
from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as upsert

from contracts.base import Command, CommandError, Event
from contracts.customers import (
    CustomerRegistration,
    EmailVerification,
    FinishCustomerImport,
    ImportChunkChecked,
    ImportOutcome,
    LogIn,
    LoginResult,
    PostalAddress,
    RegisterCustomer,
    StageCustomerImport,
    VerificationCodeIssued,
    VerifyCustomerEmail,
)
from contracts.gateway import Language, ShopOpened, VerificationMode
from customers.adapters.tables import (
    customer_groups,
    customer_number_counters,
    identities,
    shop_customers,
    shops,
)
from customers.handlers.customer_import import finish_customer_import, stage_customer_import
from customers.handlers.log_in import log_in
from customers.handlers.register_customer import register_customer
from customers.handlers.shop_opened import record_shop
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


# Shops


def shop_opened(
    language: Language = "en", shop_id: UUID | None = None, *, mode: VerificationMode = "code"
) -> ShopOpened:
    return ShopOpened(
        shop_id=shop_id or uuid4(),
        brand_name="Print Atelier",
        slug=f"shop-{uuid4().hex[:8]}",
        default_language=language,
        currency="EUR",
        timezone="Europe/Paris",
        sender_email="hello@print-atelier.example",
        verification_mode=mode,
    )


async def open_shop(
    runtime: ServiceRuntime, language: Language = "en", *, mode: VerificationMode = "code"
) -> UUID:
    """A shop as the ShopOpened handler records it, with its three groups."""
    event = shop_opened(language, mode=mode)
    async with runtime.unit_of_work() as uow:
        await record_shop(event, uow)
        await uow.commit()
    return event.shop_id


async def open_shop_with_customer_group(
    runtime: ServiceRuntime, mode: VerificationMode = "code"
) -> UUID:
    """A bare shop row with its 'customer' group alone (no other group, no outbox event).

    For tests that look a shop's group up by ``shop_id`` alone and so need it to be the only one.
    """
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


async def group_id(runtime: ServiceRuntime, shop_id: UUID, system_key: str) -> UUID:
    async with runtime.sessions() as session:
        found: UUID = (
            await session.scalars(
                select(customer_groups.c.group_id).where(
                    customer_groups.c.shop_id == shop_id,
                    customer_groups.c.system_key == system_key,
                )
            )
        ).one()
        return found


# Handler calls and the outbox


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


# Customers through the storefront handlers


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


async def verify(
    runtime: ServiceRuntime, shop_id: UUID, email: str, code: str
) -> EmailVerification:
    command = VerifyCustomerEmail(shop_id=shop_id, email=email, code=code)
    return await run(runtime, verify_customer_email, command, code_secret=SECRET)


async def register_verified(
    runtime: ServiceRuntime, shop_id: UUID, email: str, **fields: Any
) -> CustomerRegistration:
    registered = await register(runtime, shop_id, email, **fields)
    if registered.verification_required:
        await verify(runtime, shop_id, email, await issued_code(runtime, email))
    return registered


async def login(
    runtime: ServiceRuntime, shop_id: UUID, email: str, password: str = PASSWORD
) -> LoginResult:
    return await run(runtime, log_in, LogIn(shop_id=shop_id, email=email, password=password))


async def login_refusal(
    runtime: ServiceRuntime, shop_id: UUID, email: str, password: str = PASSWORD
) -> CommandError:
    return await refusal(runtime, log_in, LogIn(shop_id=shop_id, email=email, password=password))


# Customers written straight to the tables (as a partner's tools would find them)


async def add_customer(runtime: ServiceRuntime, shop_id: UUID, email: str, **profile: Any) -> UUID:
    """A new person with a record in ``shop_id`` (profile defaults to Ada Lovelace's)."""
    now = datetime.now(UTC)
    identity_id = uuid4()
    values: dict[str, Any] = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
        "phone": "+33612345678",
        "company": "Analytical Engines",
    }
    values.update(profile)
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            insert(identities).values(
                identity_id=identity_id,
                email=email,
                password_hash="$argon2id$not-a-real-hash",
                email_verified_at=now,
                created_at=now,
                profile_changed_at=now,
                **values,
            )
        )
        await uow.commit()
    return await add_record(runtime, shop_id, identity_id)


async def add_record(runtime: ServiceRuntime, shop_id: UUID, identity_id: UUID) -> UUID:
    """A record in ``shop_id`` for a person known already (as a login there would make it)."""
    now = datetime.now(UTC)
    customer_id = uuid4()
    async with runtime.unit_of_work() as uow:
        session = uow.session
        number = (
            await session.execute(
                upsert(customer_number_counters)
                .values(shop_id=shop_id, last_number=1)
                .on_conflict_do_update(
                    index_elements=[customer_number_counters.c.shop_id],
                    set_={"last_number": customer_number_counters.c.last_number + 1},
                )
                .returning(customer_number_counters.c.last_number)
            )
        ).scalar_one()
        await session.execute(
            insert(shop_customers).values(
                customer_id=customer_id,
                shop_id=shop_id,
                identity_id=identity_id,
                customer_number=number,
                registered_at=now,
                updated_at=now,
            )
        )
        await uow.commit()
    return customer_id


async def identity_of(runtime: ServiceRuntime, customer_id: UUID) -> UUID:
    async with runtime.sessions() as session:
        found: UUID = (
            await session.scalars(
                select(shop_customers.c.identity_id).where(
                    shop_customers.c.customer_id == customer_id
                )
            )
        ).one()
        return found


async def import_csv(
    runtime: ServiceRuntime,
    shop_id: UUID,
    header: list[str],
    rows: list[list[str]],
    *,
    chunk: int = 1000,
) -> tuple[list[ImportChunkChecked], ImportOutcome]:
    """Stage ``rows`` in chunks as the gateway does, then finish the import."""
    import_id = uuid4()
    checked = [
        await run(
            runtime,
            stage_customer_import,
            StageCustomerImport(
                shop_id=shop_id,
                import_id=import_id,
                header=header,
                first_line=2 + start,
                rows=rows[start : start + chunk],
            ),
        )
        for start in range(0, max(len(rows), 1), chunk)
    ]
    outcome = await run(
        runtime, finish_customer_import, FinishCustomerImport(shop_id=shop_id, import_id=import_id)
    )
    return checked, outcome
