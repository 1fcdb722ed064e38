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


def shop_not_found() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="not_found",
            status=404,
            title="Shop not found",
            detail="The notifier knows no shop with this id.",
        )
    )
