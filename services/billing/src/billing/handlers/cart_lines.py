"""Storefront changes to a cart's lines: add (merging the same SKU and option), change, remove."""

from __future__ import annotations

from uuid import uuid4

from billing.adapters.price_list import load_product
from billing.adapters.pricing_client import Pricer
from billing.domain.cart_lines import (
    MAX_LINES,
    CartFull,
    ItemRefused,
    LineNotFound,
    add_item,
    change_line,
    find_line,
    remove_line,
)
from billing.handlers.cart_changes import open_for_change, save_change
from billing.handlers.refusals import cart_full, cart_line_not_found, invalid_input
from contracts.billing import AddCartLine, Cart, ChangeCartLine, RemoveCartLine
from service_runtime.database import UnitOfWork


async def add_cart_line(command: AddCartLine, uow: UnitOfWork, *, pricer: Pricer) -> Cart:
    opened = await open_for_change(command, uow)
    product = opened.products.get(command.item.sku) or await load_product(
        uow.session, command.shop_id, command.item.sku
    )
    try:
        lines = add_item(opened.lines, product, command.item, prefix="item", new_line_id=uuid4())
    except ItemRefused as refused:
        raise invalid_input(refused.problems) from refused
    except CartFull as full:
        raise cart_full(MAX_LINES) from full
    known = {product.sku: product} if product else None
    return await save_change(command, uow, pricer, opened, lines=lines, known=known)


async def change_cart_line(command: ChangeCartLine, uow: UnitOfWork, *, pricer: Pricer) -> Cart:
    opened = await open_for_change(command, uow)
    try:
        line = find_line(opened.lines, command.line_id)
    except LineNotFound as missing:
        raise cart_line_not_found() from missing
    product = opened.products.get(line.sku)
    if product is None:  # never: products are deactivated, not deleted
        raise RuntimeError(f"cart line {line.line_id} names an unknown SKU")
    try:
        lines = change_line(
            opened.lines,
            command.line_id,
            product,
            quantity=command.quantity,
            production_option=command.production_option,
        )
    except ItemRefused as refused:
        raise invalid_input(refused.problems) from refused
    return await save_change(command, uow, pricer, opened, lines=lines)


async def remove_cart_line(command: RemoveCartLine, uow: UnitOfWork, *, pricer: Pricer) -> Cart:
    opened = await open_for_change(command, uow)
    try:
        lines = remove_line(opened.lines, command.line_id)
    except LineNotFound as missing:
        raise cart_line_not_found() from missing
    return await save_change(command, uow, pricer, opened, lines=lines)
