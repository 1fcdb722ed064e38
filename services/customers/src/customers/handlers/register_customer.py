"""A1 (minimal): create the identity and the shop customer, then ask for email verification."""

from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import exists, insert, select

from contracts.customers import (
    CustomerRegistered,
    CustomerRegistration,
    RegisterCustomer,
    VerificationCodeIssued,
)
from customers.adapters.customer_numbers import next_customer_number
from customers.adapters.tables import identities, shop_customers, shops, verification_codes
from customers.domain.passwords import hash_password
from customers.domain.registration_input import normalise_email, registration_problems
from customers.domain.verification_codes import CODE_LIFETIME, code_digest, new_code
from customers.handlers.refusals import email_taken, invalid_input, shop_not_ready
from service_runtime.database import UnitOfWork


async def register_customer(
    command: RegisterCustomer, uow: UnitOfWork, *, code_secret: str
) -> CustomerRegistration:
    if problems := registration_problems(command):
        raise invalid_input(problems)
    session = uow.session
    mode = await session.scalar(
        select(shops.c.verification_mode).where(shops.c.shop_id == command.shop_id)
    )
    if mode is None:
        raise shop_not_ready()
    email = normalise_email(command.email)
    if await session.scalar(select(exists().where(identities.c.email == email))):
        raise email_taken()

    first_name, last_name = command.first_name.strip(), command.last_name.strip()
    password_hash = await hash_password(command.password)
    now = datetime.now(UTC)
    identity_id, customer_id = uuid4(), uuid4()
    verified = mode == "none"
    number = await next_customer_number(session, command.shop_id)
    await session.execute(
        insert(identities).values(
            identity_id=identity_id,
            email=email,
            password_hash=password_hash,
            email_verified_at=now if verified else None,
            created_at=now,
        )
    )
    await session.execute(
        insert(shop_customers).values(
            customer_id=customer_id,
            shop_id=command.shop_id,
            identity_id=identity_id,
            customer_number=number,
            first_name=first_name,
            last_name=last_name,
            language=command.language,
            registered_at=now,
            updated_at=now,
        )
    )
    uow.emit(
        CustomerRegistered.caused_by(
            command,
            customer_id=customer_id,
            identity_id=identity_id,
            customer_number=number,
            email=email,
            first_name=first_name,
            last_name=last_name,
            language=command.language,
            registered_at=now,
            email_verified=verified,
        )
    )
    if not verified:
        code = new_code()
        await session.execute(
            insert(verification_codes).values(
                customer_id=customer_id,
                code_digest=code_digest(code_secret, customer_id, code),
                expires_at=now + CODE_LIFETIME,
                wrong_tries=0,
                issued_at=now,
            )
        )
        uow.emit(
            VerificationCodeIssued.caused_by(
                command,
                customer_id=customer_id,
                email=email,
                first_name=first_name,
                language=command.language,
                code=code,
                expires_at=now + CODE_LIFETIME,
            )
        )
    return CustomerRegistration(
        customer_id=customer_id, customer_number=number, verification_required=not verified
    )
