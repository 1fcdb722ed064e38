"""What every cart change shares: lock, access rules, reprice, store, answer the whole cart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

from billing.adapters.cart_store import (
    LoadedCart,
    load_cart_for_pricing,
    save_lines,
    update_cart,
)
from billing.adapters.pricing_client import Pricer
from billing.domain.cart_lines import Line
from billing.domain.carts import StoredCart, owner_after_change, visible_to
from billing.handlers.cart_pricing import priced_cart, totals
from billing.handlers.refusals import cart_not_found, cart_ordered, voucher_refused
from contracts.billing import Cart, CartCommand, Product, ShippingOption
from service_runtime.database import UnitOfWork

OpenCart = LoadedCart
"""A cart locked for one change, as it was before the change."""


async def open_for_change(command: CartCommand, uow: UnitOfWork) -> OpenCart:
    """The caller's cart locked ``FOR UPDATE``: 404 when not theirs, 409 once ordered."""
    loaded = await load_cart_for_pricing(uow.session, command.shop_id, command.cart_id, lock=True)
    if loaded is None or not visible_to(loaded.cart, command.customer_id):
        raise cart_not_found()
    if loaded.cart.status == "ordered":
        raise cart_ordered()
    return loaded


async def save_change(
    command: CartCommand,
    uow: UnitOfWork,
    pricer: Pricer,
    opened: OpenCart,
    *,
    cart: StoredCart | None = None,
    lines: list[Line] | None = None,
    known: Mapping[str, Product] | None = None,
    shipping: ShippingOption | None = None,
    voucher_must_apply: bool = False,
) -> Cart:
    """Reprice and store the cart open again, in the caller's language, taken over if a visitor's.

    ``voucher_must_apply``: a code the vouchers service does not apply now is refused, nothing kept.
    ``shipping``: the newly chosen option (else the cart's own, as loaded).
    """
    changed = replace(
        cart or opened.cart,
        customer_id=owner_after_change(opened.cart, command.customer_id),
        language=command.language or opened.cart.language,
        status="open",
        abandoned_at=None,
        last_activity_at=datetime.now(UTC),
    )
    new_lines = opened.lines if lines is None else lines
    if changed.shipping_option == opened.cart.shipping_option:
        shipping = opened.shipping
    answer = await priced_cart(
        pricer,
        command,
        opened.shop,
        changed,
        new_lines,
        {**opened.products, **(known or {})},
        shipping,
    )
    if voucher_must_apply and not (answer.pricing.voucher and answer.pricing.voucher.applied):
        raise voucher_refused(answer.pricing.voucher)
    await update_cart(uow.session, changed, totals(answer))
    await save_lines(uow.session, changed, opened.lines, new_lines)
    return answer
