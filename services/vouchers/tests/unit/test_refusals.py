"""The refusals billing and the gateway forward: stable codes, status, the field ``code``."""

from typing import get_args

import pytest

from contracts.vouchers import VoucherRefusalReason
from vouchers.handlers.refusals import (
    customer_not_found,
    group_not_found,
    unknown_customer_field,
    voucher_code_taken,
    voucher_not_found,
    voucher_refused,
)


@pytest.mark.parametrize("reason", get_args(VoucherRefusalReason))
def test_each_voucher_refusal_is_a_422_on_the_code_field_with_its_detail(reason: str) -> None:
    error = voucher_refused(reason, f"detail for {reason}").error  # type: ignore[arg-type]
    assert (error.code, error.status, error.detail) == (
        f"voucher_{reason}",
        422,
        f"detail for {reason}",
    )
    assert [(f.field, f.reason) for f in error.fields] == [("code", f"detail for {reason}")]
    assert error.title


def test_objects_of_another_shop_are_404_with_their_own_codes() -> None:
    assert [
        (r.error.code, r.error.status)
        for r in (customer_not_found(), group_not_found(), voucher_not_found())
    ] == [
        ("customer_not_found", 404),
        ("group_not_found", 404),
        ("voucher_not_found", 404),
    ]


def test_a_taken_code_and_an_unknown_customer_name_their_fields() -> None:
    taken = voucher_code_taken("SPRING10").error
    assert (taken.code, taken.status, [f.field for f in taken.fields]) == (
        "voucher_code_taken",
        409,
        ["code"],
    )
    assert "SPRING10" in taken.detail
    unknown = unknown_customer_field().error
    assert (unknown.status, [f.field for f in unknown.fields]) == (422, ["customer_id"])
