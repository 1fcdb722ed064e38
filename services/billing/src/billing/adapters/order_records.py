"""Orders and their payments in the database; every query names the shop.

An order is stored as the columns people filter and sum by (status, totals, customer) plus
its pricing and history as JSON, exactly as placed. Its invoice number is read from the
invoice it points to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import carts, invoices, orders, payments
from contracts.billing import Order, OrderStatus, OrderSummary


@dataclass(frozen=True)
class OrderExtras:
    """What is stored with an order but not shown in it."""

    idempotency_key: str
    company: str | None
    vat_number: str | None
    payment_terms_days: int


@dataclass(frozen=True)
class StoredOrder:
    """An order as read for a change: the shown order and the amount paid so far."""

    order: Order
    amount_paid: Decimal


def _with_invoice_number() -> Select[Any]:
    return select(orders, invoices.c.invoice_number).outerjoin(
        invoices, invoices.c.invoice_id == orders.c.invoice_id
    )


def order_from_row(row: Any) -> Order:
    return Order.model_validate(
        {
            "order_id": row.order_id,
            "order_number": row.order_number,
            "customer_id": row.customer_id,
            "customer_number": row.customer_number,
            "pseudonym_id": row.pseudonym_id,
            "guest": row.guest,
            "email": row.email,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "language": row.language,
            "billing_address": row.billing_address,
            "shipping_address": row.shipping_address,
            "payment_method": row.payment_method,
            "payment_status": row.payment_status,
            "paid_at": row.paid_at,
            "status": row.status,
            "history": row.history,
            "currency": row.currency,
            "pricing": row.pricing,
            "voucher_code": row.voucher_code,
            "cart_id": row.cart_id,
            "placed_at": row.placed_at,
            "cancelled_at": row.cancelled_at,
            "cancelled_by": row.cancelled_by,
            "tracking_number": row.tracking_number,
            "invoice_id": row.invoice_id,
            "invoice_number": row.invoice_number,
            "provider": {
                "provider_order_id": row.provider_order_id,
                "wholesale_net": row.wholesale_net,
                "released_at": row.released_at,
                "tracking_number": row.tracking_number,
                "provider_invoice_id": row.provider_invoice_id,
                "provider_invoice_date": row.provider_invoice_date,
                "provider_pay_method": row.provider_pay_method,
            },
        }
    )


def _json(value: Any) -> Any:
    return None if value is None else value.model_dump(mode="json")


async def insert_order(
    session: AsyncSession, shop_id: UUID, order: Order, extras: OrderExtras
) -> bool:
    """False when the shop already has an order with this idempotency key (nothing written)."""
    inserted = await session.execute(
        insert(orders)
        .values(
            order_id=order.order_id,
            shop_id=shop_id,
            order_number=order.order_number,
            idempotency_key=extras.idempotency_key,
            cart_id=order.cart_id,
            customer_id=order.customer_id,
            customer_number=order.customer_number,
            guest=order.guest,
            email=order.email,
            first_name=order.first_name,
            last_name=order.last_name,
            company=extras.company,
            vat_number=extras.vat_number,
            language=order.language,
            billing_address=_json(order.billing_address),
            shipping_address=_json(order.shipping_address),
            payment_method=order.payment_method,
            payment_status=order.payment_status,
            payment_terms_days=extras.payment_terms_days,
            status=order.status,
            history=[change.model_dump(mode="json") for change in order.history],
            currency=order.currency,
            pricing=order.pricing.model_dump(mode="json"),
            net_total=order.pricing.net_total,
            vat_total=order.pricing.vat_total,
            gross_total=order.pricing.gross_total,
            voucher_code=order.voucher_code,
            placed_at=order.placed_at,
            provider_order_id=order.provider.provider_order_id,
            wholesale_net=order.provider.wholesale_net,
            released_at=order.provider.released_at,
        )
        .on_conflict_do_nothing(constraint="uq_orders_shop_id_idempotency_key")
        .returning(orders.c.order_id)
    )
    return inserted.first() is not None


async def order_by_key(session: AsyncSession, shop_id: UUID, key: str) -> Order | None:
    row = (
        await session.execute(
            _with_invoice_number().where(
                orders.c.shop_id == shop_id, orders.c.idempotency_key == key
            )
        )
    ).first()
    return None if row is None else order_from_row(row)


async def load_order(session: AsyncSession, shop_id: UUID, order_id: UUID) -> Order | None:
    """Another shop's order is None, as an unknown one."""
    row = (
        await session.execute(
            _with_invoice_number().where(orders.c.shop_id == shop_id, orders.c.order_id == order_id)
        )
    ).first()
    return None if row is None else order_from_row(row)


