"""V7, B1: price a cart for a customer or a visitor (the hot path: two or three indexed reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from contracts.vouchers import PriceCart, PricedCart
from service_runtime.database import UnitOfWork
from vouchers.adapters.customer_pricing import load_customer, load_system_group
from vouchers.adapters.voucher_records import load_by_code, voucher_state
from vouchers.domain import pricing
from vouchers.domain.voucher_rules import check_voucher, normalize_code


@dataclass(frozen=True)
class Buyer:
    """Who the cart is priced for, as far as pricing cares."""

    group: pricing.GroupRate | None
    discount: Decimal | None
    tax_exempt: bool
    currency: str


def _group_rate(row: Any) -> pricing.GroupRate | None:
    if row.group_name is None:
        return None
    return pricing.GroupRate(name=row.group_name, percent=row.adjustment_percent)


async def _buyer(uow: UnitOfWork, command: PriceCart) -> Buyer:
    """Customer row or, for a visitor or a customer not known here yet, the system group."""
    if command.customer_id is not None:
        row = await load_customer(uow.session, command.shop_id, command.customer_id)
        if row is not None:
            return Buyer(_group_rate(row), row.discount_percent, row.tax_exempt, row.currency)
    system_key = "visitor" if command.customer_id is None else "customer"
    group = await load_system_group(uow.session, command.shop_id, system_key)
    return Buyer(_group_rate(group), None, False, group.currency)


async def price_cart(command: PriceCart, uow: UnitOfWork) -> PricedCart:
    buyer = await _buyer(uow, command)
    voucher: pricing.VoucherOffer | pricing.VoucherRefusal | None = None
    if command.voucher_code is not None:
        code = normalize_code(command.voucher_code)
        row = await load_by_code(uow.session, command.shop_id, code)
        voucher = check_voucher(
            voucher_state(row) if row is not None else None,
            code,
            customer_id=command.customer_id,
            now=datetime.now(UTC),
            currency=buyer.currency,
        )
    return pricing.price_cart(
        command.lines,
        group=buyer.group,
        customer_discount=buyer.discount,
        voucher=voucher,
        shipping=command.shipping,
        tax_exempt=buyer.tax_exempt,
        currency=buyer.currency,
    )
