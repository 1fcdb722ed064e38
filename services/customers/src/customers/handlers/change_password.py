"""A4: a logged-in customer changes their password; the current one must match."""

from datetime import UTC, datetime

from sqlalchemy import select

from contracts.base import FieldError
from contracts.customers import ChangePassword, PasswordSet
from customers.adapters.identity_logins import login_state, record_failed_login, store_password
from customers.adapters.tables import shop_customers
from customers.domain.passwords import hash_password, password_problem, verify_password
from customers.handlers.refusals import account_locked, invalid_input, not_in_shop, wrong_password
from service_runtime.database import UnitOfWork


async def change_password(command: ChangePassword, uow: UnitOfWork) -> PasswordSet:
    """A wrong current password counts as a failed login: a stolen session cannot guess it."""
    session = uow.session
    identity_id = await session.scalar(
        select(shop_customers.c.identity_id).where(
            shop_customers.c.shop_id == command.shop_id,
            shop_customers.c.customer_id == command.customer_id,
        )
    )
    if identity_id is None:
        raise not_in_shop("customer")
    if reason := password_problem(command.new_password):
        raise invalid_input([FieldError(field="new_password", reason=reason)])
    person = await login_state(session, identity_id=identity_id, lock=True)
    if person is None:
        raise RuntimeError("a shop record without its identity")
    now = datetime.now(UTC)
    if until := person.failures.lock_end(now):
        raise account_locked(until, now)
    if person.password_hash is None or not await verify_password(
        person.password_hash, command.current_password
    ):
        person = await record_failed_login(session, person, now)
        detail = "The current password is wrong."
        if until := person.failures.lock_end(now):
            detail += " Too many failed tries: the account is locked until " + until.strftime(
                "%Y-%m-%d %H:%M UTC."
            )
        raise wrong_password(detail)
    await store_password(session, identity_id, await hash_password(command.new_password))
    return PasswordSet(customer_id=command.customer_id, identity_id=identity_id)
