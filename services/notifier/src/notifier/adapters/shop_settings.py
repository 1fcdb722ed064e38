"""Reads and replaces each shop's brand and partner-copy settings in the notifier database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.notifier import PartnerCopySettings, ShopBrandSettings
from notifier.adapters.tables import partner_copy_settings, shop_brands
from notifier.domain.branding import Brand

BRAND_COLUMNS = (
    shop_brands.c.brand_name,
    shop_brands.c.sender_name,
    shop_brands.c.sender_email,
    shop_brands.c.reply_to,
    shop_brands.c.logo_url,
    shop_brands.c.primary_color,
    shop_brands.c.accent_color,
    shop_brands.c.legal_notice,
    shop_brands.c.storefront_url,
)


class ShopNotKnownYet(LookupError):
    """An event of a shop whose ShopOpened has not been handled here: redeliver it later."""


@dataclass(frozen=True)
class PartnerAudience:
    """Who receives a shop's merchant emails and copies, and in which language."""

    addresses: list[str]
    kinds: list[str]
    language: str


def _brand_settings(row: RowMapping) -> ShopBrandSettings:
    return ShopBrandSettings(**{column.name: row[column.name] for column in BRAND_COLUMNS})


async def load_brand_settings(session: AsyncSession, shop_id: UUID) -> ShopBrandSettings | None:
    row = (
        (await session.execute(select(*BRAND_COLUMNS).where(shop_brands.c.shop_id == shop_id)))
        .mappings()
        .one_or_none()
    )
    return _brand_settings(row) if row is not None else None


async def replace_brand_settings(
    session: AsyncSession, shop_id: UUID, settings: ShopBrandSettings, stated_at: datetime
) -> ShopBrandSettings | None:
    """Store the partner's brand; None when the shop is unknown.

    ``updated_at`` moves strictly past every ShopOpened seen so far, so a redelivered
    ShopOpened (the upsert keeps only newer statements) never undoes these settings.
    """
    values: dict[str, Any] = settings.model_dump(include={c.name for c in BRAND_COLUMNS})
    row = (
        (
            await session.execute(
                update(shop_brands)
                .where(shop_brands.c.shop_id == shop_id)
                .values(
                    **values,
                    updated_at=func.greatest(
                        shop_brands.c.updated_at + timedelta(microseconds=1), stated_at
                    ),
                )
                .returning(*BRAND_COLUMNS)
            )
        )
        .mappings()
        .one_or_none()
    )
    return _brand_settings(row) if row is not None else None


async def shop_brand(session: AsyncSession, shop_id: UUID) -> Brand | None:
    """The shop's brand as documents show it; None when the shop is not known here yet."""
    row = (
        (
            await session.execute(
                select(
                    *BRAND_COLUMNS, shop_brands.c.default_language, shop_brands.c.timezone
                ).where(shop_brands.c.shop_id == shop_id)
            )
        )
        .mappings()
        .one_or_none()
    )
    if row is None:
        return None
    return Brand(
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


async def storefront_url(session: AsyncSession, shop_id: UUID) -> str | None:
    """The shop's own storefront URL, if the shop is known here and has one."""
    url: str | None = await session.scalar(
        select(shop_brands.c.storefront_url).where(shop_brands.c.shop_id == shop_id)
    )
    return url


async def load_partner_copies(session: AsyncSession, shop_id: UUID) -> PartnerCopySettings | None:
    row = (
        await session.execute(
            select(partner_copy_settings.c.addresses, partner_copy_settings.c.kinds).where(
                partner_copy_settings.c.shop_id == shop_id
            )
        )
    ).one_or_none()
    return PartnerCopySettings(addresses=row.addresses, kinds=row.kinds) if row else None


async def replace_partner_copies(
    session: AsyncSession, shop_id: UUID, settings: PartnerCopySettings, stated_at: datetime
) -> PartnerCopySettings | None:
    """Store the partner's addresses and copy kinds; None when the shop is unknown."""
    row = (
        await session.execute(
            update(partner_copy_settings)
            .where(partner_copy_settings.c.shop_id == shop_id)
            .values(addresses=settings.addresses, kinds=list(settings.kinds), updated_at=stated_at)
            .returning(partner_copy_settings.c.addresses, partner_copy_settings.c.kinds)
        )
    ).one_or_none()
    return PartnerCopySettings(addresses=row.addresses, kinds=row.kinds) if row else None


async def partner_audience(session: AsyncSession, shop_id: UUID) -> PartnerAudience:
    """The partner's addresses, copy kinds and the shop's language; raises ShopNotKnownYet."""
    row = (
        await session.execute(
            select(
                partner_copy_settings.c.addresses,
                partner_copy_settings.c.kinds,
                shop_brands.c.default_language,
            )
            .join(shop_brands, shop_brands.c.shop_id == partner_copy_settings.c.shop_id)
            .where(partner_copy_settings.c.shop_id == shop_id)
        )
    ).one_or_none()
    if row is None:
        raise ShopNotKnownYet(f"shop {shop_id} has not been opened in the notifier yet")
    return PartnerAudience(list(row.addresses), list(row.kinds), row.default_language)
