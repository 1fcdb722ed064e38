"""Turns a queued message into subject, plain text and HTML in the shop's brand and language.

Pure: no database, no network. HTML templates autoescape (a brand or a name is never
markup); ``.txt`` templates do not escape. Dates are written the reader's way (Babel) in
the shop's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import (
    format_datetime,
    get_date_format,
    get_datetime_format,
    get_time_format,
    get_timezone_name,
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
    )
    environment.filters["local_datetime"] = local_datetime
    environment.filters["language_name"] = language_name
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
