"""A2: a new verification code, at most once a minute; unknown or verified emails learn nothing."""

from datetime import UTC, datetime

from sqlalchemy import select

from contracts.customers import Accepted, ResendVerificationCode, VerificationCodeIssued
from customers.adapters.email_codes import issue_verification_code
from customers.adapters.tables import identities, shop_customers, verification_codes
from customers.domain.verification_codes import RESEND_INTERVAL
from customers.domain.waits import seconds_until
from customers.handlers.refusals import checked_email, too_many_requests
from service_runtime.database import UnitOfWork


async def resend_verification_code(
    command: ResendVerificationCode, uow: UnitOfWork, *, code_secret: str
) -> Accepted:
    """The new code replaces the old one, whose wrong tries are forgotten with it."""
    email = checked_email(command.email)
    session = uow.session
    customer = (
        await session.execute(
            select(shop_customers.c.customer_id, identities.c.first_name, identities.c.language)
            .join(identities, identities.c.identity_id == shop_customers.c.identity_id)
            .where(
                shop_customers.c.shop_id == command.shop_id,
                identities.c.email == email,
                identities.c.email_verified_at.is_(None),
            )
            .with_for_update(of=shop_customers)
        )
    ).first()
    if customer is None:
        return Accepted()
    now = datetime.now(UTC)
    issued_at = await session.scalar(
        select(verification_codes.c.issued_at).where(
            verification_codes.c.customer_id == customer.customer_id
        )
    )
    if issued_at is not None and now - issued_at < RESEND_INTERVAL:
        raise too_many_requests(
            "A code was sent less than a minute ago.",
            seconds_until(issued_at + RESEND_INTERVAL, now),
        )
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
    return Accepted()
