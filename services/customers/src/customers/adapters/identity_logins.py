"""An identity's login facts: email, password hash, verified email and failed-login counter."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from customers.adapters.tables import identities, shop_customers, verification_codes
from customers.domain.login_throttle import CLEAR, LoginFailures


@dataclass(frozen=True)
class LoginState:
    identity_id: UUID
    email: str
    password_hash: str | None
    email_verified_at: datetime | None
    first_name: str
    language: str
    failures: LoginFailures


LOGIN_COLUMNS = (
    identities.c.identity_id,
    identities.c.email,
    identities.c.password_hash,
    identities.c.email_verified_at,
    identities.c.first_name,
    identities.c.language,
    identities.c.failed_logins,
    identities.c.first_failed_login_at,
    identities.c.locked_until,
)


def _state(row: Any) -> LoginState:
    return LoginState(
        identity_id=row.identity_id,
        email=row.email,
        password_hash=row.password_hash,
        email_verified_at=row.email_verified_at,
        first_name=row.first_name,
        language=row.language,
        failures=LoginFailures(row.failed_logins, row.first_failed_login_at, row.locked_until),
    )


async def login_state(
    session: AsyncSession,
    *,
    email: str | None = None,
    identity_id: UUID | None = None,
    lock: bool = False,
) -> LoginState | None:
    """By email or id; ``lock`` holds the row (FOR NO KEY UPDATE) until the transaction ends.

    NO KEY UPDATE: it serialises logins of one person without blocking another transaction
    that only adds a shop record for them (a foreign key takes KEY SHARE), e.g. an import.
    """
    statement = select(*LOGIN_COLUMNS)
    if email is not None:
        statement = statement.where(identities.c.email == email)
    if identity_id is not None:
        statement = statement.where(identities.c.identity_id == identity_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    row = (await session.execute(statement)).first()
    return None if row is None else _state(row)


async def save_failures(session: AsyncSession, identity_id: UUID, failures: LoginFailures) -> None:
    await session.execute(
        update(identities)
        .where(identities.c.identity_id == identity_id)
        .values(**failures.as_columns())
    )


async def record_failed_login(
    session: AsyncSession, person: LoginState, now: datetime
) -> LoginState:
    """Count one more failure (the row should be locked); the result tells if it locked."""
    failures = person.failures.after_failure(now)
    await save_failures(session, person.identity_id, failures)
    return replace(person, failures=failures)


async def mark_email_verified(session: AsyncSession, identity_id: UUID, now: datetime) -> None:
    """Verified from now on (unless it was before); open verification codes become moot."""
    await session.execute(
        update(identities)
        .where(identities.c.identity_id == identity_id)
        .values(email_verified_at=func.coalesce(identities.c.email_verified_at, now))
    )
    await session.execute(
        delete(verification_codes).where(
            verification_codes.c.customer_id.in_(
                select(shop_customers.c.customer_id).where(
                    shop_customers.c.identity_id == identity_id
                )
            )
        )
    )


async def store_password(session: AsyncSession, identity_id: UUID, password_hash: str) -> None:
    """A new password also lifts the failed-login lock: whoever set it may log in."""
    await session.execute(
        update(identities)
        .where(identities.c.identity_id == identity_id)
        .values(password_hash=password_hash, **CLEAR.as_columns())
    )
