"""The shop's price list in the database: products by SKU, shipping options by code.

SKUs and codes are compared exactly as given (case-sensitive) and listed in byte order
(``COLLATE "C"``), so 'A-1' and 'a-1' are two products whatever the database's locale.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Label, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import products, shipping_options
from contracts.billing import (
    Names,
    Product,
    ProductInput,
    ProductionOption,
    ShippingOption,
    ShippingOptionInput,
)

CREATED: Label[bool] = literal_column("xmax = 0", Boolean).label("created")
"""True for a row the upsert inserted, False for one it updated (PostgreSQL's xmax)."""


# Rows are built into models without validating them again: every row was validated as a
# ProductInput / ShippingOptionInput when it was written, and a repricing reads up to 200 of
# them (validation was a tenth of billing's CPU per repricing, measured with bench/prices.py).


def _names(stored: dict[str, str | None]) -> Names:
    return Names.model_construct(en=stored.get("en"), fr=stored.get("fr"), de=stored.get("de"))


def product_from_row(row: Any) -> Product:
    return Product.model_construct(
        sku=row.sku,
        names=_names(row.names),
        unit_net=row.unit_net,
        wholesale_unit_cost=row.wholesale_unit_cost,
        vat_rate=row.vat_rate,
        production_options=[
            ProductionOption.model_construct(
                code=option["code"],
                names=_names(option["names"]),
                surcharge_unit_net=Decimal(option["surcharge_unit_net"]),
            )
            for option in row.production_options
        ],
        min_quantity=row.min_quantity,
        max_quantity=row.max_quantity,
        active=row.active,
        updated_at=row.updated_at,
    )


def shipping_option_from_row(row: Any) -> ShippingOption:
    return ShippingOption.model_construct(
        code=row.code,
        names=_names(row.names),
        net=row.net,
        vat_rate=row.vat_rate,
        active=row.active,
        updated_at=row.updated_at,
    )


async def save_product(
    session: AsyncSession, shop_id: UUID, product: ProductInput, now: datetime
) -> tuple[Product, bool]:
    """Insert or replace the product with this SKU; True when it is new."""
    values = {
        "names": product.names.model_dump(mode="json"),
        "unit_net": product.unit_net,
        "wholesale_unit_cost": product.wholesale_unit_cost,
        "vat_rate": product.vat_rate,
        "production_options": [o.model_dump(mode="json") for o in product.production_options],
        "min_quantity": product.min_quantity,
        "max_quantity": product.max_quantity,
        "active": product.active,
        "updated_at": now,
    }
    statement = insert(products).values(shop_id=shop_id, sku=product.sku, **values)
    row = (
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[products.c.shop_id, products.c.sku], set_=values
            ).returning(*products.c, CREATED)
        )
    ).one()
    return product_from_row(row), bool(row.created)


async def load_products(
    session: AsyncSession, shop_id: UUID, skus: Collection[str]
) -> dict[str, Product]:
    """The products with these SKUs (active or not), by SKU; one query."""
    if not skus:
        return {}
    rows = await session.execute(
        select(products).where(products.c.shop_id == shop_id, products.c.sku.in_(set(skus)))
    )
    return {row.sku: product_from_row(row) for row in rows}


async def load_product(session: AsyncSession, shop_id: UUID, sku: str) -> Product | None:
    return (await load_products(session, shop_id, [sku])).get(sku)


async def list_products(
    session: AsyncSession, shop_id: UUID, *, include_inactive: bool
) -> list[Product]:
    query = select(products).where(products.c.shop_id == shop_id)
    if not include_inactive:
        query = query.where(products.c.active)
    rows = await session.execute(query.order_by(products.c.sku.collate("C")))
    return [product_from_row(row) for row in rows]


async def save_shipping_option(
    session: AsyncSession, shop_id: UUID, option: ShippingOptionInput, now: datetime
) -> tuple[ShippingOption, bool]:
    """Insert or replace the shipping option with this code; True when it is new."""
    values = {
        "names": option.names.model_dump(mode="json"),
        "net": option.net,
        "vat_rate": option.vat_rate,
        "active": option.active,
        "updated_at": now,
    }
    statement = insert(shipping_options).values(shop_id=shop_id, code=option.code, **values)
    row = (
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[shipping_options.c.shop_id, shipping_options.c.code], set_=values
            ).returning(*shipping_options.c, CREATED)
        )
    ).one()
    return shipping_option_from_row(row), bool(row.created)


async def load_shipping_option(
    session: AsyncSession, shop_id: UUID, code: str
) -> ShippingOption | None:
    row = (
        await session.execute(
            select(shipping_options).where(
                shipping_options.c.shop_id == shop_id, shipping_options.c.code == code
            )
        )
    ).first()
    return None if row is None else shipping_option_from_row(row)


async def list_shipping_options(
    session: AsyncSession, shop_id: UUID, *, include_inactive: bool
) -> list[ShippingOption]:
    query = select(shipping_options).where(shipping_options.c.shop_id == shop_id)
    if not include_inactive:
        query = query.where(shipping_options.c.active)
    rows = await session.execute(query.order_by(shipping_options.c.code.collate("C")))
    return [shipping_option_from_row(row) for row in rows]