async def lock_order(session: AsyncSession, shop_id: UUID, order_id: UUID) -> StoredOrder | None:
    """The order locked ``FOR UPDATE`` until the transaction ends (changes queue behind it)."""
    row = (
        await session.execute(
            _with_invoice_number()
            .where(orders.c.shop_id == shop_id, orders.c.order_id == order_id)
            .with_for_update(of=orders)
        )
    ).first()
    if row is None:
        return None
    return StoredOrder(order=order_from_row(row), amount_paid=row.amount_paid)


async def update_order(
    session: AsyncSession, shop_id: UUID, order_id: UUID, values: dict[str, Any]
) -> None:
    await session.execute(
        update(orders)
        .where(orders.c.shop_id == shop_id, orders.c.order_id == order_id)
        .values(**values)
    )


def _summary(row: Any) -> OrderSummary:
    names = " ".join(n for n in (row.first_name, row.last_name) if n)
    return OrderSummary.model_validate(
        {
            "order_id": row.order_id,
            "order_number": row.order_number,
            "customer_id": row.customer_id,
            "customer_number": row.customer_number,
            "guest": row.guest,
            "name": names or None,
            "status": row.status,
            "payment_method": row.payment_method,
            "payment_status": row.payment_status,
            "currency": row.currency,
            "net_total": row.net_total,
            "gross_total": row.gross_total,
            "placed_at": row.placed_at,
            "invoice_number": row.invoice_number,
        }
    )


async def list_orders(
    session: AsyncSession,
    shop_id: UUID,
    *,
    customer_id: UUID | None,
    status: OrderStatus | None,
    page: int,
    size: int,
) -> tuple[list[OrderSummary], int]:
    """A page of the shop's orders, newest first, and how many match in all."""
    conditions = [orders.c.shop_id == shop_id]
    if customer_id is not None:
        conditions.append(orders.c.customer_id == customer_id)
    if status is not None:
        conditions.append(orders.c.status == status)
    total = await session.scalar(select(func.count()).select_from(orders).where(*conditions))
    rows = await session.execute(
        select(
            orders.c.order_id,
            orders.c.order_number,
            orders.c.customer_id,
            orders.c.customer_number,
            orders.c.guest,
            orders.c.first_name,
            orders.c.last_name,
            orders.c.status,
            orders.c.payment_method,
            orders.c.payment_status,
            orders.c.currency,
            orders.c.net_total,
            orders.c.gross_total,
            orders.c.placed_at,
            invoices.c.invoice_number,
        )
        .outerjoin(invoices, invoices.c.invoice_id == orders.c.invoice_id)
        .where(*conditions)
        .order_by(orders.c.placed_at.desc(), orders.c.order_number.desc())
        .limit(size)
        .offset((page - 1) * size)
    )
    return [_summary(row) for row in rows], int(total or 0)


@dataclass(frozen=True)
class CartGross:
    customer_id: UUID | None
    gross_total: Decimal


async def cart_gross(session: AsyncSession, shop_id: UUID, cart_id: UUID) -> CartGross | None:
    """Whose cart it is and its gross as last priced; another shop's cart is None."""
    row = (
        await session.execute(
            select(carts.c.customer_id, carts.c.gross_total).where(
                carts.c.shop_id == shop_id, carts.c.cart_id == cart_id
            )
        )
    ).first()
    return None if row is None else CartGross(row.customer_id, row.gross_total)


async def mark_cart_ordered(session: AsyncSession, shop_id: UUID, cart_id: UUID) -> None:
    """The cart became an order: it can no longer change, and no longer counts as abandoned."""
    await session.execute(
        update(carts)
        .where(carts.c.shop_id == shop_id, carts.c.cart_id == cart_id)
        .values(status="ordered", abandoned_at=None)
    )


# Payments


async def payment_order_id(session: AsyncSession, shop_id: UUID, key: str) -> UUID | None:
    """The order a payment with this idempotency key was recorded for, if any."""
    found: UUID | None = await session.scalar(
        select(payments.c.order_id).where(
            payments.c.shop_id == shop_id, payments.c.idempotency_key == key
        )
    )
    return found


@dataclass(frozen=True)
class NewPayment:
    payment_id: UUID
    order_id: UUID
    idempotency_key: str
    amount: Decimal
    reference: str
    paid_at: datetime
    recorded_at: datetime


async def insert_payment(session: AsyncSession, shop_id: UUID, payment: NewPayment) -> bool:
    """False when the shop already recorded a payment with this key (nothing written)."""
    inserted = await session.execute(
        insert(payments)
        .values(
            payment_id=payment.payment_id,
            shop_id=shop_id,
            order_id=payment.order_id,
            idempotency_key=payment.idempotency_key,
            amount=payment.amount,
            reference=payment.reference,
            paid_at=payment.paid_at,
            recorded_at=payment.recorded_at,
        )
        .on_conflict_do_nothing(constraint="uq_payments_shop_id_idempotency_key")
        .returning(payments.c.payment_id)
    )
    return inserted.first() is not None
