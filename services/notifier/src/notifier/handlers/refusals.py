"""The typed refusals the notifier answers commands with."""

from contracts.base import CommandError, FieldError
from service_runtime.handling import CommandRefused


def invalid_input(problems: list[FieldError]) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="validation_failed",
            status=422,
            title="Some fields are not valid",
            detail="; ".join(f"{p.field}: {p.reason}" for p in problems),
            fields=problems,
        )
    )


def shop_not_ready() -> CommandRefused:
    """The gateway vouched for the shop, so an unknown one is still on its way (ShopOpened)."""
    return CommandRefused(
        CommandError(
            code="shop_not_ready",
            status=503,
            title="Shop is being set up",
            detail="This shop was opened a moment ago and is not ready for its settings yet.",
            retry_after=1,
        )
    )


def invoice_not_found() -> CommandRefused:
    """Another customer's (or another shop's) invoice is answered as if it did not exist."""
    return CommandRefused(
        CommandError(
            code="invoice_not_found",
            status=404,
            title="Invoice not found",
            detail="There is no such invoice.",
        )
    )


def invoice_document_pending() -> CommandRefused:
    """The invoice was issued a moment ago and its PDF is still being rendered."""
    return CommandRefused(
        CommandError(
            code="invoice_document_pending",
            status=503,
            title="Invoice document is being prepared",
            detail="The PDF of this invoice is not ready yet; ask again in a moment.",
            retry_after=1,
        )
    )
