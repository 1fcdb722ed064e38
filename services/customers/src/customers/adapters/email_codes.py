"""Stores the codes mailed to a customer (A2 verification, A5 email change) as HMACs only."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from customers.adapters.tables import email_change_codes, verification_codes
from customers.domain.verification_codes import CODE_LIFETIME, code_digest, new_code


def email_change_scope(new_email: str) -> str:
    """A change code is good only for the address it was sent to."""
    return f"email_change:{new_email}"


async def issue_verification_code(
    session: AsyncSession, secret: str, customer_id: UUID, now: datetime
) -> tuple[str, datetime]:
    """A new code (in clear, for the email only) replacing any open one; wrong tries start over."""
    code = new_code()
    values = {
        "code_digest": code_digest(secret, customer_id, code),
        "expires_at": now + CODE_LIFETIME,
        "wrong_tries": 0,
        "issued_at": now,
    }
    await session.execute(
        insert(verification_codes)
        .values(customer_id=customer_id, **values)
        .on_conflict_do_update(index_elements=[verification_codes.c.customer_id], set_=values)
    )
    return code, now + CODE_LIFETIME


async def issue_email_change_code(
    session: AsyncSession, secret: str, customer_id: UUID, new_email: str, now: datetime
) -> tuple[str, datetime]:
    """As ``issue_verification_code``, for a change to ``new_email``; replaces a pending one."""
    code = new_code()
    values = {
        "new_email": new_email,
        "code_digest": code_digest(secret, customer_id, code, scope=email_change_scope(new_email)),
        "expires_at": now + CODE_LIFETIME,
        "wrong_tries": 0,
        "issued_at": now,
    }
    await session.execute(
        insert(email_change_codes)
        .values(customer_id=customer_id, **values)
        .on_conflict_do_update(index_elements=[email_change_codes.c.customer_id], set_=values)
    )
    return code, now + CODE_LIFETIME
