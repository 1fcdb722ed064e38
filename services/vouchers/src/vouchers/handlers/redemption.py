"""V4: an order holds a code (at most ``redemption_limit`` orders at once) until it gives it back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from contracts.vouchers import (
    RedeemVoucher,
    Redemption,
    RedemptionReleased,
    ReleaseRedemption,
)
from service_runtime.database import UnitOfWork
from vouchers.adapters.redemption_records import (
    claim_order,
    live_redemption,
    release_order,
    take_use,
)
from vouchers.adapters.voucher_records import currency_of, load_by_code, voucher_state
from vouchers.domain.pricing import VoucherRefusal, q, shortfall_detail
from vouchers.domain.voucher_rules import check_voucher, normalize_code
from vouchers.handlers.refusals import voucher_refused


async def redeem_voucher(command: RedeemVoucher, uow: UnitOfWork) -> Redemption:
    """Idempotent per order; one conditional UPDATE takes the use, so races never overdraw."""
    session = uow.session
    held = await live_redemption(session, command.shop_id, command.order_id)
    if held is not None:
        return held
    code = normalize_code(command.code)
    row = await load_by_code(session, command.shop_id, code)
    state = voucher_state(row) if row is not None else None
    now = datetime.now(UTC)
    checked = check_voucher(state, code, customer_id=command.customer_id, now=now)
    if isinstance(checked, VoucherRefusal):
        raise voucher_refused(checked.reason, checked.detail)
    assert row is not None  # an offer comes from a stored code
    assert state is not None
    minimum = q(checked.min_order_value)
    if command.product_subtotal < minimum:
        currency = await currency_of(session, command.shop_id)
        raise voucher_refused(
            "minimum_not_reached", shortfall_detail(minimum, command.product_subtotal, currency)
        )
    while not await claim_order(
        session, command.shop_id, command.order_id, row.voucher_id, command.customer_id, now
    ):
        # A command for the same order committed first: its redemption is the answer.
        raced = await live_redemption(session, command.shop_id, command.order_id)
        if raced is not None:
            return raced
    if not await take_use(session, row.voucher_id):
        used_up = check_voucher(
            replace(state, use_count=state.redemption_limit),
            code,
            customer_id=command.customer_id,
            now=now,
        )
        assert isinstance(used_up, VoucherRefusal)
        raise voucher_refused("used_up", used_up.detail)
    return Redemption(
        order_id=command.order_id,
        voucher_id=row.voucher_id,
        code=row.code,
        customer_id=command.customer_id,
        redeemed_at=now,
    )


async def release_redemption(command: ReleaseRedemption, uow: UnitOfWork) -> RedemptionReleased:
    """Idempotent: an order that holds no code (any more) answers ``released=False``."""
    released = await release_order(
        uow.session, command.shop_id, command.order_id, datetime.now(UTC)
    )
    return RedemptionReleased(order_id=command.order_id, released=released)
