"""Everything a price needs from this service's database, in one round trip (the hot path).

The buyer's group and discount (a visitor gets the shop's Visitor group; a customer not known
here yet the shop's Customer group), the shop's currency and, when a code is given, the
voucher with that code. Three separate reads cost three round trips per repricing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

PRICING_CONTEXT = text(
    """
    SELECT coalesce(s.currency, 'EUR') AS currency,
           c.customer_id IS NOT NULL AS customer_known,
           c.discount_percent,
           coalesce(c.tax_exempt, false) AS tax_exempt,
           g.name AS group_name,
           g.adjustment_percent,
           v.code, v.kind, v.value, v.min_order_value, v.valid_from, v.valid_until,
           v.redemption_limit, v.use_count, v.customer_id, v.active
      FROM (SELECT 1) AS one_row
      LEFT JOIN shops AS s ON s.shop_id = :shop_id
      LEFT JOIN customers AS c ON c.shop_id = :shop_id AND c.customer_id = :customer_id
      LEFT JOIN customer_groups AS g
             ON g.shop_id = :shop_id
            AND CASE WHEN c.customer_id IS NOT NULL THEN g.group_id = c.group_id
                     ELSE g.system_key = :fallback_group END
      LEFT JOIN vouchers AS v ON v.shop_id = :shop_id AND v.code = :code
     LIMIT 1
    """
)


async def load_pricing_context(
    session: AsyncSession, shop_id: UUID, customer_id: UUID | None, code: str | None
) -> Row[Any]:
    fallback = "visitor" if customer_id is None else "customer"
    result = await session.execute(
        PRICING_CONTEXT,
        {"shop_id": shop_id, "customer_id": customer_id, "fallback_group": fallback, "code": code},
    )
    return result.one()
