"""The typed refusals the vouchers service answers with; billing and the gateway forward them."""

from contracts.base import CommandError, FieldError
from contracts.vouchers import VoucherRefusalReason
from service_runtime.handling import CommandRefused


def not_in_shop(what: str, code: str) -> CommandRefused:
    """404 for an object of another shop or of none: the caller never learns which."""
    return CommandRefused(
        CommandError(
            code=code, status=404, title=f"Unknown {what}", detail=f"This shop has no such {what}."
        )
    )


def customer_not_found() -> CommandRefused:
    return not_in_shop("customer", "customer_not_found")


def group_not_found() -> CommandRefused:
    return not_in_shop("customer group", "group_not_found")


def voucher_not_found() -> CommandRefused:
    return not_in_shop("voucher", "voucher_not_found")


def unknown_customer_field() -> CommandRefused:
    """422: a voucher for one customer names a customer this shop does not have (yet)."""
    reason = "this shop has no such customer"
    return CommandRefused(
        CommandError(
            code="validation_failed",
            status=422,
            title="Some fields are not valid",
            detail=f"customer_id: {reason}",
            fields=[FieldError(field="customer_id", reason=reason)],
        )
    )


def voucher_code_taken(code: str) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="voucher_code_taken",
            status=409,
            title="Voucher code already used",
            detail=f"This shop has a voucher with the code {code} (codes ignore case).",
            fields=[FieldError(field="code", reason="already used by another voucher")],
        )
    )


VOUCHER_TITLES: dict[VoucherRefusalReason, str] = {
    "unknown": "Unknown voucher code",
    "not_yet_valid": "Voucher code not valid yet",
    "expired": "Voucher code expired",
    "used_up": "Voucher code used up",
    "minimum_not_reached": "Order minimum not reached",
    "not_for_this_customer": "Voucher code not for this customer",
    "inactive": "Voucher code not active",
}


def voucher_refused(reason: VoucherRefusalReason, detail: str) -> CommandRefused:
    """422 ``voucher_<reason>`` with the plain-English detail on the field ``code``."""
    return CommandRefused(
        CommandError(
            code=f"voucher_{reason}",
            status=422,
            title=VOUCHER_TITLES[reason],
            detail=detail,
            fields=[FieldError(field="code", reason=detail)],
        )
    )
