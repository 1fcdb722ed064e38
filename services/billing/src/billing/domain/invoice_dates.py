"""The dates an invoice carries, in the shop's time zone: issue date and due date.

Numbers must follow the calendar (a chronological, continuous series, as French and German
rules ask): an invoice never carries an earlier date than the one numbered before it, even
when two shipments race past midnight. Because of this, the month's invoices sorted by date
are also sorted by number, which lets the revenue export read one index range in order.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def shop_zone(name: str) -> ZoneInfo:
    """The shop's zone; an unknown name (never expected: the gateway checks it) reads as UTC."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar day ``moment`` falls on in the shop's time zone."""
    return moment.astimezone(shop_zone(timezone)).date()


def issue_date(today: date, previous_issue_date: date | None) -> date:
    """Today in the shop's zone, but never before the invoice numbered just before."""
    if previous_issue_date is not None and previous_issue_date > today:
        return previous_issue_date
    return today


def due_date(issued: date, payment_terms_days: int) -> date:
    """Issue date plus the payment terms; 0 days (prepayment) is due at once."""
    return issued + timedelta(days=max(payment_terms_days, 0))
