"""Who is told about which status, and discount rows that add up to the products' net."""

import sys
from decimal import Decimal
from pathlib import Path

from contracts.vouchers.shapes import PriceAdjustment
from notifier.domain.order_mail import CUSTOMER_STATUSES, PARTNER_ONLY_STATUS, discount_totals

sys.path.insert(0, str(Path(__file__).parents[1]))
from billing_event_samples import priced_cart


def test_the_customer_never_hears_of_a_data_rejection() -> None:
    assert PARTNER_ONLY_STATUS == "data_rejected"
    assert PARTNER_ONLY_STATUS not in CUSTOMER_STATUSES
    assert {
        "data_received",
        "data_checked",
        "in_production",
        "shipped",
        "cancelled",
    } == CUSTOMER_STATUSES


def test_discounts_are_summed_per_name_across_lines_in_stacking_order() -> None:
    (line,) = priced_cart().lines
    second = line.model_copy(update={"name": "Posters"})

    rows = discount_totals([line, second])

    assert rows == [
        ("Your discount 10 %", Decimal("-45.00")),
        ("Voucher SPRING-10", Decimal("-20.00")),
    ]
    lists = sum(line.list_net for line in (line, second))
    assert lists + sum(amount for _, amount in rows) == line.product_net + second.product_net


def test_a_discount_the_pricing_capped_at_zero_is_shown_as_far_as_it_applied() -> None:
    (line,) = priced_cart().lines
    capped = line.model_copy(
        update={
            "list_net": Decimal("20.00"),
            "adjustments": [
                PriceAdjustment(kind="group", name="Group -10 %", amount=Decimal("-2.00")),
                PriceAdjustment(kind="voucher", name="Voucher BIG", amount=Decimal("-25.00")),
            ],
            "product_net": Decimal("0.00"),
        }
    )

    rows = discount_totals([capped])

    assert rows == [("Group -10 %", Decimal("-2.00")), ("Voucher BIG", Decimal("-18.00"))]
    assert capped.list_net + sum(amount for _, amount in rows) == capped.product_net
