"""Email addresses the gateway takes from partners, operators and guests, checked one way."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def email_address(value: str) -> str:
    """Checked and normalised without a network look-up; ValueError names what is wrong."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
