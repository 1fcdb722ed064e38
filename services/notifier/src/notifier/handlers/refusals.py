"""The typed refusals the notifier answers commands with."""

from contracts.base import CommandError
from service_runtime.handling import CommandRefused
from service_runtime.refusals import invalid_input as invalid_input  # every handler takes it here
from service_runtime.refusals import shop_not_ready as shop_on_its_way


def shop_not_ready() -> CommandRefused:
    """The gateway vouched for the shop, so an unknown one is still on its way (ShopOpened)."""
    return shop_on_its_way("its settings")


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
