"""V4, V6: the partner's voucher codes: typed or generated, listed, paused and activated again."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from contracts.vouchers import (
    CreateVoucher,
    GenerateVouchers,
    GetVoucher,
    ListVouchers,
    SetVoucherActive,
    VouchersActivated,
)
from service_runtime.service import ServiceRuntime
from vouchers.domain.voucher_codes import ALPHABET
from vouchers.handlers import create_vouchers
from vouchers.handlers.create_vouchers import create_voucher, generate_vouchers
from vouchers.handlers.voucher_activation import set_voucher_active
from vouchers.handlers.voucher_listing import get_voucher, list_vouchers

sys.path.insert(0, str(Path(__file__).parent))
from vouchers_support import add_customer, add_voucher, events, open_shop, refusal, run, terms

pytestmark = pytest.mark.database


async def test_a_typed_code_is_stored_upper_case_and_unique_per_shop_ignoring_case(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    other = await open_shop(runtime)
    until = datetime.now(UTC) + timedelta(days=30)
    created = await add_voucher(
        runtime,
        shop.shop_id,
        "Spring-10",
        kind="fixed",
        value=Decimal("15"),
        min_order_value=Decimal("50"),
        valid_until=until,
        redemption_limit=3,
    )
    assert (created.code, created.kind, created.value, created.min_order_value) == (
        "SPRING-10",
        "fixed",
        Decimal("15.00"),
        Decimal("50.00"),
    )
    assert (created.valid_until, created.redemption_limit, created.use_count, created.active) == (
        until,
        3,
        0,
        True,
    )

    taken = await refusal(
        runtime,
        create_voucher,
        CreateVoucher(shop_id=shop.shop_id, code="spring-10", terms=terms()),
    )
    assert (taken.code, taken.status, [f.field for f in taken.fields]) == (
        "voucher_code_taken",
        409,
        ["code"],
    )
    elsewhere = await add_voucher(runtime, other.shop_id, "spring-10")
    assert elsewhere.code == "SPRING-10", "another shop may use the same code"

    activated = await events(runtime, VouchersActivated)
    assert [(e.shop_id, e.how, e.count, e.codes) for e in activated] == [
        (shop.shop_id, "created", 1, ["SPRING-10"]),
        (other.shop_id, "created", 1, ["SPRING-10"]),
    ]
    assert activated[0].terms.min_order_value == Decimal("50")


async def test_a_personal_code_names_a_customer_of_this_shop_and_inactive_codes_are_not_reported(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    other = await open_shop(runtime)
    grace = await add_customer(runtime, shop.shop_id)
    stranger = await add_customer(runtime, other.shop_id)
    for customer_id in (stranger, uuid4()):
        bad = await refusal(
            runtime,
            create_voucher,
            CreateVoucher(
                shop_id=shop.shop_id, code="ONLYHER", terms=terms(customer_id=customer_id)
            ),
        )
        assert (bad.status, [f.field for f in bad.fields]) == (422, ["customer_id"])
    personal = await add_voucher(runtime, shop.shop_id, "onlyher", customer_id=grace, active=False)
    assert (personal.customer_id, personal.active) == (grace, False)
    assert await events(runtime, VouchersActivated) == []


async def test_500_generated_codes_are_unique_fast_and_reported_once(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    command = GenerateVouchers(shop_id=shop.shop_id, count=500, prefix="flyer", terms=terms())
    started = time.perf_counter()
    generated = await run(runtime, generate_vouchers, command)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"500 codes took {elapsed:.2f} s"
    assert generated.count == len(generated.codes) == len(set(generated.codes)) == 500
    assert all(c.startswith("FLYER-") and set(c[6:]) <= set(ALPHABET) for c in generated.codes)

    page = await run(runtime, list_vouchers, ListVouchers(shop_id=shop.shop_id, size=500))
    assert page.total == 500
    assert {v.code for v in page.items} == set(generated.codes)
    (reported,) = await events(runtime, VouchersActivated)
    assert (reported.how, reported.count, reported.codes) == (
        "generated",
        500,
        generated.codes[:100],
    )


async def test_generated_codes_that_collide_with_stored_ones_are_topped_up(
    runtime: ServiceRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await open_shop(runtime)
    await add_voucher(runtime, shop.shop_id, "X-TAKEN1")
    await add_voucher(runtime, shop.shop_id, "X-TAKEN2")
    batches = iter([["X-TAKEN1", "X-FRESH1", "X-TAKEN2"], ["X-FRESH2", "X-TAKEN1"], ["X-FRESH3"]])
    asked: list[int] = []

    def scripted(prefix: str, count: int) -> list[str]:
        asked.append(count)
        return next(batches)

    monkeypatch.setattr(create_vouchers, "generate_codes", scripted)
    generated = await run(
        runtime,
        generate_vouchers,
        GenerateVouchers(shop_id=shop.shop_id, count=3, prefix="x", terms=terms(active=False)),
    )
    assert generated.codes == ["X-FRESH1", "X-FRESH2", "X-FRESH3"]
    assert asked == [3, 2, 1]
    assert [e.how for e in await events(runtime, VouchersActivated)] == ["created", "created"]


async def test_vouchers_are_listed_newest_first_filtered_and_paged(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    other = await open_shop(runtime)
    grace = await add_customer(runtime, shop.shop_id)
    for code in ("SUMMER_1", "SUMMER-2", "SUMMERX3", "WINTER"):
        await add_voucher(runtime, shop.shop_id, code)
    await add_voucher(runtime, shop.shop_id, "GRACE", customer_id=grace, active=False)
    await add_voucher(runtime, other.shop_id, "SUMMER-OTHER")

    async def codes(**filters: object) -> tuple[list[str], int]:
        page = await run(
            runtime,
            list_vouchers,
            ListVouchers.model_validate({"shop_id": shop.shop_id, **filters}),
        )
        return [v.code for v in page.items], page.total

    assert await codes() == (["GRACE", "WINTER", "SUMMERX3", "SUMMER-2", "SUMMER_1"], 5)
    assert await codes(code_prefix="summer") == (["SUMMERX3", "SUMMER-2", "SUMMER_1"], 3)
    assert await codes(code_prefix="summer_") == (["SUMMER_1"], 1), "'_' is no wildcard"
    assert await codes(active=False) == (["GRACE"], 1)
    assert await codes(active=True, size=2, page=2) == (["SUMMER-2", "SUMMER_1"], 4)
    assert await codes(customer_id=grace) == (["GRACE"], 1)
    assert await codes(page=9) == ([], 5)


async def test_a_voucher_is_found_in_its_own_shop_only(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    other = await open_shop(runtime)
    created = await add_voucher(runtime, shop.shop_id, "MINE")
    found = await run(
        runtime, get_voucher, GetVoucher(shop_id=shop.shop_id, voucher_id=created.voucher_id)
    )
    assert found == created
    for command in (
        GetVoucher(shop_id=other.shop_id, voucher_id=created.voucher_id),
        GetVoucher(shop_id=shop.shop_id, voucher_id=uuid4()),
    ):
        missing = await refusal(runtime, get_voucher, command)
        assert (missing.code, missing.status) == ("voucher_not_found", 404)
    paused = await refusal(
        runtime,
        set_voucher_active,
        SetVoucherActive(shop_id=other.shop_id, voucher_id=created.voucher_id, active=False),
    )
    assert paused.code == "voucher_not_found"


async def test_deactivation_is_silent_and_reactivation_is_reported_once(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    created = await add_voucher(runtime, shop.shop_id, "PAUSE", value=Decimal("20"))

    async def set_active(active: bool) -> bool:
        changed = await run(
            runtime,
            set_voucher_active,
            SetVoucherActive(shop_id=shop.shop_id, voucher_id=created.voucher_id, active=active),
        )
        return changed.active

    assert await set_active(False) is False
    assert await set_active(False) is False
    assert await set_active(True) is True
    assert await set_active(True) is True
    reported = await events(runtime, VouchersActivated)
    assert [(e.how, e.codes) for e in reported] == [
        ("created", ["PAUSE"]),
        ("reactivated", ["PAUSE"]),
    ]
    assert reported[1].terms.value == Decimal("20.00")
