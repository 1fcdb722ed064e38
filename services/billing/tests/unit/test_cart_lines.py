"""Cart lines against the price list, without a database: merging, bounds, options, the cap."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from billing.domain.cart_lines import (
    MAX_LINES,
    CartFull,
    ItemRefused,
    Line,
    LineNotFound,
    add_item,
    change_line,
    check_item,
    remove_line,
)
from contracts.billing import ItemRequest, Names, Product, ProductionOption

FLYER = Product(
    sku="FLY-A5",
    names=Names(en="Flyer"),
    unit_net=Decimal("0.0450"),
    wholesale_unit_cost=Decimal("0.0200"),
    vat_rate=Decimal("20.00"),
    production_options=[
        ProductionOption(code="standard", names=Names(en="Standard")),
        ProductionOption(
            code="express", names=Names(en="Express"), surcharge_unit_net=Decimal("0.01")
        ),
    ],
    min_quantity=100,
    max_quantity=1000,
    updated_at=datetime(2026, 1, 1, tzinfo=UTC),
)


def item(quantity: int = 100, option: str | None = None, sku: str = "FLY-A5") -> ItemRequest:
    return ItemRequest(sku=sku, quantity=quantity, production_option=option)


def fields(refused: pytest.ExceptionInfo[ItemRefused]) -> dict[str, str]:
    return {p.field: p.reason for p in refused.value.problems}


def test_no_option_means_the_first_and_new_lines_go_last() -> None:
    first = add_item([], FLYER, item(200), prefix="item", new_line_id=uuid4())
    both = add_item(first, FLYER, item(300, "express"), prefix="item", new_line_id=uuid4())

    assert [(line.production_option, line.quantity, line.position) for line in both] == [
        ("standard", 200, 0),
        ("express", 300, 1),
    ]


def test_the_same_sku_and_option_merges_and_the_sum_must_stay_in_bounds() -> None:
    lines = add_item([], FLYER, item(600), prefix="item", new_line_id=uuid4())

    merged = add_item(lines, FLYER, item(400, "standard"), prefix="item", new_line_id=uuid4())
    with pytest.raises(ItemRefused) as refused:
        add_item(merged, FLYER, item(100), prefix="item", new_line_id=uuid4())

    assert [(line.line_id, line.quantity) for line in merged] == [(lines[0].line_id, 1000)]
    assert "1100" in fields(refused)["item.quantity"]


def test_every_problem_of_an_item_is_named_with_its_prefix() -> None:
    with pytest.raises(ItemRefused) as refused:
        check_item(FLYER, item(5000, "overnight"), "items.3")

    assert fields(refused) == {
        "items.3.production_option": (
            "'overnight' is not offered for this product; choose one of: standard, express"
        ),
        "items.3.quantity": "must be between 100 and 1000",
    }


@pytest.mark.parametrize("product", [None, FLYER.model_copy(update={"active": False})])
def test_an_unknown_or_inactive_product_is_refused_on_the_sku(product: Product | None) -> None:
    with pytest.raises(ItemRefused) as refused:
        add_item([], product, item(), prefix="item", new_line_id=uuid4())

    assert list(fields(refused)) == ["item.sku"]


def test_the_201st_line_is_refused_but_merging_into_a_full_cart_is_not() -> None:
    lines = [Line(uuid4(), f"SKU-{n}", 1, "standard", n) for n in range(MAX_LINES)]
    full = [*lines[:-1], Line(lines[-1].line_id, "FLY-A5", 100, "standard", MAX_LINES - 1)]

    with pytest.raises(CartFull):
        add_item(full, FLYER, item(100, "express"), prefix="item", new_line_id=uuid4())
    merged = add_item(full, FLYER, item(100), prefix="item", new_line_id=uuid4())

    assert merged[-1].quantity == 200


def test_changing_to_an_option_already_in_the_cart_folds_the_lines() -> None:
    standard = Line(uuid4(), "FLY-A5", 300, "standard", 0)
    express = Line(uuid4(), "FLY-A5", 200, "express", 1)

    folded = change_line(
        [standard, express], express.line_id, FLYER, quantity=None, production_option="standard"
    )
    with pytest.raises(ItemRefused) as refused:
        change_line(
            [standard, express], express.line_id, FLYER, quantity=800, production_option="standard"
        )

    assert folded == [Line(standard.line_id, "FLY-A5", 500, "standard", 0)]
    assert "1100" in fields(refused)["quantity"]


def test_a_change_checks_the_new_quantity_and_option() -> None:
    line = Line(uuid4(), "FLY-A5", 300, "standard", 0)

    changed = change_line([line], line.line_id, FLYER, quantity=900, production_option="express")
    with pytest.raises(ItemRefused) as refused:
        change_line([line], line.line_id, FLYER, quantity=1, production_option="overnight")

    assert (changed[0].quantity, changed[0].production_option) == (900, "express")
    assert sorted(fields(refused)) == ["production_option", "quantity"]


def test_unknown_lines_cannot_change_or_go() -> None:
    line = Line(uuid4(), "FLY-A5", 300, "standard", 0)

    assert remove_line([line], line.line_id) == []
    with pytest.raises(LineNotFound):
        remove_line([line], uuid4())
    with pytest.raises(LineNotFound):
        change_line([line], uuid4(), FLYER, quantity=100, production_option=None)
