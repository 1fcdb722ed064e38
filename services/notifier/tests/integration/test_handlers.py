"""Handlers against a real database: one queued email per event, brands kept up to date."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from notifier.adapters.tables import messages, shop_brands
from notifier.handlers.shop_opened import record_brand
from notifier.handlers.verification_code_issued import queue_verification_code
from service_runtime.database import UnitOfWork

pytestmark = pytest.mark.database


async def rows_for(engine: AsyncEngine, source_message_id: UUID) -> list[Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            select(messages).where(messages.c.source_message_id == source_message_id)
        )
        return list(result)


async def test_code_issued_queues_one_message_even_when_handled_twice(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, code_issued: Any
) -> None:
    event = code_issued(uuid4(), language="de")

    for _ in range(2):
        async with UnitOfWork(sessions) as uow:
            await queue_verification_code(event, uow)
            await uow.commit()

    (row,) = await rows_for(engine, event.message_id)
    assert (row.status, row.attempts, row.kind) == ("queued", 0, "verification_code")
    assert (row.shop_id, row.recipient, row.language) == (event.shop_id, event.email, "de")
    assert row.context == {
        "first_name": "Ada",
        "code": event.code,
        "expires_at": event.expires_at.isoformat(),
    }


async def test_redelivered_event_through_the_dispatcher_queues_nothing_more(
    handle: Callable[..., Awaitable[None]], engine: AsyncEngine, code_issued: Any
) -> None:
    event = code_issued(uuid4())

    await handle(event, event)

    assert len(await rows_for(engine, event.message_id)) == 1


async def test_shop_opened_keeps_the_newest_brand(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, shop_opened: Any
) -> None:
    opened = shop_opened()
    renamed = opened.model_copy(
        update={
            "message_id": uuid4(),
            "brand_name": "Atelier Neuf",
            "occurred_at": opened.occurred_at + timedelta(minutes=1),
        }
    )
    stale = opened.model_copy(
        update={
            "message_id": uuid4(),
            "brand_name": "Atelier Ancien",
            "occurred_at": opened.occurred_at - timedelta(hours=1),
        }
    )

    for event in (opened, renamed, stale):
        async with UnitOfWork(sessions) as uow:
            await record_brand(event, uow)
            await uow.commit()

    async with engine.connect() as conn:
        brand = (
            await conn.execute(select(shop_brands).where(shop_brands.c.shop_id == opened.shop_id))
        ).one()
        count = await conn.scalar(
            select(func.count()).where(shop_brands.c.shop_id == opened.shop_id)
        )
    assert count == 1
    assert brand.brand_name == "Atelier Neuf"
    assert (brand.sender_email, brand.default_language, brand.timezone) == (
        opened.sender_email,
        "fr",
        "Europe/Paris",
    )
