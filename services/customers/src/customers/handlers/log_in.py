"""A3, A6: check a person's credentials in a shop; a first login there creates their record.

The lock is checked before the password, so a locked account costs no hash and says nothing
about the password. An unknown email costs a hash all the same, so timing does not tell
which emails have accounts.
"""

from datetime import UTC, datetime
from uuid import UUID

from email_validator import EmailNotValidError
from sqlalchemy import select, update

from contracts.customers import CustomerAccountActivated, LogIn, LoginResult
from customers.adapters.identity_logins import (
    LoginState,
    login_state,
    record_failed_login,
    save_failures,
    store_password,
)
from customers.adapters.new_customers import add_shop_record
from customers.adapters.tables import shop_customers, shops
from customers.domain.login_throttle import CLEAR
from customers.domain.passwords import (
    hash_password,
    needs_rehash,
    spend_verification_time,
    verify_password,
)
from customers.domain.profile_input import normalise_email
from customers.handlers.refusals import (
    account_locked,
    email_not_verified,
    invalid_credentials,
    login_refused,
    shop_not_ready,
)
from service_runtime.database import UnitOfWork

NOT_ACTIVATED_YET = (
    "This account has no password yet: set your password with the link in your invitation,"
    " or reset it."
)
VERIFY_FIRST = (
    "Confirm your email address first with the code we sent you; you can ask for a new code."
)
VERIFY_ELSEWHERE = (
    "Confirm your email address first with the code sent when you registered (in the shop"
    " where you created your account); then log in here."
)


async def first_login_here(
    uow: UnitOfWork, command: LogIn, person: LoginState, now: datetime
) -> tuple[UUID, int]:
    """A6: the shop's record of a person known from another shop, prefilled from the identity
    (the identity row is locked, so two first logins cannot both create it)."""
    customer = await add_shop_record(
        uow,
        command,
        shop_id=command.shop_id,
        identity_id=person.identity_id,
        source="shared_login",
        now=now,
    )
    if customer is None:
        raise RuntimeError("the locked identity got a record in this shop")
    uow.emit(
        CustomerAccountActivated.caused_by(
            command,
            customer_id=customer.customer_id,
            email=person.email,
            first_name=person.first_name,
            language=customer.language,
            activated_at=now,
        )
    )
    return customer.customer_id, customer.customer_number


async def log_in(command: LogIn, uow: UnitOfWork) -> LoginResult:
    """Failures are counted even though the command is refused (keep_changes)."""
    session = uow.session
    mode = await session.scalar(
        select(shops.c.verification_mode).where(shops.c.shop_id == command.shop_id)
    )
    if mode is None:
        raise shop_not_ready()
    try:
        email = normalise_email(command.email)
    except EmailNotValidError as exc:
        raise invalid_credentials() from exc
    person = await login_state(session, email=email)
    if person is None:
        await spend_verification_time(command.password)
        raise invalid_credentials()
    now = datetime.now(UTC)
    if until := person.failures.lock_end(now):
        raise account_locked(until, now)
    if person.password_hash is None:
        raise invalid_credentials(NOT_ACTIVATED_YET)
    matches = await verify_password(person.password_hash, command.password)

    # Decide under the row lock: concurrent failures count one by one.
    checked_hash = person.password_hash
    person = await login_state(session, identity_id=person.identity_id, lock=True)
    now = datetime.now(UTC)
    if person is None or person.password_hash != checked_hash:  # deleted or changed meanwhile
        raise invalid_credentials()
    if until := person.failures.lock_end(now):
        raise account_locked(until, now)
    if not matches:
        person = await record_failed_login(session, person, now)
        if until := person.failures.lock_end(now):
            raise account_locked(until, now, just_now=True)
        raise invalid_credentials(keep_changes=True)

    verified = person.email_verified_at is not None or mode == "none"
    record = (
        await session.execute(
            select(
                shop_customers.c.customer_id,
                shop_customers.c.customer_number,
                shop_customers.c.denied,
            ).where(
                shop_customers.c.shop_id == command.shop_id,
                shop_customers.c.identity_id == person.identity_id,
            )
        )
    ).first()
    if record is not None and record.denied:
        raise login_refused()
    if not verified:
        raise email_not_verified(VERIFY_FIRST if record is not None else VERIFY_ELSEWHERE)
    if record is None:
        customer_id, customer_number = await first_login_here(uow, command, person, now)
    else:
        customer_id, customer_number = record.customer_id, record.customer_number

    if needs_rehash(checked_hash):
        await store_password(session, person.identity_id, await hash_password(command.password))
    elif not person.failures.is_clear:
        await save_failures(session, person.identity_id, CLEAR)
    await session.execute(
        update(shop_customers)
        .where(shop_customers.c.customer_id == customer_id)
        .values(last_login_at=now)
    )
    return LoginResult(
        customer_id=customer_id,
        customer_number=customer_number,
        created_in_shop=record is None,
        identity_id=person.identity_id,
    )
