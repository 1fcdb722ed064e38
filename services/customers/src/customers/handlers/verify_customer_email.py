"""A2: confirm an email with its code; wrong tries are counted and lock the code after five."""

from datetime import UTC, datetime

from email_validator import EmailNotValidError
from sqlalchemy import delete, select, update

from contracts.customers import CustomerEmailVerified, EmailVerification, VerifyCustomerEmail
from customers.adapters.tables import identities, shop_customers, verification_codes
from customers.domain.registration_input import normalise_email
from customers.domain.verification_codes import MAX_WRONG_TRIES, code_matches
from customers.handlers.refusals import code_refused
from service_runtime.database import UnitOfWork


async def verify_customer_email(
    command: VerifyCustomerEmail, uow: UnitOfWork, *, code_secret: str
) -> EmailVerification:
    session = uow.session
    try:
        email = normalise_email(command.email)
    except EmailNotValidError as exc:
        raise code_refused(f"email: {exc}") from exc
    row = (
        await session.execute(
            select(
                shop_customers.c.customer_id,
                identities.c.identity_id,
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
    if row.wrong_tries >= MAX_WRONG_TRIES:
        raise code_refused("too many wrong codes: ask for a new code")
    if row.expires_at < now:
        raise code_refused("the code has expired: ask for a new code")
    if not code_matches(code_secret, row.customer_id, command.code, row.code_digest):
        await session.execute(
            update(verification_codes)
            .where(verification_codes.c.customer_id == row.customer_id)
            .values(wrong_tries=verification_codes.c.wrong_tries + 1)
        )
        left = MAX_WRONG_TRIES - row.wrong_tries - 1
        raise code_refused(f"wrong code ({left} tries left)", keep_changes=True)

    await session.execute(
        delete(verification_codes).where(verification_codes.c.customer_id == row.customer_id)
    )
    await session.execute(
        update(identities)
        .where(identities.c.identity_id == row.identity_id)
        .values(email_verified_at=now)
    )
    uow.emit(CustomerEmailVerified.caused_by(command, customer_id=row.customer_id, verified_at=now))
    return EmailVerification(customer_id=row.customer_id, verified_at=now)
