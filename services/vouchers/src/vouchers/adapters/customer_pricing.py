"""Reads a customer's or a group's price adjustments, in one indexed query each."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.vouchers import CustomerPricing, GroupAdjustment
from vouchers.adapters.tables import customer_groups, customers, shops

GROUP_COLUMNS = (
    customer_groups.c.group_id.label("known_group_id"),
    customer_groups.c.name.label("group_name"),
    customer_groups.c.system_key,
    customer_groups.c.adjustment_percent,
)

SYSTEM_GROUP_ORDER = case(
    {"visitor": 0, "guest": 1, "customer": 2}, value=customer_groups.c.system_key, else_=3
)
"""Visitor, Guest, Customer (as a shop opens with them), then the partner's groups."""


def shop_currency(shop_id: UUID) -> Any:
    """The shop's currency as a column of any query (EUR until ShopOpened arrives)."""
    found = select(shops.c.currency).where(shops.c.shop_id == shop_id).scalar_subquery()
    return func.coalesce(found, "EUR").label("currency")


async def load_customer(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, *, lock: bool = False
) -> Row[Any] | None:
    """The customer with their group (if it is known here) and the shop's currency."""
    query = (
        select(customers, *GROUP_COLUMNS, shop_currency(shop_id))
        .select_from(
            customers.outerjoin(
                customer_groups,
                and_(
                    customer_groups.c.shop_id == customers.c.shop_id,
                    customer_groups.c.group_id == customers.c.group_id,
                ),
            )
        )
        .where(customers.c.shop_id == shop_id, customers.c.customer_id == customer_id)
    )
    if lock:
        query = query.with_for_update(of=customers)
    return (await session.execute(query)).first()


def group_adjustment(row: Any) -> GroupAdjustment | None:
    """The row's group, or None when the customer has none (or it is not known here yet)."""
    if row.known_group_id is None:
        return None
    return GroupAdjustment.model_validate(
        {
            "group_id": row.known_group_id,
            "group_name": row.group_name,
            "system_key": row.system_key,
            "percent": row.adjustment_percent,
        }
    )


def customer_pricing(row: Any) -> CustomerPricing:
    return CustomerPricing(
        customer_id=row.customer_id,
        discount_percent=row.discount_percent,
        special_condition=row.discount_percent is not None,
        group=group_adjustment(row),
        tax_exempt=row.tax_exempt,
    )


async def list_groups(session: AsyncSession, shop_id: UUID) -> list[GroupAdjustment]:
    rows = await session.execute(
        select(*GROUP_COLUMNS)
        .where(customer_groups.c.shop_id == shop_id)
        .order_by(
            SYSTEM_GROUP_ORDER, func.lower(customer_groups.c.name), customer_groups.c.group_id
        )
    )
    return [adjustment for row in rows if (adjustment := group_adjustment(row)) is not None]
