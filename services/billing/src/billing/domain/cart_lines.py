"""Cart lines checked against the price list: bounds, production options, merging, the cap.

SKUs are compared exactly as given (case-sensitive), as the price list keys them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from contracts.base import FieldError
from contracts.billing import ItemRequest, Product

MAX_LINES = 200


@dataclass(frozen=True)
class Line:
    """One line of a cart: a product, how many, in which production option."""

    line_id: UUID
    sku: str
    quantity: int
    production_option: str
    position: int


class ItemRefused(Exception):
    """The price list does not allow this item; ``problems`` name each bad field."""

    def __init__(self, problems: list[FieldError]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in problems))
        self.problems = problems


class CartFull(Exception):
    """A new line would take the cart past ``MAX_LINES``."""


class LineNotFound(Exception):
    """The cart has no line with this id."""


def offered_codes(product: Product) -> list[str]:
    return [option.code for option in product.production_options]


def option_problem(product: Product, code: str, field: str) -> FieldError | None:
    if code in offered_codes(product):
        return None
    offered = ", ".join(offered_codes(product))
    return FieldError(
        field=field, reason=f"'{code}' is not offered for this product; choose one of: {offered}"
    )


def quantity_problem(
    product: Product, quantity: int, field: str, *, already: int = 0
) -> FieldError | None:
    if product.min_quantity <= quantity <= product.max_quantity:
        return None
    bounds = f"between {product.min_quantity} and {product.max_quantity}"
    if already:
        reason = (
            f"with the {already} already in the cart this makes {quantity};"
            f" the quantity must be {bounds}"
        )
    else:
        reason = f"must be {bounds}"
    return FieldError(field=field, reason=reason)


def unknown_sku(field: str) -> ItemRefused:
    return ItemRefused(
        [
            FieldError(
                field=field,
                reason=(
                    "no active product with this SKU in the price list (SKUs are case-sensitive)"
                ),
            )
        ]
    )


def chosen_option(product: Product, requested: str | None) -> str:
    """None means the product's first (default) production option."""
    return requested if requested is not None else product.production_options[0].code


def check_item(product: Product | None, item: ItemRequest, prefix: str, *, already: int = 0) -> str:
    """The item's production option once the price list allows it; else ItemRefused."""
    if product is None or not product.active:
        raise unknown_sku(f"{prefix}.sku")
    option = chosen_option(product, item.production_option)
    problems = [
        problem
        for problem in (
            option_problem(product, option, f"{prefix}.production_option"),
            quantity_problem(
                product, item.quantity + already, f"{prefix}.quantity", already=already
            ),
        )
        if problem is not None
    ]
    if problems:
        raise ItemRefused(problems)
    return option


def add_item(
    lines: Sequence[Line],
    product: Product | None,
    item: ItemRequest,
    *,
    prefix: str,
    new_line_id: UUID,
) -> list[Line]:
    """The lines after adding ``item``: the same SKU and option adds to that line's quantity."""
    if product is None or not product.active:
        raise unknown_sku(f"{prefix}.sku")
    option = chosen_option(product, item.production_option)
    existing = next(
        (o for o in lines if o.sku == product.sku and o.production_option == option), None
    )
    already = existing.quantity if existing is not None else 0
    check_item(product, item, prefix, already=already)
    if existing is not None:
        merged = replace(existing, quantity=already + item.quantity)
        return [merged if other is existing else other for other in lines]
    if len(lines) >= MAX_LINES:
        raise CartFull
    position = max((other.position for other in lines), default=-1) + 1
    return [*lines, Line(new_line_id, product.sku, item.quantity, option, position)]


def find_line(lines: Sequence[Line], line_id: UUID) -> Line:
    for line in lines:
        if line.line_id == line_id:
            return line
    raise LineNotFound


def change_line(
    lines: Sequence[Line],
    line_id: UUID,
    product: Product,
    *,
    quantity: int | None,
    production_option: str | None,
) -> list[Line]:
    """The lines after changing one; a new option already on another line merges into it."""
    line = find_line(lines, line_id)
    option = production_option if production_option is not None else line.production_option
    twin = next(
        (o for o in lines if o is not line and o.sku == line.sku and o.production_option == option),
        None,
    )
    wanted = quantity if quantity is not None else line.quantity
    already = twin.quantity if twin is not None else 0
    problems = [
        problem
        for problem in (
            option_problem(product, option, "production_option")
            if production_option is not None
            else None,
            quantity_problem(product, wanted + already, "quantity", already=already),
        )
        if problem is not None
    ]
    if problems:
        raise ItemRefused(problems)
    if twin is not None:
        merged = replace(twin, quantity=wanted + already)
        return [merged if o is twin else o for o in lines if o is not line]
    changed = replace(line, quantity=wanted, production_option=option)
    return [changed if o is line else o for o in lines]


def remove_line(lines: Sequence[Line], line_id: UUID) -> list[Line]:
    line = find_line(lines, line_id)
    return [o for o in lines if o is not line]
