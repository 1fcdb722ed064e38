"""The typed refusals the customers service answers with."""

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
    return CommandRefused(
        CommandError(
            code="shop_not_ready",
            status=503,
            title="Shop is being set up",
            detail="This shop was opened a moment ago and is not ready for accounts yet.",
            retry_after=1,
        )
    )


def email_taken() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="email_taken",
            status=409,
            title="Email already registered",
            detail="An account with this email exists; log in with it instead.",
            fields=[FieldError(field="email", reason="already registered")],
        )
    )


def code_refused(reason: str, *, keep_changes: bool = False) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="verification_failed",
            status=422,
            title="Verification code refused",
            detail=reason,
            fields=[FieldError(field="code", reason=reason)],
        ),
        keep_changes=keep_changes,
    )
