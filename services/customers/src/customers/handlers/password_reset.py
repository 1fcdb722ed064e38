"""A4: password reset by a one-time link; the same answer whether or not the email is known."""

from datetime import UTC, datetime

from email_validator import EmailNotValidError
from sqlalchemy import select

from contracts.customers import (
    Accepted,
    CustomerAccountActivated,
    PasswordResetRequested,
    PasswordSet,
    RequestPasswordReset,
    ResetPassword,
)
from customers.adapters.account_tokens import issue_token, last_issued_at
from customers.adapters.customer_records import announce_changes, records_of_identity
from customers.adapters.identity_logins import mark_email_verified
from customers.adapters.tables import identities, shop_customers
from customers.domain.account_tokens import RESET_REQUEST_INTERVAL
from customers.domain.profile_input import normalise_email
from customers.handlers.link_passwords import set_password_by_link
from service_runtime.database import UnitOfWork


async def request_password_reset(command: RequestPasswordReset, uow: UnitOfWork) -> Accepted:
    """Mails a link only to a customer of this shop, at most once a minute; always Accepted."""
    try:
        email = normalise_email(command.email)
    except EmailNotValidError:
        return Accepted()
    session = uow.session
    customer = (
        await session.execute(
            select(shop_customers.c.customer_id, identities.c.first_name, identities.c.language)
            .join(identities, identities.c.identity_id == shop_customers.c.identity_id)
            .where(shop_customers.c.shop_id == command.shop_id, identities.c.email == email)
            .with_for_update(of=shop_customers)
        )
    ).first()
    if customer is None:
        return Accepted()
    now = datetime.now(UTC)
    last = await last_issued_at(session, customer.customer_id, "password_reset")
    if last is not None and now - last < RESET_REQUEST_INTERVAL:
        return Accepted()
    token, expires_at = await issue_token(
        session,
        purpose="password_reset",
        customer_id=customer.customer_id,
        shop_id=command.shop_id,
        now=now,
    )
    uow.emit(
        PasswordResetRequested.caused_by(
            command,
            customer_id=customer.customer_id,
            email=email,
            first_name=customer.first_name,
            language=customer.language,
            token=token,
            expires_at=expires_at,
        )
    )
    return Accepted()


async def reset_password(command: ResetPassword, uow: UnitOfWork) -> PasswordSet:
    """The link proves the mailbox: the email is verified too, and the login lock lifted."""
    session = uow.session
    now = datetime.now(UTC)
    holder, before = await set_password_by_link(
        session,
        shop_id=command.shop_id,
        purpose="password_reset",
        token=command.token,
        password=command.new_password,
        password_field="new_password",  # noqa: S106 - a field name
        now=now,
    )
    if before.email_verified_at is None:
        await mark_email_verified(session, holder.identity_id, now)
        await announce_changes(uow, command, await records_of_identity(session, holder.identity_id))
    if before.password_hash is None or before.email_verified_at is None:
        uow.emit(
            CustomerAccountActivated.caused_by(
                command,
                customer_id=holder.customer_id,
                email=before.email,
                first_name=before.first_name,
                language=before.language,
                activated_at=now,
            )
        )
    return PasswordSet(customer_id=holder.customer_id, identity_id=holder.identity_id)
