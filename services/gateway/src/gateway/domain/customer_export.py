"""What the partner's customer export (P10) holds, cell by cell, as a spreadsheet should read it."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from gateway.domain.csv_cells import neutralise

EXPORT_COLUMNS = (
    "customer_number",
    "first_name",
    "last_name",
    "email",
    "email_verified",
    "company",
    "vat_number",
    "registration_number",
    "phone",
    "language",
    "newsletter",
    "tax_exempt",
    "group",
    "denied",
    "registered_at",
    "profile_changed_at",
    "orders",
    "order_revenue_net",
)
"""Header of the file; booleans are written true/false, as the import reads them back."""


def export_filename(shop_slug: str, day: str) -> str:
    return f"customers-{shop_slug}-{day}.csv"


def _text(value: Any, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def export_cells(row: Mapping[str, Any], zone: ZoneInfo) -> list[str]:
    """One customer's cells in EXPORT_COLUMNS order; times in the shop's zone with their offset."""
    return [neutralise(_text(row[column], zone)) for column in EXPORT_COLUMNS]
