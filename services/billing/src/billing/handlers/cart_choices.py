"""Storefront choices on a cart besides its lines: shipping and a voucher code."""

from __future__ import annotations

from dataclasses import replace

from billing.adapters.price_list import list_shipping_options, load_shipping_option
from billing.adapters.pricing_client import Pricer
from billing.domain.carts import normalised_code
from billing.handlers.cart_changes import open_for_change, save_change
from billing.handlers.refusals import invalid_input
from contracts.base import FieldError
from contracts.billing import ApplyVoucherCode, Cart, ChooseShipping, RemoveVoucherCode
from service_runtime.database import UnitOfWork


async def choose_shipping(command: ChooseShipping, uow: UnitOfWork, *, pricer: Pricer) -> Cart:
    opened = await open_for_change(command, uow)
    code = command.shipping_option
    if code is not None:
        option = await load_shipping_option(uow.session, command.shop_id, code)
        if option is None or not option.active:
            offered = await list_shipping_options(
                uow.session, command.shop_id, include_inactive=False
            )
            choices = ", ".join(o.code for o in offered) or "none"
            raise invalid_input(
                [
                    FieldError(
                        field="shipping_option",
                        reason=f"'{code}' is not offered by this shop; choose one of: {choices}",
                    )
                ]
            )
    cart = replace(opened.cart, shipping_option=code)
    return await save_change(
        command, uow, pricer, opened, cart=cart, shipping=option if code is not None else None
    )


async def apply_voucher_code(command: ApplyVoucherCode, uow: UnitOfWork, *, pricer: Pricer) -> Cart:
    """Kept only when the vouchers service applies it now; else refused with its reason."""
    code = normalised_code(command.code)
    if not code:
        raise invalid_input([FieldError(field="code", reason="must not be blank")])
    opened = await open_for_change(command, uow)
    cart = replace(opened.cart, voucher_code=code)
    return await save_change(command, uow, pricer, opened, cart=cart, voucher_must_apply=True)


async def remove_voucher_code(
    command: RemoveVoucherCode, uow: UnitOfWork, *, pricer: Pricer
) -> Cart:
    opened = await open_for_change(command, uow)
    cart = replace(opened.cart, voucher_code=None)
    return await save_change(command, uow, pricer, opened, cart=cart)
