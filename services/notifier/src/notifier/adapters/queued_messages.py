"""Queues emails in the message log; the same event never queues the same email twice (N5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import Event
from notifier.adapters.tables import messages
from notifier.domain.message_kinds import MessageKind


async def queue_messages(
    session: AsyncSession,
    cause: Event,
    kind: MessageKind,
    recipients: Iterable[str],
    language: str,
    context: Mapping[str, Any],
    *,
    invoice_id: UUID | None = None,
) -> None:
    """One queued message per recipient; rows (event, kind, recipient) already queued stay as they are.

    ``invoice_id`` names the stored invoice PDF the email carries as an attachment.
    """
    rows = [
        {
            "id": uuid4(),
            "shop_id": cause.shop_id,
            "source_message_id": cause.message_id,
            "kind": kind,
            "recipient": recipient,
            "language": language,
            "context": dict(context),
            "invoice_id": invoice_id,
        }
        for recipient in dict.fromkeys(recipients)
    ]
    if not rows:
        return
    await session.execute(
        insert(messages)
        .values(rows)
        .on_conflict_do_nothing(
            index_elements=[messages.c.source_message_id, messages.c.kind, messages.c.recipient]
        )
    )


async def queue_message(
    session: AsyncSession,
    cause: Event,
    kind: MessageKind,
    recipient: str,
    language: str,
    context: Mapping[str, Any],
    *,
    invoice_id: UUID | None = None,
) -> None:
    """One queued message to one recipient (see :func:`queue_messages`)."""
    await queue_messages(
        session, cause, kind, [recipient], language, context, invoice_id=invoice_id
    )
