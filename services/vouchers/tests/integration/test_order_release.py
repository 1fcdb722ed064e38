"""Billing's order events give a code back: cancellation, and an abandoned placement (B2, V4)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from contracts.billing import OrderPlacementAbandoned, OrderStatusChanged
from contracts.billing.orders import OrderStatus
from contracts.vouchers import RedeemVoucher
from service_runtime.service import ServiceRuntime
from vouchers.handlers.order_events import (
    release_for_abandoned_placement,
    release_for_cancelled_order,
)
from vouchers.handlers.redemption import redeem_voucher

sys.path.insert(0, str(Path(__file__).parent))
from vouchers_support import add_voucher, handle, open_shop, run, use_count

pytestmark = pytest.mark.database


def status_changed(
    shop_id: UUID, order_id: UUID, status: OrderStatus, code: str | None
) -> OrderStatusChanged:
    return OrderStatusChanged(
        shop_id=shop_id,
        order_id=order_id,
        order_number=1,
        customer_id=None,
        guest=True,
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        language="en",
        previous_status="placed",
        status=status,
        voucher_code=code,
        currency="EUR",
        gross_total=Decimal("12.00"),
        changed_at=datetime.now(UTC),
    )


async def hold(runtime: ServiceRuntime, shop_id: UUID, code: str, order_id: UUID) -> None:
    await run(
        runtime,
        redeem_voucher,
        RedeemVoucher(
            shop_id=shop_id, code=code, order_id=order_id, product_subtotal=Decimal("50.00")
        ),
    )


async def test_a_cancelled_order_gives_its_code_back_once(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    voucher = await add_voucher(runtime, shop.shop_id, "BACK", redemption_limit=2)
    order, other = uuid4(), uuid4()
    await hold(runtime, shop.shop_id, "BACK", order)
    await hold(runtime, shop.shop_id, "BACK", other)
    assert await use_count(runtime, voucher.voucher_id) == 2

    await handle(
        runtime, release_for_cancelled_order, status_changed(shop.shop_id, order, "shipped", "BACK")
    )
    assert await use_count(runtime, voucher.voucher_id) == 2, "only a cancellation releases"

    cancelled = status_changed(shop.shop_id, order, "cancelled", "BACK")
    await handle(runtime, release_for_cancelled_order, cancelled)
    await handle(runtime, release_for_cancelled_order, cancelled)
    assert await use_count(runtime, voucher.voucher_id) == 1, "released once, the other held"


async def test_an_abandoned_placement_releases_what_it_took_or_nothing(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    voucher = await add_voucher(runtime, shop.shop_id, "CRASH")
    taken = uuid4()
    await hold(runtime, shop.shop_id, "CRASH", taken)
    assert await use_count(runtime, voucher.voucher_id) == 1

    never_taken = OrderPlacementAbandoned(
        shop_id=shop.shop_id, order_id=uuid4(), voucher_code="CRASH", abandoned_at=datetime.now(UTC)
    )
    await handle(runtime, release_for_abandoned_placement, never_taken)
    assert await use_count(runtime, voucher.voucher_id) == 1

    abandoned = OrderPlacementAbandoned(
        shop_id=shop.shop_id, order_id=taken, voucher_code="CRASH", abandoned_at=datetime.now(UTC)
    )
    await handle(runtime, release_for_abandoned_placement, abandoned)
    assert await use_count(runtime, voucher.voucher_id) == 0
    await hold(runtime, shop.shop_id, "CRASH", uuid4())
    assert await use_count(runtime, voucher.voucher_id) == 1, "the code is usable again"
