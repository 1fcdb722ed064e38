"""V4: an order holds a code until it gives it back; idempotent per order; precise refusals."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from contracts.vouchers import RedeemVoucher, ReleaseRedemption, SetVoucherActive
from service_runtime.service import ServiceRuntime
from vouchers.handlers.redemption import redeem_voucher, release_redemption
from vouchers.handlers.voucher_activation import set_voucher_active

sys.path.insert(0, str(Path(__file__).parent))
from vouchers_support import add_customer, add_voucher, open_shop, refusal, run, use_count

pytestmark = pytest.mark.database


def redeem(
    shop_id: UUID,
    code: str,
    order_id: UUID,
    subtotal: str = "100.00",
    customer_id: UUID | None = None,
) -> RedeemVoucher:
    return RedeemVoucher(
        shop_id=shop_id,
        code=code,
        order_id=order_id,
        customer_id=customer_id,
        product_subtotal=Decimal(subtotal),
    )


async def test_an_order_redeems_once_and_gets_the_same_answer_again(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    grace = await add_customer(runtime, shop.shop_id)
    voucher = await add_voucher(runtime, shop.shop_id, "ONCE")
    order = uuid4()

    held = await run(
        runtime, redeem_voucher, redeem(shop.shop_id, " once", order, customer_id=grace)
    )
    assert (held.order_id, held.voucher_id, held.code, held.customer_id) == (
        order,
        voucher.voucher_id,
        "ONCE",
        grace,
    )
    again = await run(
        runtime, redeem_voucher, redeem(shop.shop_id, "ONCE", order, customer_id=grace)
    )
    assert again == held, "the same order gets its redemption back unchanged"
    assert await use_count(runtime, voucher.voucher_id) == 1

    second_order = await refusal(runtime, redeem_voucher, redeem(shop.shop_id, "ONCE", uuid4()))
    assert (second_order.code, second_order.status, [f.field for f in second_order.fields]) == (
        "voucher_used_up",
        422,
        ["code"],
    )
    assert second_order.fields[0].reason == second_order.detail
    assert await use_count(runtime, voucher.voucher_id) == 1


async def test_refusals_name_the_reason_and_take_nothing(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime, currency="CHF")
    grace = await add_customer(runtime, shop.shop_id)
    now = datetime.now(UTC)
    big = await add_voucher(runtime, shop.shop_id, "BIG", min_order_value=Decimal("150"))
    await add_voucher(runtime, shop.shop_id, "GRACE", customer_id=grace)
    await add_voucher(runtime, shop.shop_id, "GONE", valid_until=now - timedelta(seconds=1))
    paused = await add_voucher(runtime, shop.shop_id, "PAUSED")
    await run(
        runtime,
        set_voucher_active,
        SetVoucherActive(shop_id=shop.shop_id, voucher_id=paused.voucher_id, active=False),
    )

    async def code_of(command: RedeemVoucher) -> str:
        return (await refusal(runtime, redeem_voucher, command)).code

    assert await code_of(redeem(shop.shop_id, "NOPE", uuid4())) == "voucher_unknown"
    assert await code_of(redeem(shop.shop_id, "GONE", uuid4())) == "voucher_expired"
    assert await code_of(redeem(shop.shop_id, "PAUSED", uuid4())) == "voucher_inactive"
    assert await code_of(redeem(shop.shop_id, "GRACE", uuid4())) == "voucher_not_for_this_customer"
    assert (
        await code_of(redeem(shop.shop_id, "GRACE", uuid4(), customer_id=uuid4()))
        == "voucher_not_for_this_customer"
    )
    short = await refusal(runtime, redeem_voucher, redeem(shop.shop_id, "big", uuid4(), "149.99"))
    assert (short.code, short.status) == ("voucher_minimum_not_reached", 422)
    assert "0.01 CHF" in short.detail
    assert await use_count(runtime, big.voucher_id) == 0
    exactly = await run(runtime, redeem_voucher, redeem(shop.shop_id, "big", uuid4(), "150.00"))
    assert exactly.code == "BIG"
    mine = await run(
        runtime, redeem_voucher, redeem(shop.shop_id, "grace", uuid4(), customer_id=grace)
    )
    assert mine.customer_id == grace


async def test_a_release_gives_the_use_back_once_and_the_code_is_usable_again(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    voucher = await add_voucher(runtime, shop.shop_id, "ONCE")
    cancelled, next_order = uuid4(), uuid4()
    first = await run(runtime, redeem_voucher, redeem(shop.shop_id, "ONCE", cancelled))

    release = ReleaseRedemption(shop_id=shop.shop_id, order_id=cancelled)
    assert (await run(runtime, release_redemption, release)).released is True
    assert await use_count(runtime, voucher.voucher_id) == 0
    repeat = ReleaseRedemption(shop_id=shop.shop_id, order_id=cancelled)
    assert (await run(runtime, release_redemption, repeat)).released is False
    never_held = ReleaseRedemption(shop_id=shop.shop_id, order_id=uuid4())
    assert (await run(runtime, release_redemption, never_held)).released is False
    other_shop = await open_shop(runtime)
    elsewhere = ReleaseRedemption(shop_id=other_shop.shop_id, order_id=cancelled)
    assert (await run(runtime, release_redemption, elsewhere)).released is False
    assert await use_count(runtime, voucher.voucher_id) == 0

    taken = await run(runtime, redeem_voucher, redeem(shop.shop_id, "ONCE", next_order))
    assert taken.order_id == next_order
    assert await use_count(runtime, voucher.voucher_id) == 1
    await run(
        runtime, release_redemption, ReleaseRedemption(shop_id=shop.shop_id, order_id=next_order)
    )

    # The cancelled order comes back (e.g. re-placed): its released row is revived.
    revived = await run(runtime, redeem_voucher, redeem(shop.shop_id, "ONCE", cancelled))
    assert revived.order_id == cancelled
    assert revived.redeemed_at > first.redeemed_at
    assert await use_count(runtime, voucher.voucher_id) == 1


async def test_another_shops_code_is_unknown(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    other = await open_shop(runtime)
    voucher = await add_voucher(runtime, shop.shop_id, "MINE")
    stolen = await refusal(runtime, redeem_voucher, redeem(other.shop_id, "MINE", uuid4()))
    assert stolen.code == "voucher_unknown"
    assert await use_count(runtime, voucher.voucher_id) == 0
