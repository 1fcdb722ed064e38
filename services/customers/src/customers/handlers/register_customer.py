"""A1: a person creates their account in a shop: identity, shop record, then verification."""

from datetime import UTC, datetime

from sqlalchemy import exists, select

from contracts.customers import (
    CustomerAccountActivated,
    CustomerRegistration,
    RegisterCustomer,
    VerificationCodeIssued,
)
from customers.adapters.email_codes import issue_verification_code
from customers.adapters.new_customers import ShopTerms, add_shop_record, insert_identity
from customers.adapters.tables import identities, shops
from customers.domain.passwords import hash_password
from customers.domain.registration_input import check_registration, profile_values
from customers.handlers.refusals import email_taken, invalid_input, shop_not_ready
from service_runtime.database import UnitOfWork

EMAIL_KNOWN = (
    "An account with this email exists (maybe made in another shop of the same platform): "
    "log in with that email and its password; this shop then gets your account too."
)


async def register_customer(
    command: RegisterCustomer, uow: UnitOfWork, *, code_secret: str
) -> CustomerRegistration:
    checked = check_registration(command)
    if checked.problems:
        raise invalid_input(checked.problems)
    session = uow.session
    mode = await session.scalar(
        select(shops.c.verification_mode).where(shops.c.shop_id == command.shop_id)
    )
    if mode is None:
        raise shop_not_ready()
    email: str = checked.values["email"]
    if await session.scalar(select(exists().where(identities.c.email == email))):
        raise email_taken(EMAIL_KNOWN)

    password_hash = await hash_password(command.password)
    now = datetime.now(UTC)
    verified = mode == "none"
    identity_id = await insert_identity(
        session,
        email=email,
        profile=profile_values(checked),
        password_hash=password_hash,
        verified_at=now if verified else None,
        now=now,
    )
    if identity_id is None:  # registered a moment ago by a concurrent request
        raise email_taken(EMAIL_KNOWN)
    customer = await add_shop_record(
        uow,
        command,
        shop_id=command.shop_id,
        identity_id=identity_id,
        source="storefront",
        now=now,
        terms=ShopTerms(newsletter=command.newsletter),
    )
    if customer is None:
        raise RuntimeError("a new identity already has a shop record")
    if verified:
        uow.emit(
            CustomerAccountActivated.caused_by(
                command,
                customer_id=customer.customer_id,
                email=email,
                first_name=customer.first_name,
                language=customer.language,
                activated_at=now,
            )
        )
    else:
        code, expires_at = await issue_verification_code(
            session, code_secret, customer.customer_id, now
        )
        uow.emit(
            VerificationCodeIssued.caused_by(
                command,
                customer_id=customer.customer_id,
                email=email,
                first_name=customer.first_name,
                language=customer.language,
                code=code,
                expires_at=expires_at,
            )
        )
    return CustomerRegistration(
        customer_id=customer.customer_id,
        customer_number=customer.customer_number,
        verification_required=not verified,
    )
