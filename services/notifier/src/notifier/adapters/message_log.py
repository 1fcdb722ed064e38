"""Reads due messages (locked) and records what each delivery attempt did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Text, case, func, or_, select, type_coerce, update
from sqlalchemy.dialects.postgresql import JSONB, array
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from notifier.adapters.tables import invoice_documents, messages, shop_brands
from notifier.domain.attachments import Attachment
from notifier.domain.branding import Brand
from notifier.domain.delivery_policy import QUEUED, SENT, NextState

SECRET_CONTEXT_KEYS = ("code", "token", "link")
"""Template variables that must not outlive delivery in the log: one-time codes, tokens and
the links that carry them."""

FORGOTTEN_AFTER_DELIVERY: dict[str, tuple[str, ...]] = {
    "account_deleted": ("email", "first_name", "last_name", "comment"),
}
"""Per kind, personal data kept only until delivery: a deleted customer's details were for
the merchant's email alone (CustomerDeleted says so); the log keeps the customer number."""


@dataclass(frozen=True)
class DueMessage:
    """A queued message whose time has come, with its shop's brand if we know it yet, and the
    invoice PDF it carries, if any."""

    id: UUID
    shop_id: UUID
    kind: str
    recipient: str
    language: str
    context: dict[str, Any]
    attempts: int
    brand: Brand | None
    attachment: Attachment | None = None


def _due_message(row: RowMapping) -> DueMessage:
    brand = (
        Brand(
            name=row["brand_name"],
            sender_email=row["sender_email"],
            default_language=row["default_language"],
            timezone=row["timezone"],
            sender_name=row["sender_name"],
            reply_to=row["reply_to"],
            logo_url=row["logo_url"],
            primary_color=row["primary_color"],
            accent_color=row["accent_color"],
            legal_notice=row["legal_notice"],
            storefront_url=row["storefront_url"],
        )
        if row["brand_name"] is not None
        else None
    )
    return DueMessage(
        id=row["id"],
        shop_id=row["shop_id"],
        kind=row["kind"],
        recipient=row["recipient"],
        language=row["language"],
        context=row["context"],
        attempts=row["attempts"],
        brand=brand,
        attachment=(
            Attachment(row["filename"], row["pdf"]) if row["filename"] is not None else None
        ),
    )


async def lock_due(conn: AsyncConnection, limit: int) -> list[DueMessage]:
    """Lock up to ``limit`` due messages; rows another replica holds are skipped, not waited for.

    An invoice email's PDF comes along (tens of kB each, a batch holds a handful). An invoice
    email whose PDF is not rendered yet is not due: it is left alone, no attempt counted,
    until the rendering worker stored it.
    """
    result = await conn.execute(
        select(
            messages.c.id,
            messages.c.shop_id,
            messages.c.kind,
            messages.c.recipient,
            messages.c.language,
            messages.c.context,
            messages.c.attempts,
            shop_brands.c.brand_name,
            shop_brands.c.sender_email,
            shop_brands.c.default_language,
            shop_brands.c.timezone,
            shop_brands.c.sender_name,
            shop_brands.c.reply_to,
            shop_brands.c.logo_url,
            shop_brands.c.primary_color,
            shop_brands.c.accent_color,
            shop_brands.c.legal_notice,
            shop_brands.c.storefront_url,
            invoice_documents.c.filename,
            invoice_documents.c.pdf,
        )
        .select_from(
            messages.outerjoin(shop_brands, shop_brands.c.shop_id == messages.c.shop_id).outerjoin(
                invoice_documents, invoice_documents.c.invoice_id == messages.c.invoice_id
            )
        )
        .where(
            messages.c.status == QUEUED,
            messages.c.next_attempt_at <= func.now(),
            or_(messages.c.invoice_id.is_(None), invoice_documents.c.rendered_at.is_not(None)),
        )
        .order_by(messages.c.next_attempt_at)
        .limit(limit)
        .with_for_update(of=messages, skip_locked=True)
    )
    return [_due_message(row) for row in result.mappings()]


def without_secrets(context: ColumnElement[Any], kind: ColumnElement[Any]) -> ColumnElement[Any]:
    """The JSONB context minus its secret keys and its kind's personal data (jsonb - text[])."""
    keys: ColumnElement[Any] = case(
        *(
            (kind == name, array(SECRET_CONTEXT_KEYS + personal, type_=Text))
            for name, personal in FORGOTTEN_AFTER_DELIVERY.items()
        ),
        else_=array(SECRET_CONTEXT_KEYS, type_=Text),
    )
    return type_coerce(context.op("-")(keys), JSONB)


async def record(conn: AsyncConnection, message_id: UUID, state: NextState) -> None:
    """Write the outcome of one attempt (clock_timestamp: the send happened after the lock)."""
    values: dict[str, Any] = {
        "status": state.status,
        "attempts": state.attempts,
        "last_error": state.last_error,
    }
    if state.retry_in is not None:
        values["next_attempt_at"] = func.clock_timestamp() + state.retry_in
    if state.status == SENT:
        values["sent_at"] = func.clock_timestamp()
    if state.status != QUEUED:
        values["context"] = without_secrets(messages.c.context, messages.c.kind)
    await conn.execute(update(messages).where(messages.c.id == message_id).values(**values))
