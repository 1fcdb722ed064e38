"""A shop's billing terms as ShopOpened and the partner's cart settings left them."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import shops
from billing.domain.languages import as_language
from contracts.gateway import Language


@dataclass(frozen=True)
class ShopTerms:
    currency: str
    default_language: Language
    abandon_after_hours: int


async def load_shop(session: AsyncSession, shop_id: UUID) -> ShopTerms | None:
    """None until ShopOpened arrived here (callers answer 503 shop_not_ready)."""
    row = (
        await session.execute(
            select(shops.c.currency, shops.c.default_language, shops.c.abandon_after_hours).where(
                shops.c.shop_id == shop_id
            )
        )
    ).first()
    if row is None:
        return None
    return ShopTerms(row.currency, as_language(row.default_language), row.abandon_after_hours)


async def set_abandon_after_hours(session: AsyncSession, shop_id: UUID, hours: int) -> bool:
    """False when the shop is not known yet."""
    changed = await session.execute(
        update(shops)
        .where(shops.c.shop_id == shop_id)
        .values(abandon_after_hours=hours)
        .returning(shops.c.shop_id)
    )
    return changed.first() is not None
