"""Turns a queued message into subject, plain text and HTML in the shop's brand and language.

Pure: no database, no network. HTML templates autoescape (a brand or a name is never
markup); ``.txt`` templates do not escape. Dates, amounts, percentages and counts are
written the reader's way (Babel); dates in the shop's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    get_date_format,
    get_datetime_format,
    get_time_format,
    get_timezone_name,
)
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
)
from jinja2 import (
    BaseLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context

from notifier.domain.branding import Brand, choose_language


@dataclass(frozen=True)
class RenderedEmail:
    """The three parts of an email a customer reads."""

    language: str
    subject: str
    text: str
    html: str


def shop_zone(name: str) -> ZoneInfo:
    """The shop's IANA zone; UTC when the name is unknown, so a typo never blocks an email."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_local_datetime(moment: datetime, timezone: str, language: str) -> str:
    """E.g. 'November 27, 2026, 4:30 PM (Central European Standard Time)', written per locale."""
    locale = Locale.parse(language)
    zone = shop_zone(timezone)
    pattern = (
        str(get_datetime_format("long", locale))
        .replace("{1}", get_date_format("long", locale).pattern)
        .replace("{0}", get_time_format("short", locale).pattern)
    )
    when = format_datetime(moment, pattern, tzinfo=zone, locale=locale)
    zone_name = get_timezone_name(moment.astimezone(zone), "long", locale=locale)
    return f"{when} ({zone_name})"


@pass_context
def local_datetime(context: Context, value: datetime | str) -> str:
    """Template filter: a UTC moment (or its ISO text) in the shop's zone and the email's language."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    brand: Brand = context["brand"]
    return format_local_datetime(moment, brand.timezone, context["language"])


@pass_context
def long_date(context: Context, value: object) -> str:
    """Template filter: a calendar day (or its ISO text) the reader's way, e.g. '27. November 2026'.

    ``str()`` first: a missing variable (StrictUndefined) fails here as it does elsewhere.
    """
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return format_date(day, "long", locale=context["language"])


@pass_context
def country_name(context: Context, code: str) -> str:
    """Template filter: an ISO 3166 country code named in the reader's language ('DE' -> 'Allemagne')."""
    return str(Locale.parse(context["language"]).territories.get(code.upper(), code))


def exact(value: object) -> Decimal:
    """A number as the context stores it (text such as "12.50", or an int) without a float.

    ``str()`` first: a missing variable (StrictUndefined) fails here as it does elsewhere.
    """
    return Decimal(str(value))


@pass_context
def money(context: Context, value: object, currency: object) -> str:
    """Template filter: an amount in ``currency`` written the reader's way, e.g. '1.234,50 €'.

    Rounded half-up to the currency's minor unit first (Babel alone would round half-even).
    """
    code = str(currency)
    cent = Decimal(1).scaleb(-get_currency_precision(code))
    amount = exact(value).quantize(cent, rounding=ROUND_HALF_UP)
    return format_currency(amount, code, locale=context["language"])


@pass_context
def unit_money(context: Context, value: object, currency: object) -> str:
    """Template filter: a unit price with every digit it has ('0,045 €'), at least to the cent.

    Print is priced in fractions of a cent a piece: rounding 0.0450 to 0.05 would misstate it.
    """
    code = str(currency)
    precision = get_currency_precision(code)
    amount = exact(value).normalize()
    if -amount.as_tuple().exponent <= precision:  # type: ignore[operator]
        amount = amount.quantize(Decimal(1).scaleb(-precision))
    return format_currency(
        amount, code, locale=context["language"], currency_digits=False, decimal_quantization=False
    )


@pass_context
def percent(context: Context, value: object) -> str:
    """Template filter: '12.50' (percent) as '12.5%', '12,5 %' ... with no digit lost or added."""
    return format_percent(
        exact(value).normalize() / 100, locale=context["language"], decimal_quantization=False
    )


@pass_context
def number(context: Context, value: object) -> str:
    """Template filter: a count with the reader's grouping, e.g. '1,500', '1 500', '1.500'."""
    return format_decimal(exact(value), locale=context["language"])


@pass_context
def language_name(context: Context, code: str) -> str:
    """Template filter: a language code named in the email's language, e.g. 'fr' -> 'Französisch'."""
    return str(Locale.parse(code).get_display_name(context["language"]) or code)


def template_environment(loader: BaseLoader | None = None) -> Environment:
    """Jinja2 set up for email: escape HTML only, fail on a missing variable."""
    environment = Environment(
        loader=loader or PackageLoader("notifier", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    environment.filters["local_datetime"] = local_datetime
    environment.filters["long_date"] = long_date
    environment.filters["country_name"] = country_name
    environment.filters["language_name"] = language_name
    environment.filters["money"] = money
    environment.filters["unit_money"] = unit_money
    environment.filters["percent"] = percent
    environment.filters["number"] = number
    return environment


class EmailRenderer:
    """Renders ``<language>/<kind>.{subject.txt,txt,html}``; each kind's variables come from its event."""

    def __init__(self, environment: Environment | None = None) -> None:
        self._environment = environment or template_environment()

    def render(
        self, kind: str, language: str | None, brand: Brand, context: Mapping[str, Any]
    ) -> RenderedEmail:
        chosen = choose_language(language, brand)
        variables = {**context, "brand": brand, "language": chosen}
        subject = " ".join(self._render(f"{chosen}/{kind}.subject.txt", variables).split())
        return RenderedEmail(
            language=chosen,
            subject=subject,
            text=self._render(f"{chosen}/{kind}.txt", variables),
            html=self._render(f"{chosen}/{kind}.html", {**variables, "subject": subject}),
        )

    def _render(self, name: str, variables: Mapping[str, Any]) -> str:
        return self._environment.get_template(name).render(variables)
