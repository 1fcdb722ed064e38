"""Voucher code checks (V4): each refusal reason, its order and the validity boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from vouchers.domain.pricing import VoucherOffer, VoucherRefusal
from vouchers.domain.voucher_rules import VoucherState, check_voucher, normalize_code

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
ADA = uuid4()


def state(**changes: object) -> VoucherState:
    base = VoucherState(
        code="SPRING10",
        kind="percent",
        value=Decimal("10"),
        min_order_value=Decimal("50.00"),
        valid_from=datetime(2026, 3, 1, tzinfo=UTC),
        valid_until=datetime(2026, 4, 1, tzinfo=UTC),
        redemption_limit=1,
        use_count=0,
        customer_id=None,
        active=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def refusal(
    voucher: VoucherState | None,
    *,
    code: str = "spring10",
    customer_id: UUID | None = ADA,
    now: datetime = NOW,
) -> VoucherRefusal:
    result = check_voucher(voucher, code, customer_id=customer_id, now=now)
    assert isinstance(result, VoucherRefusal)
    return result


def test_a_valid_code_becomes_an_offer_with_its_terms() -> None:
    result = check_voucher(state(), " spring10 ", customer_id=None, now=NOW)
    assert result == VoucherOffer(
        code="SPRING10", kind="percent", value=Decimal("10"), min_order_value=Decimal("50.00")
    )


def test_an_unknown_code_is_named_in_upper_case() -> None:
    result = refusal(None, code=" winter5 ")
    assert (result.code, result.reason) == ("WINTER5", "unknown")
    assert result.detail == "There is no voucher code WINTER5."


def test_an_inactive_code_is_refused() -> None:
    result = refusal(state(active=False))
    assert (result.code, result.reason) == ("SPRING10", "inactive")
    assert result.detail == "The code SPRING10 is not active."


def test_a_code_is_valid_from_the_exact_moment_valid_from() -> None:
    starts = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    early = refusal(state(valid_from=starts), now=starts - timedelta(microseconds=1))
    assert early.reason == "not_yet_valid"
    assert early.detail == "The code SPRING10 is valid from 2026-03-01 09:30 UTC."
    assert isinstance(
        check_voucher(state(valid_from=starts), "x", customer_id=ADA, now=starts), VoucherOffer
    )


def test_a_code_has_expired_at_the_exact_moment_valid_until() -> None:
    ends = datetime(2026, 3, 31, tzinfo=UTC)
    late = refusal(state(valid_until=ends), now=ends)
    assert late.reason == "expired"
    assert late.detail == "The code SPRING10 expired on 2026-03-31."
    just_before = check_voucher(
        state(valid_until=ends), "x", customer_id=ADA, now=ends - timedelta(microseconds=1)
    )
    assert isinstance(just_before, VoucherOffer)


def test_moments_in_other_zones_are_shown_in_utc() -> None:
    paris = timezone(timedelta(hours=2))
    ends = datetime(2026, 4, 1, 2, 0, tzinfo=paris)  # 2026-04-01 00:00 UTC
    assert refusal(state(valid_until=ends), now=ends).detail.endswith("expired on 2026-04-01.")


def test_a_code_without_a_window_is_always_valid() -> None:
    open_ended = state(valid_from=None, valid_until=None)
    far = datetime(2099, 1, 1, tzinfo=UTC)
    assert isinstance(check_voucher(open_ended, "x", customer_id=ADA, now=far), VoucherOffer)


@pytest.mark.parametrize(
    ("limit", "uses", "detail"),
    [
        (1, 1, "The code SPRING10 has already been used."),
        (500, 500, "The code SPRING10 has reached its limit of 500 uses."),
        (500, 501, "The code SPRING10 has reached its limit of 500 uses."),
    ],
)
def test_a_code_used_up_to_its_limit_is_refused(limit: int, uses: int, detail: str) -> None:
    result = refusal(state(redemption_limit=limit, use_count=uses))
    assert (result.reason, result.detail) == ("used_up", detail)


def test_a_code_with_uses_left_is_accepted() -> None:
    voucher = state(redemption_limit=500, use_count=499)
    assert isinstance(check_voucher(voucher, "x", customer_id=None, now=NOW), VoucherOffer)


def test_a_personal_code_is_only_for_its_customer() -> None:
    personal = state(customer_id=ADA)
    assert isinstance(check_voucher(personal, "x", customer_id=ADA, now=NOW), VoucherOffer)
    other = refusal(personal, customer_id=uuid4())
    assert (other.reason, other.detail) == (
        "not_for_this_customer",
        "The code SPRING10 was issued to another customer.",
    )
    visitor = refusal(personal, customer_id=None)
    assert visitor.reason == "not_for_this_customer"
    assert "log in" in visitor.detail


def test_the_first_broken_rule_is_the_reason() -> None:
    everything_wrong = state(
        active=False,
        valid_from=NOW + timedelta(days=1),
        valid_until=NOW - timedelta(days=1),
        use_count=1,
        customer_id=uuid4(),
    )
    reasons = []
    fixes: list[dict[str, object]] = [
        {"active": True},
        {"valid_from": None},
        {"valid_until": None},
        {"use_count": 0},
        {"customer_id": ADA},
    ]
    current = everything_wrong
    for fix in fixes:
        reasons.append(refusal(current).reason)
        current = replace(current, **fix)  # type: ignore[arg-type]
    assert reasons == ["inactive", "not_yet_valid", "expired", "used_up", "not_for_this_customer"]
    assert isinstance(check_voucher(current, "x", customer_id=ADA, now=NOW), VoucherOffer)


def test_a_fixed_code_keeps_its_amount() -> None:
    fixed = state(kind="fixed", value=Decimal("15.00"), min_order_value=Decimal("0.00"))
    result = check_voucher(fixed, "x", customer_id=None, now=NOW)
    assert result == VoucherOffer("SPRING10", "fixed", Decimal("15.00"), Decimal("0.00"))


def test_an_unknown_kind_in_the_table_is_a_data_error() -> None:
    with pytest.raises(ValueError, match="unknown voucher kind"):
        check_voucher(state(kind="gift"), "x", customer_id=None, now=NOW)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("spring10", "SPRING10"), ("  Spring-10\n", "SPRING-10"), ("SPRING10", "SPRING10")],
)
def test_codes_are_case_insensitive(typed: str, normal: str) -> None:
    assert normalize_code(typed) == normal
