"""Reads and replaces each shop's system change report addresses (V6), and who reads a report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.notifier import ReportAddresses
from notifier.adapters.tables import partner_copy_settings, shop_brands


@dataclass(frozen=True)
class ReportAudience:
    """Where a shop's reports go, in which language, and the currency their amounts are in."""

    addresses: list[str]
    language: str
    currency: str


async def load_report_addresses(session: AsyncSession, shop_id: UUID) -> ReportAddresses | None:
    """The shop's report addresses (empty: none configured); None when the shop is unknown."""
    addresses = await session.scalar(
        select(partner_copy_settings.c.report_addresses).where(
            partner_copy_settings.c.shop_id == shop_id
        )
    )
    return ReportAddresses(addresses=addresses) if addresses is not None else None


async def replace_report_addresses(
    session: AsyncSession, shop_id: UUID, addresses: list[str], stated_at: datetime
) -> ReportAddresses | None:
    """Store the partner's report addresses; None when the shop is unknown."""
    stored = await session.scalar(
        update(partner_copy_settings)
        .where(partner_copy_settings.c.shop_id == shop_id)
        .values(report_addresses=addresses, updated_at=stated_at)
        .returning(partner_copy_settings.c.report_addresses)
    )
    return ReportAddresses(addresses=stored) if stored is not None else None


async def report_audience(session: AsyncSession, shop_id: UUID) -> ReportAudience | None:
    """Who reads the shop's reports; None when nobody does.

    A shop the notifier does not know yet has no report addresses either (they can only be
    configured after its ShopOpened), so its changes are reported to nobody rather than retried.
    """
    row = (
        await session.execute(
            select(
                partner_copy_settings.c.report_addresses,
                shop_brands.c.default_language,
                shop_brands.c.currency,
            )
            .join(shop_brands, shop_brands.c.shop_id == partner_copy_settings.c.shop_id)
            .where(partner_copy_settings.c.shop_id == shop_id)
        )
    ).one_or_none()
    if row is None or not row.report_addresses:
        return None
    return ReportAudience(list(row.report_addresses), row.default_language, row.currency)
