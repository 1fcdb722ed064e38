"""The order's rules without a database: its status machine, the credit check, the provider's
wholesale revenue and ids."""

import re
from decimal import Decimal

import pytest

from billing.domain.credit import CreditPosition, invoice_refusal
from billing.domain.order_status import InvalidTransition, after_cancel, after_step, allowed_next
from billing.domain.provider_orders import (
    new_provider_invoice_id,
    new_provider_order_id,
    wholesale_net,
)
from contracts.billing import OrderStatus, ProviderStep


def test_the_provider_steps_follow_one_path_with_a_loop_for_rejected_data() -> None:
    path: list[ProviderStep] = [
        "data_received",
        "data_rejected",
        "data_received",
        "data_checked",
        "in_production",
    ]
    status: OrderStatus = "placed"
    for step in path:
        status = after_step(status, step)
    assert after_step(status, "shipped") == "shipped"
    with pytest.raises(InvalidTransition) as skipped:
        after_step("placed", "data_checked")
    assert (skipped.value.current, skipped.value.wanted) == ("placed", "data_checked")
    finals: list[OrderStatus] = ["shipped", "cancelled"]
    for final in finals:
        with pytest.raises(InvalidTransition):
            after_step(final, "data_received")
    assert allowed_next("data_received") == ["data_checked", "data_rejected", "cancelled"]
    assert allowed_next("shipped") == []


def test_cancelling_is_possible_until_production_starts() -> None:
    before: list[OrderStatus] = ["placed", "data_received", "data_checked", "data_rejected"]
    after: list[OrderStatus] = ["in_production", "shipped", "cancelled"]
    for status in before:
        assert after_cancel(status) == "cancelled"
    for status in after:
        with pytest.raises(InvalidTransition):
            after_cancel(status)


def test_invoice_is_allowed_up_to_the_credit_limit_inclusive() -> None:
    position = CreditPosition(
        pays_by_invoice=True,
        outstanding=Decimal("900.00"),
        credit_limit=Decimal("1000.00"),
        currency="EUR",
    )

    assert invoice_refusal(position, Decimal("100.00")) is None
    beyond = invoice_refusal(position, Decimal("100.01"))
    no_option = invoice_refusal(
        CreditPosition(False, Decimal(0), Decimal("1000.00"), "EUR"), Decimal(1)
    )
    guest = invoice_refusal(None, Decimal(1))

    assert beyond is not None
    assert beyond.code == "credit_limit_exceeded"
    assert "1000.01 EUR" in beyond.detail
    assert "1000.00 EUR" in beyond.detail
    assert no_option is not None
    assert guest is not None
    assert (no_option.code, guest.code) == ("invoice_not_allowed", "invoice_not_allowed")


def test_wholesale_revenue_is_rounded_once_half_up_to_the_cent() -> None:
    # 3 x 0.0015 = 0.0045 and 1 x 0.0005: per line 0.00 + 0.00, summed 0.0050 -> 0.01.
    assert wholesale_net([(3, Decimal("0.0015")), (1, Decimal("0.0005"))]) == Decimal("0.01")
    assert wholesale_net([(333, Decimal("0.0215"))]) == Decimal("7.16")
    assert wholesale_net([]) == Decimal("0.00")


def test_provider_ids_have_their_documented_shapes() -> None:
    assert re.fullmatch(r"PO-[0-9A-F]{12}", new_provider_order_id())
    assert re.fullmatch(r"PI-[0-9A-F]{10}", new_provider_invoice_id())
    assert new_provider_order_id() != new_provider_order_id()
