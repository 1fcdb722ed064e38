"""Refusals every service answers with in the same words, so that the gateway and its
callers see one shape for bad input and for a shop still on its way."""

from __future__ import annotations

from contracts.base import CommandError, FieldError
from service_runtime.handling import CommandRefused


def invalid_input(problems: list[FieldError]) -> CommandRefused:
    """422 naming every bad field with its reason."""
    return CommandRefused(
        CommandError(
            code="validation_failed",
            status=422,
            title="Some fields are not valid",
            detail="; ".join(f"{p.field}: {p.reason}" for p in problems),
            fields=problems,
        )
    )


def shop_not_ready(ready_for: str) -> CommandRefused:
    """503 for a shop the gateway knows but this service has not learnt of yet (ShopOpened is
    on its way): ``ready_for`` says what for, e.g. "billing"."""
    return CommandRefused(
        CommandError(
            code="shop_not_ready",
            status=503,
            title="Shop is being set up",
            detail=f"This shop was opened a moment ago and is not ready for {ready_for} yet.",
            retry_after=1,
        )
    )
