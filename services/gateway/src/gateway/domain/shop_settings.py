"""Rules for a shop's settings that no schema type expresses: currencies, zones, slugs."""

from zoneinfo import available_timezones

from babel.numbers import list_currencies
from slugify import slugify


def currency_problem(code: str) -> str | None:
    return None if code in list_currencies() else "is not an ISO 4217 currency code"


def timezone_problem(name: str) -> str | None:
    return None if name in available_timezones() else "is not an IANA time zone"


def slug_candidates(brand_name: str) -> list[str]:
    """The brand's slug, then numbered variants for when another shop has it."""
    base = slugify(brand_name, max_length=120) or "shop"
    return [base] + [f"{base}-{n}" for n in range(2, 100)]
