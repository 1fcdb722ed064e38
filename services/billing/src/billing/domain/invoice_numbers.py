"""Invoice numbers people see: the year, a dash and six digits (``2026-000123``), per shop.

Each year has its own gap-free sequence (``invoice-2026``), shared by invoices and credit
notes, so a correction is numbered in the same series as what it corrects.
"""

from __future__ import annotations

import re

from contracts.billing.invoices import INVOICE_NUMBER_PATTERN

MAX_NUMBER = 999_999
"""Six digits: a shop issuing more in one year needs a wider format (and a contract change)."""

_PATTERN = re.compile(INVOICE_NUMBER_PATTERN)


def sequence_name(year: int) -> str:
    """The number sequence of ``year`` (a name in number_sequences)."""
    return f"invoice-{year}"


def invoice_number(year: int, number: int) -> str:
    """``2026, 123`` -> ``2026-000123``; refuses what the format cannot hold."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"year {year} does not have four digits")
    if not 1 <= number <= MAX_NUMBER:
        raise ValueError(f"invoice number {number} is outside 1..{MAX_NUMBER}")
    return f"{year:04d}-{number:06d}"


def parse_invoice_number(value: str) -> tuple[int, int]:
    """``2026-000123`` -> ``(2026, 123)``; ValueError for anything else."""
    if not _PATTERN.match(value):
        raise ValueError(f"{value!r} is not an invoice number like 2026-000123")
    year, number = value.split("-")
    return int(year), int(number)


def previous_number(value: str) -> str | None:
    """The number issued just before ``value`` in its year's series (None for the first)."""
    year, number = parse_invoice_number(value)
    return invoice_number(year, number - 1) if number > 1 else None
