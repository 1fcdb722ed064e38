"""V7, B1: price a cart for a customer or a visitor (the hot path: one read, then pure code)."""

from __future__ import annotations

from datetime import UTC, datetime

from contracts.vouchers import PriceCart, PricedCart
from service_runtime.database import UnitOfWork
from vouchers.adapters.pricing_context import load_pricing_context
from vouchers.adapters.voucher_records import voucher_state
from vouchers.domain import pricing
from vouchers.domain.voucher_rules import check_voucher, normalize_code


async def price_cart(command: PriceCart, uow: UnitOfWork) -> PricedCart:
    code = None if command.voucher_code is None else normalize_code(command.voucher_code)
    context = await load_pricing_context(uow.session, command.shop_id, command.customer_id, code)
    group = (
        None
        if context.group_name is None
        else pricing.GroupRate(name=context.group_name, percent=context.adjustment_percent)
    )
    voucher: pricing.VoucherOffer | pricing.VoucherRefusal | None = None
    if code is not None:
        voucher = check_voucher(
            voucher_state(context) if context.kind is not None else None,
            code,
            customer_id=command.customer_id,
            now=datetime.now(UTC),
            currency=context.currency,
        )
    return pricing.price_cart(
        command.lines,
        group=group,
        customer_discount=context.discount_percent,
        voucher=voucher,
        shipping=command.shipping,
        tax_exempt=context.tax_exempt,
        currency=context.currency,
    )
