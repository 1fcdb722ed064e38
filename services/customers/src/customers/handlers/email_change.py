"""A5: a new email becomes the login only once the code sent to it is confirmed."""

from datetime import UTC, datetime

from psycopg.errors import UniqueViolation
from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError

from contracts.base import FieldError
from contracts.customers import (
    ConfirmEmailChange,
    EmailChangeCodeIssued,
    EmailChangeDone,
    EmailChangePending,
    RequestEmailChange,
)
from customers.adapters.customer_records import announce_changes, records_of_identity
from customers.adapters.email_codes import email_change_scope, issue_email_change_code
from customers.adapters.tables import email_change_codes, identities, shop_customers
from customers.domain.verification_codes import (
    RESEND_INTERVAL,
    code_matches,
    code_problem,
    wrong_code_reason,
)
from customers.domain.waits import seconds_until
from customers.handlers.refusals import (
    checked_email,
    code_refused,
    email_taken,
    invalid_input,
    not_in_shop,
    too_many_requests,
)
from service_runtime.database import UnitOfWork

EMAIL_IN_USE = "Another account uses this email address."


async def request_email_change(
    command: RequestEmailChange, uow: UnitOfWork, *, code_secret: str
) -> EmailChangePending:
    """Mails a code to the new address; a new request replaces a pending one (once a minute)."""
    new_email = checked_email(command.new_email, "new_email")
    session = uow.session
    customer = (
        await session.execute(
            select(
                shop_customers.c.identity_id,
                identities.c.email,
                identities.c.first_name,
                identities.c.language,
            )
            .join(identities, identities.c.identity_id == shop_customers.c.identity_id)
            .where(
                shop_customers.c.shop_id == command.shop_id,
                shop_customers.c.customer_id == command.customer_id,
            )
            .with_for_update(of=shop_customers)
        )
    ).first()
    if customer is None:
        raise not_in_shop("customer")
    if new_email == customer.email:
        raise invalid_input([FieldError(field="new_email", reason="is already your email")])
    if await session.scalar(select(exists().where(identities.c.email == new_email))):
        raise email_taken(EMAIL_IN_USE, field="new_email")
    now = datetime.now(UTC)
    issued_at = await session.scalar(
        select(email_change_codes.c.issued_at).where(
            email_change_codes.c.customer_id == command.customer_id
        )
    )
    if issued_at is not None and now - issued_at < RESEND_INTERVAL:
        raise too_many_requests(
            "A code was sent less than a minute ago.",
            seconds_until(issued_at + RESEND_INTERVAL, now),
        )
    code, expires_at = await issue_email_change_code(
        session, code_secret, command.customer_id, new_email, now
    )
    uow.emit(
        EmailChangeCodeIssued.caused_by(
            command,
            customer_id=command.customer_id,
            new_email=new_email,
            first_name=customer.first_name,
            language=customer.language,
            code=code,
            expires_at=expires_at,
        )
    )
    return EmailChangePending(new_email=new_email, expires_at=expires_at)


async def confirm_email_change(
    command: ConfirmEmailChange, uow: UnitOfWork, *, code_secret: str
) -> EmailChangeDone:
    """The new address is verified by the code; every shop of the person sees the change."""
    session = uow.session
    pending = (
        await session.execute(
            select(
                shop_customers.c.identity_id,
                email_change_codes.c.new_email,
                email_change_codes.c.code_digest,
                email_change_codes.c.expires_at,
                email_change_codes.c.wrong_tries,
            )
            .outerjoin(
                email_change_codes,
                email_change_codes.c.customer_id == shop_customers.c.customer_id,
            )
            .where(
                shop_customers.c.shop_id == command.shop_id,
                shop_customers.c.customer_id == command.customer_id,
            )
            .with_for_update(of=shop_customers)
        )
    ).first()
    if pending is None:
        raise not_in_shop("customer")
    if pending.new_email is None:
        raise code_refused("no email change is pending: ask for a code first")
    now = datetime.now(UTC)
    if problem := code_problem(pending.wrong_tries, expired=pending.expires_at <= now):
        raise code_refused(problem)
    scope = email_change_scope(pending.new_email)
    if not code_matches(
        code_secret, command.customer_id, command.code, pending.code_digest, scope=scope
    ):
        await session.execute(
            update(email_change_codes)
            .where(email_change_codes.c.customer_id == command.customer_id)
            .values(wrong_tries=email_change_codes.c.wrong_tries + 1)
        )
        raise code_refused(wrong_code_reason(pending.wrong_tries), keep_changes=True)

    try:
        async with session.begin_nested():
            await session.execute(
                update(identities)
                .where(identities.c.identity_id == pending.identity_id)
                .values(email=pending.new_email, email_verified_at=now)
            )
    except IntegrityError as exc:
        if not isinstance(exc.orig, UniqueViolation):
            raise
        raise email_taken(EMAIL_IN_USE, field="new_email") from exc
    await session.execute(
        delete(email_change_codes).where(email_change_codes.c.customer_id == command.customer_id)
    )
    await announce_changes(uow, command, await records_of_identity(session, pending.identity_id))
    return EmailChangeDone(customer_id=command.customer_id, email=pending.new_email)
