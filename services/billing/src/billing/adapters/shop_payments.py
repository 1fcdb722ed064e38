"""A shop's payment settings and the terms its orders are placed under (B2, B5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import shops
from contracts.billing import PaymentMethod, PaymentSettings

METHODS: dict[str, PaymentMethod] = {
    "card": "card",
    "paypal": "paypal",
    "bank_transfer": "bank_transfer",
    "invoice": "invoice",
}


@dataclass(frozen=True)
class ShopOrderTerms:
    """What placing and advancing an order needs from the shop."""

    currency: str
    timezone: str
    payment_methods: list[PaymentMethod]
    provider_pay_method: str

    def today(self, now: datetime) -> date:
        """The date in the shop's time zone (the provider invoices in the shop's calendar)."""
        return now.astimezone(ZoneInfo(self.timezone)).date()

    @property
    def settings(self) -> PaymentSettings:
        return PaymentSettings(
            payment_methods=self.payment_methods, provider_pay_method=self.provider_pay_method
        )


async def load_order_terms(session: AsyncSession, shop_id: UUID) -> ShopOrderTerms | None:
    """None until ShopOpened arrived here (callers answer 503 shop_not_ready)."""
    row = (
        await session.execute(
            select(
                shops.c.currency,
                shops.c.timezone,
                shops.c.payment_methods,
                shops.c.provider_pay_method,
            ).where(shops.c.shop_id == shop_id)
        )
    ).first()
    if row is None:
        return None
    return ShopOrderTerms(
        currency=row.currency,
        timezone=row.timezone,
        payment_methods=[METHODS[m] for m in row.payment_methods if m in METHODS],
        provider_pay_method=row.provider_pay_method,
    )


async def save_payment_settings(
    session: AsyncSession, shop_id: UUID, settings: PaymentSettings
) -> bool:
    """False when the shop is not known yet."""
    changed = await session.execute(
        update(shops)
        .where(shops.c.shop_id == shop_id)
        .values(
            payment_methods=list(settings.payment_methods),
            provider_pay_method=settings.provider_pay_method,
        )
        .returning(shops.c.shop_id)
    )
    return changed.first() is not None
