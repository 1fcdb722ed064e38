"""The typed refusals of orders and payments (the carts' own are in refusals.py)."""

from __future__ import annotations

from contracts.base import CommandError, FieldError
from contracts.billing import OrderStatus
from contracts.vouchers import VoucherApplication
from service_runtime.handling import CommandRefused


def _field(field: str, reason: str) -> list[FieldError]:
    return [FieldError(field=field, reason=reason)]


def order_not_found() -> CommandRefused:
    """404 for another shop's order, and for another customer's when a customer asks."""
    return CommandRefused(
        CommandError(
            code="order_not_found",
            status=404,
            title="Unknown order",
            detail="There is no such order.",
        )
    )


def customer_not_ready() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="customer_not_ready",
            status=503,
            title="Customer is being set up",
            detail="This customer account was created a moment ago and is not ready for "
            "orders yet; try again in a moment.",
            retry_after=1,
        )
    )


def customer_not_found() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="customer_not_found",
            status=404,
            title="Unknown customer",
            detail="This shop has no such customer.",
        )
    )


def key_reused() -> CommandRefused:
    reason = "was used for another cart or buyer; send a new key for a new order"
    return CommandRefused(
        CommandError(
            code="idempotency_key_reused",
            status=422,
            title="Idempotency key used for another order",
            detail=f"idempotency_key: {reason}",
            fields=_field("idempotency_key", reason),
        )
    )


def placement_expired() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="placement_expired",
            status=409,
            title="Placement expired",
            detail="The order placed with this key was not completed and has been given up; "
            "place it again with a new key.",
            fields=_field("idempotency_key", "its placement was given up; use a new key"),
        )
    )


def placement_in_progress() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="placement_in_progress",
            status=409,
            title="Order being placed",
            detail="An order with this key is being placed right now; ask again in a moment.",
            retry_after=1,
        )
    )


def vouchers_unavailable() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="vouchers_unavailable",
            status=503,
            title="Voucher cannot be redeemed now",
            detail="The voucher could not be redeemed right now; try again with the same key "
            "in a moment (it will not be used twice).",
            retry_after=2,
        )
    )


def placement_interrupted() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="placement_interrupted",
            status=503,
            title="Order not completed",
            detail="The order could not be completed; try again with the same key in a "
            "moment (it will be placed once, its voucher used once).",
            retry_after=1,
        )
    )


def voucher_not_applied(voucher: VoucherApplication | None) -> CommandRefused:
    """The cart's code no longer applies (expired, used up ...): ``voucher_<reason>``."""
    reason = (voucher.reason if voucher else None) or "unknown"
    detail = (
        voucher.detail if voucher else ""
    ) or f"This voucher code cannot be used ({reason.replace('_', ' ')})."
    return voucher_refused(f"voucher_{reason}", "Voucher code refused", detail)


def voucher_refused(code: str, title: str, detail: str) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code=code,
            status=422,
            title=title,
            detail=detail,
            fields=_field("voucher_code", detail),
        )
    )


def invoice_refused(code: str, detail: str) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code=code,
            status=422,
            title="Credit limit exceeded"
            if code == "credit_limit_exceeded"
            else "Invoice not available",
            detail=detail,
            fields=_field("payment_method", detail),
        )
    )


def invalid_transition(
    current: OrderStatus, wanted: OrderStatus, allowed: list[OrderStatus], field: str | None
) -> CommandRefused:
    after = ", ".join(allowed) if allowed else "nothing (the order is final)"
    detail = f"The order is '{current}': it cannot become '{wanted}'; next may come: {after}."
    return CommandRefused(
        CommandError(
            code="invalid_transition",
            status=409,
            title=f"Order is {current.replace('_', ' ')}",
            detail=detail,
            fields=_field(field, detail) if field else [],
        )
    )


def awaiting_payment() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="awaiting_payment",
            status=409,
            title="Order not paid yet",
            detail="This order is paid in advance and has not been paid yet: production "
            "may not start.",
        )
    )


def order_cancelled() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="order_cancelled",
            status=409,
            title="Order cancelled",
            detail="This order was cancelled; no payment can be recorded for it.",
        )
    )
