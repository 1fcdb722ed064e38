"""The typed refusals of invoice commands (B4)."""

from contracts.base import CommandError, FieldError
from service_runtime.handling import CommandRefused


def invoice_not_found() -> CommandRefused:
    """404 for another shop's invoice and for another customer's, alike."""
    return CommandRefused(
        CommandError(
            code="invoice_not_found",
            status=404,
            title="Unknown invoice",
            detail="There is no such invoice.",
        )
    )


def already_credited(number: str) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="already_credited",
            status=409,
            title="Invoice already credited",
            detail=f"Invoice {number} was corrected by a credit note already.",
        )
    )


def invoice_credited(number: str) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="invoice_credited",
            status=409,
            title="Invoice credited",
            detail=f"Invoice {number} was corrected by a credit note: nothing is owed on it.",
        )
    )


def is_credit_note(number: str) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="invoice_is_credit_note",
            status=409,
            title="This is a credit note",
            detail=f"{number} is a credit note: it is neither paid nor credited.",
        )
    )


def paid_on_in_future(today_there: str) -> CommandRefused:
    reason = f"must not be after today ({today_there} in the shop's time zone)"
    return CommandRefused(
        CommandError(
            code="validation_failed",
            status=422,
            title="Some fields are not valid",
            detail=f"paid_on: {reason}",
            fields=[FieldError(field="paid_on", reason=reason)],
        )
    )
