"""Setting a password through a one-time link: the step the reset and the invitation share."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import FieldError
from customers.adapters.account_tokens import TokenHolder, redeem_token
from customers.adapters.identity_logins import LoginState, login_state, store_password
from customers.domain.account_tokens import TokenPurpose
from customers.domain.passwords import hash_password, password_problem
from customers.handlers.refusals import invalid_input, token_invalid


async def set_password_by_link(
    session: AsyncSession,
    *,
    shop_id: UUID,
    purpose: TokenPurpose,
    token: str,
    password: str,
    password_field: str,
    now: datetime,
) -> tuple[TokenHolder, LoginState]:
    """Redeem the link's token, check and store the password; returns the holder and the
    person's login state as it was before (to tell whether the account just became usable)."""
    holder = await redeem_token(session, shop_id=shop_id, purpose=purpose, token=token, now=now)
    if isinstance(holder, str):
        raise token_invalid(holder)
    if reason := password_problem(password):
        raise invalid_input([FieldError(field=password_field, reason=reason)])
    before = await login_state(session, identity_id=holder.identity_id, lock=True)
    if before is None:
        raise RuntimeError("a shop record without its identity")
    await store_password(session, holder.identity_id, await hash_password(password))
    return holder, before
