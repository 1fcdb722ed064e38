"""Carts and their lines in the database; every query names the shop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.price_list import product_from_row, shipping_option_from_row
from billing.adapters.shop_settings import ShopTerms
from billing.adapters.tables import cart_lines, carts, products, shipping_options, shops
from billing.domain.cart_lines import Line
from billing.domain.carts import STATUSES, StoredCart
from billing.domain.languages import as_language
from contracts.billing import CartSummary, Product, ShippingOption


@dataclass(frozen=True)
class CartTotals:
    """What the last pricing said, kept for summaries and the abandonment event."""

    line_count: int
    net_total: Decimal
    gross_total: Decimal


def _cart(row: Any) -> StoredCart:
    return StoredCart(
        cart_id=row.cart_id,
        shop_id=row.shop_id,
        customer_id=row.customer_id,
        status=STATUSES[row.status],
        language=as_language(row.language),
        shipping_option=row.shipping_option,
        voucher_code=row.voucher_code,
        created_at=row.created_at,
        last_activity_at=row.last_activity_at,
        abandoned_at=row.abandoned_at,
    )


def _values(cart: StoredCart, totals: CartTotals) -> dict[str, Any]:
    return {
        "customer_id": cart.customer_id,
        "status": cart.status,
        "language": cart.language,
        "shipping_option": cart.shipping_option,
        "voucher_code": cart.voucher_code,
        "line_count": totals.line_count,
        "net_total": totals.net_total,
        "gross_total": totals.gross_total,
        "last_activity_at": cart.last_activity_at,
        "abandoned_at": cart.abandoned_at,
    }


@dataclass(frozen=True)
class LoadedCart:
    """A cart with everything pricing needs from this database, read in two round trips."""

    cart: StoredCart
    shop: ShopTerms
    shipping: ShippingOption | None = field(repr=False)
    """The cart's chosen shipping option as the price list has it (None: none chosen)."""
    lines: list[Line]
    products: dict[str, Product] = field(repr=False)
    """The products of the cart's lines, by SKU."""


SHIPPING_COLUMNS = [
    c.label(f"shipping_{c.name}") for c in shipping_options.c if c.name != "shop_id"
]
PRODUCT_COLUMNS = [c.label(f"product_{c.name}") for c in products.c if c.name != "shop_id"]


def _prefixed(row: Any, prefix: str) -> SimpleNamespace:
    mapping = row._mapping
    return SimpleNamespace(
        **{key[len(prefix) :]: mapping[key] for key in mapping if key.startswith(prefix)}
    )


async def load_cart_for_pricing(
    session: AsyncSession, shop_id: UUID, cart_id: UUID, *, lock: bool = False
) -> LoadedCart | None:
    """The cart (locked ``FOR UPDATE`` for a change) with its shop's terms, shipping option,
    lines and their products; another shop's cart is None."""
    query = (
        select(
            carts,
            shops.c.currency,
            shops.c.default_language,
            shops.c.abandon_after_hours,
            *SHIPPING_COLUMNS,
        )
        .join(shops, shops.c.shop_id == carts.c.shop_id)
        .outerjoin(
            shipping_options,
            (shipping_options.c.shop_id == carts.c.shop_id)
            & (shipping_options.c.code == carts.c.shipping_option),
        )
        .where(carts.c.shop_id == shop_id, carts.c.cart_id == cart_id)
    )
    if lock:
        query = query.with_for_update(of=carts)
    row = (await session.execute(query)).first()
    if row is None:
        return None
    rows = (
        await session.execute(
            select(cart_lines, *PRODUCT_COLUMNS)
            .outerjoin(
                products,
                (products.c.shop_id == cart_lines.c.shop_id) & (products.c.sku == cart_lines.c.sku),
            )
            .where(cart_lines.c.shop_id == shop_id, cart_lines.c.cart_id == cart_id)
            .order_by(cart_lines.c.position)
        )
    ).all()
    return LoadedCart(
        cart=_cart(row),
        shop=ShopTerms(row.currency, as_language(row.default_language), row.abandon_after_hours),
        shipping=(
            None
            if row.shipping_code is None
            else shipping_option_from_row(_prefixed(row, "shipping_"))
        ),
        lines=[Line(r.line_id, r.sku, r.quantity, r.production_option, r.position) for r in rows],
        products={
            r.sku: product_from_row(_prefixed(r, "product_"))
            for r in rows
            if r.product_sku is not None
        },
    )


async def insert_cart(session: AsyncSession, cart: StoredCart, totals: CartTotals) -> None:
    await session.execute(
        insert(carts).values(
            cart_id=cart.cart_id,
            shop_id=cart.shop_id,
            created_at=cart.created_at,
            **_values(cart, totals),
        )
    )


async def update_cart(session: AsyncSession, cart: StoredCart, totals: CartTotals) -> None:
    await session.execute(
        update(carts)
        .where(carts.c.shop_id == cart.shop_id, carts.c.cart_id == cart.cart_id)
        .values(**_values(cart, totals))
    )


async def save_lines(
    session: AsyncSession, cart: StoredCart, before: Sequence[Line], after: Sequence[Line]
) -> None:
    """Write the difference between the lines as loaded and as changed."""
    old = {line.line_id: line for line in before}
    new = {line.line_id: line for line in after}
    of_cart = (cart_lines.c.shop_id == cart.shop_id, cart_lines.c.cart_id == cart.cart_id)
    if gone := [line_id for line_id in old if line_id not in new]:
        await session.execute(delete(cart_lines).where(*of_cart, cart_lines.c.line_id.in_(gone)))
    if added := [line for line_id, line in new.items() if line_id not in old]:
        await session.execute(
            insert(cart_lines),
            [
                {
                    "cart_id": cart.cart_id,
                    "shop_id": cart.shop_id,
                    "line_id": line.line_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "production_option": line.production_option,
                    "position": line.position,
                }
                for line in added
            ],
        )
    for line_id, line in new.items():
        if line_id in old and old[line_id] != line:
            await session.execute(
                update(cart_lines)
                .where(*of_cart, cart_lines.c.line_id == line_id)
                .values(quantity=line.quantity, production_option=line.production_option)
            )


async def delete_customer_carts(session: AsyncSession, shop_id: UUID, customer_id: UUID) -> int:
    """Remove a deleted customer's carts; their lines go with them (ON DELETE CASCADE)."""
    removed = await session.execute(
        delete(carts)
        .where(carts.c.shop_id == shop_id, carts.c.customer_id == customer_id)
        .returning(carts.c.cart_id)
    )
    return len(removed.all())


async def customer_carts(
    session: AsyncSession, shop_id: UUID, customer_id: UUID
) -> list[CartSummary]:
    """A customer's open and abandoned carts, latest activity first (the customer sheet)."""
    rows = await session.execute(
        select(carts, shops.c.currency)
        .join(shops, shops.c.shop_id == carts.c.shop_id)
        .where(
            carts.c.shop_id == shop_id,
            carts.c.customer_id == customer_id,
            carts.c.status.in_(("open", "abandoned")),
        )
        .order_by(carts.c.last_activity_at.desc(), carts.c.cart_id)
    )
    return [
        CartSummary(
            cart_id=row.cart_id,
            status=STATUSES[row.status],
            line_count=row.line_count,
            net_total=row.net_total,
            gross_total=row.gross_total,
            currency=row.currency,
            created_at=row.created_at,
            last_activity_at=row.last_activity_at,
            abandoned_at=row.abandoned_at,
        )
        for row in rows
    ]
