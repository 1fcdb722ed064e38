"""The typed refusals the customers service answers with."""

from datetime import datetime

from contracts.base import CommandError, FieldError
from customers.domain.profile_input import Checked, check_email
from customers.domain.waits import seconds_until
from service_runtime.handling import CommandRefused
from service_runtime.refusals import invalid_input as invalid_input  # every handler takes it here
from service_runtime.refusals import shop_not_ready as shop_on_its_way


def shop_not_ready() -> CommandRefused:
    return shop_on_its_way("accounts")


def email_taken(
    detail: str = "An account with this email exists; log in with it instead.",
    *,
    field: str = "email",
) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="email_taken",
            status=409,
            title="Email already registered",
            detail=detail,
            fields=[FieldError(field=field, reason="already registered")],
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


def not_in_shop(what: str, missing: list[str] | None = None) -> CommandRefused:
    """404 for an object of another shop or of none: the partner never learns which."""
    detail = f"This shop has no such {what}."
    if missing:
        detail = f"This shop has no {what} with the id(s): {', '.join(missing)}."
    return CommandRefused(
        CommandError(code="not_found", status=404, title=f"Unknown {what}", detail=detail)
    )


def profile_owned_by_customer(fields: list[str]) -> CommandRefused:
    """A7: the profile of a person present in several shops is theirs alone to change."""
    return CommandRefused(
        CommandError(
            code="profile_owned_by_customer",
            status=409,
            title="Profile belongs to the customer",
            detail=(
                "This customer has an account shared with another shop: only they can change"
                " their profile. Shop-level fields (newsletter, tax exemption, group, B2B terms)"
                " stay editable."
            ),
            fields=[
                FieldError(field=name, reason="only the customer can change it (shared account)")
                for name in fields
            ],
        )
    )


def group_name_taken() -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="group_name_taken",
            status=409,
            title="Group name already used",
            detail="This shop has a customer group with this name (names ignore case).",
            fields=[FieldError(field="name", reason="already used by another group")],
        )
    )


# Accounts: login, one-time links, passwords, throttles.


def invalid_credentials(
    detail: str = "The email or the password is wrong.",
    *,
    keep_changes: bool = False,
) -> CommandRefused:
    """401 without naming which of the two was wrong: accounts cannot be probed."""
    return CommandRefused(
        CommandError(code="invalid_credentials", status=401, title="Login failed", detail=detail),
        keep_changes=keep_changes,
    )


def account_locked(until: datetime, now: datetime, *, just_now: bool = False) -> CommandRefused:
    """423 while too many failed logins lock the account (A3); the refusal that locks says so
    (and keeps the counted failure)."""
    when = until.strftime("%Y-%m-%d %H:%M UTC")
    if just_now:
        detail = (
            f"Too many failed logins: this account is now locked until {when}. "
            "Try again then, or reset your password."
        )
    else:
        detail = (
            f"This account is locked until {when} after too many failed logins. "
            "Try again then, or reset your password."
        )
    return CommandRefused(
        CommandError(
            code="account_locked",
            status=423,
            title="Account locked",
            detail=detail,
            retry_after=seconds_until(until, now),
        ),
        keep_changes=just_now,
    )


def login_refused() -> CommandRefused:
    """403 for a customer the shop denied (P3): told plainly, not as wrong credentials (A3)."""
    return CommandRefused(
        CommandError(
            code="login_refused",
            status=403,
            title="Login refused",
            detail="Login refused by the shop: this account may not log in here.",
        )
    )


def email_not_verified(detail: str) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="email_not_verified", status=403, title="Email not verified", detail=detail
        )
    )


def too_many_requests(what: str, retry_after: int) -> CommandRefused:
    return CommandRefused(
        CommandError(
            code="too_many_requests",
            status=429,
            title="Too many requests",
            detail=f"{what} Try again in {retry_after} seconds.",
            retry_after=retry_after,
        )
    )


def token_invalid(reason: str) -> CommandRefused:
    """422 for a reset or invitation link that is unknown, already used or expired."""
    return CommandRefused(
        CommandError(
            code="token_invalid",
            status=422,
            title="Link not valid",
            detail=reason,
            fields=[FieldError(field="token", reason=reason)],
        )
    )


def wrong_password(detail: str) -> CommandRefused:
    """422 when the current password does not match; the failure counts (keep_changes)."""
    return CommandRefused(
        CommandError(
            code="wrong_password",
            status=422,
            title="Current password is wrong",
            detail=detail,
            fields=[FieldError(field="current_password", reason="does not match")],
        ),
        keep_changes=True,
    )


def checked_email(raw: str, field: str = "email") -> str:
    """The normalised email, or a validation_failed refusal naming ``field``."""
    checked = Checked()
    check_email(checked, raw, field)
    if checked.problems:
        raise invalid_input(checked.problems)
    email: str = checked.values[field]
    return email
