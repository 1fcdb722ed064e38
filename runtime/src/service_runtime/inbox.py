"""Idempotent consumption: a message id is recorded in the same transaction as its effects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import Message
from service_runtime.tables import inbox


async def claim(session: AsyncSession, consumer: str, message: Message) -> bool:
    """Record ``message`` as handled by ``consumer``; False when it already was.

    A concurrent duplicate waits on the primary key until the first transaction ends, so two
    deliveries of one message never both see True.
    """
    return message.message_id in await claim_many(session, consumer, [message])


async def claim_many(
    session: AsyncSession, consumer: str, messages: Sequence[Message]
) -> set[UUID]:
    """:func:`claim` for several messages in one statement; returns the ids newly claimed."""
    result = await session.execute(
        insert(inbox)
        .values(
            [
                {"consumer": consumer, "message_id": m.message_id, "message_type": type(m).__name__}
                for m in messages
            ]
        )
        .on_conflict_do_nothing()
        .returning(inbox.c.message_id)
    )
    return set(result.scalars())


async def remember_reply(
    session: AsyncSession, consumer: str, message: Message, reply: dict[str, Any]
) -> None:
    """Keep a command's reply so a redelivered command gets the same answer."""
    await session.execute(
        inbox.update()
        .where(inbox.c.consumer == consumer, inbox.c.message_id == message.message_id)
        .values(reply=reply)
    )


async def stored_reply(session: AsyncSession, consumer: str, message: Message) -> Any:
    """The reply recorded when ``message`` was first handled, if any."""
    return await session.scalar(
        select(inbox.c.reply).where(
            inbox.c.consumer == consumer, inbox.c.message_id == message.message_id
        )
    )
