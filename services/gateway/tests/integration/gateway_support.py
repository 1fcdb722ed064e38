"""Plain helpers of the gateway's integration tests (import after putting this folder on
sys.path, as the customers service's tests do)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.tables import partner_tokens, shops
from gateway.domain.tokens import token_digest


async def insert_shop(
    session: AsyncSession, shop_id: UUID, opened_at: datetime, **row: Any
) -> None:
    """A shops row; ``row`` overrides the defaults (brand name, slug, language, ...)."""
    values: dict[str, Any] = {
        "shop_id": shop_id,
        "brand_name": "Shop",
        "slug": f"shop-{shop_id}",
        "default_language": "en",
        "currency": "EUR",
        "timezone": "Europe/Paris",
        "sender_email": "shop@brand.example",
        "verification_mode": "none",
        "opened_at": opened_at,
    }
    values.update(row)
    await session.execute(insert(shops).values(**values))


async def insert_partner_token(
    session: AsyncSession, shop_id: UUID, token: str, label: str, created_at: datetime
) -> None:
    await session.execute(
        insert(partner_tokens).values(
            token_id=uuid4(),
            shop_id=shop_id,
            token_digest=token_digest(token),
            label=label,
            created_at=created_at,
        )
    )
