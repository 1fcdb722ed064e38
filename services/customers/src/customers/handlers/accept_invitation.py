"""P1: an invited customer confirms their account and sets a password with the emailed link."""

from datetime import UTC, datetime

from contracts.customers import AcceptInvitation, CustomerAccountActivated, PasswordSet
from customers.adapters.customer_records import announce_changes, records_of_identity
from customers.adapters.identity_logins import mark_email_verified
from customers.handlers.link_passwords import set_password_by_link
from service_runtime.database import UnitOfWork


async def accept_invitation(command: AcceptInvitation, uow: UnitOfWork) -> PasswordSet:
    """The link proves the mailbox: the email is verified and the account can log in."""
    session = uow.session
    now = datetime.now(UTC)
    holder, person = await set_password_by_link(
        session,
        shop_id=command.shop_id,
        purpose="invitation",
        token=command.token,
        password=command.password,
        password_field="password",  # noqa: S106 - a field name
        now=now,
    )
    await mark_email_verified(session, holder.identity_id, now)
    uow.emit(
        CustomerAccountActivated.caused_by(
            command,
            customer_id=holder.customer_id,
            email=person.email,
            first_name=person.first_name,
            language=person.language,
            activated_at=now,
        )
    )
    await announce_changes(uow, command, await records_of_identity(session, holder.identity_id))
    return PasswordSet(customer_id=holder.customer_id, identity_id=holder.identity_id)
