"""A2: confirm an email with its code; wrong tries are counted and lock the code after five."""

from datetime import UTC, datetime

from sqlalchemy import select, update

from contracts.customers import (
    CustomerAccountActivated,
    CustomerEmailVerified,
    EmailVerification,
    VerifyCustomerEmail,
)
from customers.adapters.customer_records import announce_changes, records_of_identity
from customers.adapters.identity_logins import mark_email_verified
from customers.adapters.tables import identities, shop_customers, verification_codes
from customers.domain.verification_codes import code_matches, code_problem, wrong_code_reason
from customers.handlers.refusals import checked_email, code_refused
from service_runtime.database import UnitOfWork


async def verify_customer_email(
    command: VerifyCustomerEmail, uow: UnitOfWork, *, code_secret: str
) -> EmailVerification:
    session = uow.session
    email = checked_email(command.email)
    row = (
        await session.execute(
            select(
                shop_customers.c.customer_id,
                identities.c.identity_id,
                identities.c.first_name,
                identities.c.language,
                verification_codes.c.code_digest,
                verification_codes.c.expires_at,
                verification_codes.c.wrong_tries,
            )
            .join(identities, identities.c.identity_id == shop_customers.c.identity_id)
            .join(
                verification_codes, verification_codes.c.customer_id == shop_customers.c.customer_id
            )
            .where(shop_customers.c.shop_id == command.shop_id, identities.c.email == email)
            .with_for_update(of=verification_codes)
        )
    ).first()
    if row is None:
        raise code_refused("no verification is pending for this email in this shop")
    now = datetime.now(UTC)
    if problem := code_problem(row.wrong_tries, expired=row.expires_at <= now):
        raise code_refused(problem)
    if not code_matches(code_secret, row.customer_id, command.code, row.code_digest):
        await session.execute(
            update(verification_codes)
            .where(verification_codes.c.customer_id == row.customer_id)
            .values(wrong_tries=verification_codes.c.wrong_tries + 1)
        )
        raise code_refused(wrong_code_reason(row.wrong_tries), keep_changes=True)

    await mark_email_verified(session, row.identity_id, now)
    uow.emit(
        CustomerEmailVerified.caused_by(command, customer_id=row.customer_id, verified_at=now),
        CustomerAccountActivated.caused_by(
            command,
            customer_id=row.customer_id,
            email=email,
            first_name=row.first_name,
            language=row.language,
            activated_at=now,
        ),
    )
    await announce_changes(uow, command, await records_of_identity(session, row.identity_id))
    return EmailVerification(customer_id=row.customer_id, verified_at=now)
