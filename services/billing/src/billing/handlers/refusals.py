"""The typed refusals the billing service answers with."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.shop_settings import ShopTerms, load_shop
from contracts.base import CommandError, FieldError
from contracts.vouchers import VoucherApplication
from service_runtime.handling import CommandRefused
from service_runtime.refusals import invalid_input as invalid_input  # every handler takes it here
from service_runtime.refusals import shop_not_ready as shop_on_its_way


def shop_not_ready() -> CommandRefused:
    return shop_on_its_way("billing")


def product_not_found() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="product_not_found",
            status=404,
            title="Unknown product",
            detail="This shop's price list has no product with this SKU (SKUs are case-sensitive).",
        )
    )


def cart_not_found() -> CommandRefused:
    """404 for another shop's cart and for a customer's cart asked for by anyone else."""
    return CommandRefused(
        CommandError(
            code="cart_not_found", status=404, title="Unknown cart", detail="There is no such cart."
        )
    )


def cart_line_not_found() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="cart_line_not_found",
            status=404,
            title="Unknown cart line",
            detail="This cart has no line with this id.",
        )
    )


def cart_ordered() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="cart_ordered",
            status=409,
            title="Cart already ordered",
            detail="This cart became an order and can no longer change; start a new cart.",
        )
    )


def cart_full(limit: int, field: str = "item") -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="cart_full",
            status=422,
            title="Cart is full",
            detail=f"A cart holds at most {limit} lines.",
            fields=[FieldError(field=field, reason=f"a cart holds at most {limit} lines")],
        )
    )


def pricing_unavailable() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="pricing_unavailable",
            status=503,
            title="Prices unavailable",
            detail="Prices cannot be computed right now; try again in a moment.",
            retry_after=2,
        )
    )


def voucher_refused(voucher: VoucherApplication | None) -> CommandRefused:
    """The vouchers service's reason, forwarded as ``voucher_<reason>`` on the field ``code``."""
    reason = (voucher.reason if voucher else None) or "unknown"
    detail = (
        voucher.detail if voucher else ""
    ) or f"This voucher code cannot be used ({reason.replace('_', ' ')})."
    return CommandRefused(
        CommandError(
            code=f"voucher_{reason}",
            status=422,
            title="Voucher code refused",
            detail=detail,
            fields=[FieldError(field="code", reason=detail)],
        )
    )


async def known_shop(session: AsyncSession, shop_id: UUID) -> ShopTerms:
    """The shop's terms, or 503 shop_not_ready while its ShopOpened has not arrived here."""
    shop = await load_shop(session, shop_id)
    if shop is None:
        raise shop_not_ready()
    return shop
