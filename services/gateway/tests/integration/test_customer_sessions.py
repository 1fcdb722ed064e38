"""Customer sessions on the real database: stored as digests, scoped, expired and revoked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.customer_sessions import find_session as find
from gateway.adapters.customer_sessions import (
    open_session,
    purge_expired,
    revoke_customers,
    revoke_identity,
    revoke_token,
)
from gateway.adapters.tables import customer_sessions
from gateway.domain.tokens import token_digest
from service_runtime.database import make_engine, make_session_factory

pytestmark = pytest.mark.database
DAY = timedelta(days=1)


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = make_engine(database_url, pool_size=2)
    async with make_session_factory(engine)() as session:
        yield session
    await engine.dispose()


async def login(
    session: AsyncSession,
    shop: UUID,
    customer: UUID,
    identity: UUID,
    now: datetime | None = None,
) -> str:
    issued = await open_session(
        session, shop_id=shop, customer_id=customer, identity_id=identity, lifetime=DAY, now=now
    )
    await session.commit()
    return issued.token


async def test_only_the_digest_is_stored_and_it_finds_the_customer(session: AsyncSession) -> None:
    shop, customer, identity = uuid4(), uuid4(), uuid4()
    now = datetime.now(UTC)
    issued = await open_session(
        session, shop_id=shop, customer_id=customer, identity_id=identity, lifetime=DAY, now=now
    )
    await session.commit()

    assert issued.token.startswith("ct_")
    assert issued.expires_at == now + DAY
    rows = (await session.execute(select(customer_sessions))).all()
    assert [r.token_digest for r in rows] == [token_digest(issued.token)]
    assert issued.token not in str(rows[0])
    found = await find(session, issued.token)
    assert found is not None
    assert (found.shop_id, found.customer_id, found.identity_id) == (shop, customer, identity)
    assert await find(session, issued.token + "x") is None


async def test_an_expired_session_is_not_found(session: AsyncSession) -> None:
    started = datetime.now(UTC) - timedelta(days=2)
    token = await login(session, uuid4(), uuid4(), uuid4(), now=started)
    assert await find(session, token) is None
    assert await find(session, token, now=started + DAY - timedelta(seconds=1)) is not None


async def test_a_new_login_clears_the_customers_expired_sessions_only(
    session: AsyncSession,
) -> None:
    shop, customer, identity = uuid4(), uuid4(), uuid4()
    old = await login(session, shop, customer, identity, now=datetime.now(UTC) - 2 * DAY)
    other_customers_old = await login(
        session, shop, uuid4(), uuid4(), now=datetime.now(UTC) - 2 * DAY
    )
    await login(session, shop, customer, identity)
    digests = set((await session.scalars(select(customer_sessions.c.token_digest))).all())
    assert token_digest(old) not in digests
    assert token_digest(other_customers_old) in digests


async def test_logout_revokes_that_token_only(session: AsyncSession) -> None:
    shop, customer, identity = uuid4(), uuid4(), uuid4()
    phone, laptop = [await login(session, shop, customer, identity) for _ in range(2)]
    assert await revoke_token(session, token_digest(phone)) == 1
    await session.commit()
    assert await find(session, phone) is None
    assert await find(session, laptop) is not None


async def test_denied_or_deleted_customers_lose_every_session(session: AsyncSession) -> None:
    shop, identity = uuid4(), uuid4()
    first, second, bystander = uuid4(), uuid4(), uuid4()
    tokens = [await login(session, shop, c, identity) for c in (first, first, second)]
    kept = await login(session, shop, bystander, uuid4())

    assert await revoke_customers(session, [first, second]) == 3
    await session.commit()
    assert [await find(session, t) for t in tokens] == [None, None, None]
    assert await find(session, kept) is not None
    assert await revoke_customers(session, []) == 0


async def test_a_new_password_ends_the_persons_sessions_in_every_shop_but_the_current(
    session: AsyncSession,
) -> None:
    identity = uuid4()
    here = await login(session, uuid4(), uuid4(), identity)
    elsewhere = await login(session, uuid4(), uuid4(), identity)
    stranger = await login(session, uuid4(), uuid4(), uuid4())

    assert await revoke_identity(session, identity, keep_digest=token_digest(here)) == 1
    await session.commit()
    assert await find(session, here) is not None
    assert await find(session, elsewhere) is None

    assert await revoke_identity(session, identity) == 1
    await session.commit()
    assert await find(session, here) is None
    assert await find(session, stranger) is not None


async def test_purging_frees_expired_rows(session: AsyncSession) -> None:
    live = await login(session, uuid4(), uuid4(), uuid4())
    await login(session, uuid4(), uuid4(), uuid4(), now=datetime.now(UTC) - 2 * DAY)
    assert await purge_expired(session) == 1
    await session.commit()
    assert await find(session, live) is not None
    assert len((await session.execute(select(customer_sessions))).all()) == 1
