"""P1: an invited customer confirms their account and sets a password with the emailed link."""

from datetime import UTC, datetime

from contracts.base import FieldError
from contracts.customers import AcceptInvitation, CustomerAccountActivated, PasswordSet
from customers.adapters.account_tokens import redeem_token
from customers.adapters.customer_records import announce_changes, records_of_identity
from customers.adapters.identity_logins import login_state, mark_email_verified, store_password
from customers.domain.passwords import hash_password, password_problem
from customers.handlers.refusals import invalid_input, token_invalid
from service_runtime.database import UnitOfWork


async def accept_invitation(command: AcceptInvitation, uow: UnitOfWork) -> PasswordSet:
    """The link proves the mailbox: the email is verified and the account can log in."""
    session = uow.session
    now = datetime.now(UTC)
    holder = await redeem_token(
        session, shop_id=command.shop_id, purpose="invitation", token=command.token, now=now
    )
    if isinstance(holder, str):
        raise token_invalid(holder)
    if reason := password_problem(command.password):
        raise invalid_input([FieldError(field="password", reason=reason)])
    person = await login_state(session, identity_id=holder.identity_id, lock=True)
    if person is None:
        raise RuntimeError("a shop record without its identity")
    await store_password(session, holder.identity_id, await hash_password(command.password))
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
