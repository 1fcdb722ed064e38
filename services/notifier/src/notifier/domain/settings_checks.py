"""Checks and normalises a partner's brand, partner-copy and report settings; every bad field is named.

Pure (email-validator without DNS look-ups), so the rules are tested without a database.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from contracts.base import FieldError
from contracts.notifier import PartnerCopySettings, ReportAddresses, ShopBrandSettings

NAME_MAX = 200
LEGAL_NOTICE_MAX = 2000
URL_MAX = 2000
ADDRESSES_MIN = 1
ADDRESSES_MAX = 10
REPORT_ADDRESSES_MAX = 20


def normalise_email(raw: str) -> str:
    """The normalised address (domain lower-cased); raises EmailNotValidError, no network."""
    return validate_email(raw.strip(), check_deliverability=False).normalized


def has_control_characters(value: str, *, allow_line_breaks: bool = False) -> bool:
    """Line breaks and other control characters have no place in a header or a one-line name."""
    allowed = {"\n", "\r"} if allow_line_breaks else set()
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) URL, or None when it is one."""
    if len(value) > URL_MAX:
        return f"must have at most {URL_MAX} characters"
    if any(c.isspace() for c in value) or has_control_characters(value):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(value)
    except ValueError as error:
        return f"is not a valid URL: {error}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an absolute http or https URL"
    return None


def _name(field: str, raw: str, problems: list[FieldError]) -> str:
    value = raw.strip()
    if not value:
        problems.append(FieldError(field=field, reason="must not be empty"))
    elif len(value) > NAME_MAX:
        problems.append(FieldError(field=field, reason=f"must have at most {NAME_MAX} characters"))
    elif has_control_characters(value):
        problems.append(
            FieldError(field=field, reason="must not contain line breaks or control characters")
        )
    return value


def _email(field: str, raw: str, problems: list[FieldError]) -> str:
    try:
        return normalise_email(raw)
    except EmailNotValidError as error:
        problems.append(FieldError(field=field, reason=str(error)))
        return raw


def _optional_url(field: str, raw: str | None, problems: list[FieldError]) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if reason := url_problem(value):
        problems.append(FieldError(field=field, reason=reason))
    return value


def checked_brand(settings: ShopBrandSettings) -> tuple[ShopBrandSettings, list[FieldError]]:
    """The settings as they will be stored (trimmed, normalised) and every problem found."""
    problems: list[FieldError] = []
    brand_name = _name("brand_name", settings.brand_name, problems)
    sender_name = _name("sender_name", settings.sender_name, problems)
    sender_email = _email("sender_email", settings.sender_email, problems)
    reply_to = (settings.reply_to or "").strip()
    legal_notice = settings.legal_notice.strip()
    if len(legal_notice) > LEGAL_NOTICE_MAX:
        problems.append(
            FieldError(
                field="legal_notice", reason=f"must have at most {LEGAL_NOTICE_MAX} characters"
            )
        )
    elif has_control_characters(legal_notice, allow_line_breaks=True):
        problems.append(
            FieldError(field="legal_notice", reason="must not contain control characters")
        )
    storefront_url = _optional_url("storefront_url", settings.storefront_url, problems)
    cleaned = ShopBrandSettings(
        brand_name=brand_name,
        sender_name=sender_name,
        sender_email=sender_email,
        reply_to=_email("reply_to", reply_to, problems) if reply_to else None,
        logo_url=_optional_url("logo_url", settings.logo_url, problems),
        primary_color=settings.primary_color.lower(),
        accent_color=settings.accent_color.lower(),
        legal_notice=legal_notice,
        storefront_url=storefront_url.rstrip("/") if storefront_url else None,
    )
    return cleaned, problems


def _addresses(field: str, raws: list[str], problems: list[FieldError]) -> list[str]:
    """Each address validated (``<field>.<i>`` names a bad one), lower-cased, first copy kept."""
    addresses: list[str] = []
    for index, raw in enumerate(raws):
        address = _email(f"{field}.{index}", raw, problems).lower()
        if address not in addresses:
            addresses.append(address)
    return addresses


def checked_partner_copies(
    settings: PartnerCopySettings,
) -> tuple[PartnerCopySettings, list[FieldError]]:
    """Addresses validated, lower-cased and without duplicates (1 to 10); kinds without repeats."""
    problems: list[FieldError] = []
    if not ADDRESSES_MIN <= len(settings.addresses) <= ADDRESSES_MAX:
        problems.append(
            FieldError(
                field="addresses",
                reason=f"must list between {ADDRESSES_MIN} and {ADDRESSES_MAX} addresses",
            )
        )
    addresses = _addresses("addresses", settings.addresses, problems)
    cleaned = PartnerCopySettings(addresses=addresses, kinds=list(dict.fromkeys(settings.kinds)))
    return cleaned, problems


def checked_report_addresses(settings: ReportAddresses) -> tuple[list[str], list[FieldError]]:
    """Addresses checked like the partner's (none at all: no reports), at most 20 after dedup."""
    problems: list[FieldError] = []
    addresses = _addresses("settings.addresses", settings.addresses, problems)
    if len(addresses) > REPORT_ADDRESSES_MAX:
        problems.append(
            FieldError(
                field="settings.addresses",
                reason=f"must list at most {REPORT_ADDRESSES_MAX} addresses",
            )
        )
    return addresses, problems
