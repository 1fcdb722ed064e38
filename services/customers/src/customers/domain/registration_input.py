"""Checks a registration before anything is stored; every bad field is named with its reason."""

from email_validator import EmailNotValidError, validate_email

from contracts.base import FieldError
from contracts.customers import RegisterCustomer
from customers.domain.passwords import password_problem

NAME_MAX = 100


def normalise_email(raw: str) -> str:
    """Lower-cased normalised address; raises EmailNotValidError (no network look-up)."""
    return validate_email(raw.strip(), check_deliverability=False).normalized.lower()


def registration_problems(command: RegisterCustomer) -> list[FieldError]:
    problems: list[FieldError] = []
    try:
        normalise_email(command.email)
    except EmailNotValidError as exc:
        problems.append(FieldError(field="email", reason=str(exc)))
    if reason := password_problem(command.password):
        problems.append(FieldError(field="password", reason=reason))
    for field, value in (("first_name", command.first_name), ("last_name", command.last_name)):
        if not value.strip():
            problems.append(FieldError(field=field, reason="must not be empty"))
        elif len(value) > NAME_MAX:
            problems.append(
                FieldError(field=field, reason=f"must have at most {NAME_MAX} characters")
            )
    return problems
