"""V1-V3: personal discounts with their "SC" marker and change report, and group adjustments."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from contracts.vouchers import (
    CustomerDiscountChanged,
    GetCustomerPricing,
    ListGroupAdjustments,
    SetCustomerDiscount,
    SetGroupAdjustment,
)
from service_runtime.service import ServiceRuntime
from vouchers.handlers.customer_discount import get_customer_pricing, set_customer_discount
from vouchers.handlers.customer_events import record_group_change
from vouchers.handlers.group_adjustments import list_group_adjustments, set_group_adjustment

sys.path.insert(0, str(Path(__file__).parent))
from vouchers_support import (
    add_customer,
    adjust_group,
    events,
    group_changed,
    handle,
    open_shop,
    refusal,
    run,
)

pytestmark = pytest.mark.database


def discount(shop_id: object, customer_id: object, percent: str | None) -> SetCustomerDiscount:
    return SetCustomerDiscount.model_validate(
        {
            "shop_id": shop_id,
            "customer_id": customer_id,
            "discount_percent": percent,
            "changed_by": "Marie (partner)",
        }
    )


async def test_a_discount_is_set_kept_when_unchanged_and_reset_with_events(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    customer_id = await add_customer(
        runtime, shop.shop_id, first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )

    set_ten = discount(shop.shop_id, customer_id, "10")
    pricing = await run(runtime, set_customer_discount, set_ten)
    assert (pricing.discount_percent, pricing.special_condition) == (Decimal("10.00"), True)
    again = await run(runtime, set_customer_discount, discount(shop.shop_id, customer_id, "10.00"))
    assert again == pricing
    assert len(await events(runtime, CustomerDiscountChanged)) == 1, (
        "the same value reports nothing"
    )

    reset = await run(runtime, set_customer_discount, discount(shop.shop_id, customer_id, None))
    assert (reset.discount_percent, reset.special_condition) == (None, False)

    first, second = await events(runtime, CustomerDiscountChanged)
    assert (first.correlation_id, first.causation_id) == (
        set_ten.correlation_id,
        set_ten.message_id,
    )
    assert (
        first.customer_id,
        first.customer_name,
        first.customer_email,
        first.discount_percent,
        first.previous_percent,
        first.special_condition,
        first.revision,
        first.changed_by,
    ) == (
        customer_id,
        "Ada Lovelace",
        "ada@example.com",
        Decimal("10.00"),
        None,
        True,
        1,
        "Marie (partner)",
    )
    assert first.customer_number is not None
    assert (second.discount_percent, second.previous_percent, second.special_condition) == (
        None,
        Decimal("10.00"),
        False,
    )
    assert second.revision == 2
    assert second.changed_at >= first.changed_at
    read = await run(
        runtime,
        get_customer_pricing,
        GetCustomerPricing(shop_id=shop.shop_id, customer_id=customer_id),
    )
    assert (read.discount_percent, read.special_condition) == (None, False)


async def test_a_full_discount_is_allowed_and_another_shops_customer_is_not_found(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    other = await open_shop(runtime)
    customer_id = await add_customer(runtime, shop.shop_id)
    full = await run(runtime, set_customer_discount, discount(shop.shop_id, customer_id, "100"))
    assert full.discount_percent == Decimal("100.00")
    for command in (
        discount(other.shop_id, customer_id, "5"),
        discount(shop.shop_id, uuid4(), "5"),
    ):
        missing = await refusal(runtime, set_customer_discount, command)
        assert (missing.code, missing.status) == ("customer_not_found", 404)
    unknown = await refusal(
        runtime,
        get_customer_pricing,
        GetCustomerPricing(shop_id=other.shop_id, customer_id=customer_id),
    )
    assert (unknown.code, unknown.status) == ("customer_not_found", 404)
    assert len(await events(runtime, CustomerDiscountChanged)) == 1


async def test_customer_pricing_shows_the_group_with_its_adjustment(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    await adjust_group(runtime, shop.shop_id, shop.customer, "-5")
    member = await add_customer(runtime, shop.shop_id, group_id=shop.customer, tax_exempt=True)
    loner = await add_customer(runtime, shop.shop_id)
    stranger = await add_customer(
        runtime, shop.shop_id, group_id=uuid4()
    )  # group not announced yet

    pricing = await run(
        runtime, get_customer_pricing, GetCustomerPricing(shop_id=shop.shop_id, customer_id=member)
    )
    assert pricing.group is not None
    assert (pricing.group.group_id, pricing.group.group_name, pricing.group.system_key) == (
        shop.customer,
        "Customer",
        "customer",
    )
    assert (pricing.group.percent, pricing.tax_exempt, pricing.discount_percent) == (
        Decimal("-5.00"),
        True,
        None,
    )
    for customer_id in (loner, stranger):
        alone = await run(
            runtime,
            get_customer_pricing,
            GetCustomerPricing(shop_id=shop.shop_id, customer_id=customer_id),
        )
        assert alone.group is None


async def test_group_adjustments_are_set_and_listed_system_groups_first(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    other = await open_shop(runtime)
    for name in ("wholesale", "Architects", "VIP"):
        await handle(runtime, record_group_change, group_changed(shop.shop_id, uuid4(), name))
    surcharge = await run(
        runtime,
        set_group_adjustment,
        SetGroupAdjustment(shop_id=shop.shop_id, group_id=shop.visitor, percent=Decimal("10")),
    )
    assert (surcharge.group_name, surcharge.system_key, surcharge.percent) == (
        "Visitor",
        "visitor",
        Decimal("10.00"),
    )

    listed = await run(runtime, list_group_adjustments, ListGroupAdjustments(shop_id=shop.shop_id))
    assert [(g.group_name, g.percent) for g in listed.items] == [
        ("Visitor", Decimal("10.00")),
        ("Guest", Decimal("0.00")),
        ("Customer", Decimal("0.00")),
        ("Architects", Decimal("0.00")),
        ("VIP", Decimal("0.00")),
        ("wholesale", Decimal("0.00")),
    ]
    others = await run(runtime, list_group_adjustments, ListGroupAdjustments(shop_id=other.shop_id))
    assert [g.percent for g in others.items] == [Decimal("0.00")] * 3, "another shop is untouched"

    for command in (
        SetGroupAdjustment(shop_id=other.shop_id, group_id=shop.visitor, percent=Decimal("-5")),
        SetGroupAdjustment(shop_id=shop.shop_id, group_id=uuid4(), percent=Decimal("-5")),
    ):
        missing = await refusal(runtime, set_group_adjustment, command)
        assert (missing.code, missing.status) == ("group_not_found", 404)
