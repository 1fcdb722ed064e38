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
