"""Verification-code email in each language (brand, code, escaping, no provider); number filters."""

from datetime import UTC, datetime

import pytest
from jinja2 import DictLoader, StrictUndefined, UndefinedError

from notifier.adapters.rendering import EmailRenderer, format_local_datetime, template_environment
from notifier.domain.branding import Brand

EXPIRES = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
CONTEXT = {"first_name": "Ada", "code": "482913", "expires_at": EXPIRES.isoformat()}
BRAND = Brand("Atelier Lumière", "bonjour@atelier.example", "fr", "Europe/Paris")
EXPECTED_SUBJECT_WORD = {
    "en": "verification code",
    "fr": "code de vérification",
    "de": "Bestätigungscode",
}
EXPECTED_DATE = {"en": "November 27, 2026", "fr": "27 novembre 2026", "de": "27. November 2026"}
# CLDR puts a narrow no-break space before AM/PM in English.
EXPECTED_TIME = {"en": "4:30\u202fPM", "fr": "16:30", "de": "16:30"}


@pytest.fixture(scope="module")
def renderer() -> EmailRenderer:
    return EmailRenderer()


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_brand_code_and_local_date_in_every_part(renderer: EmailRenderer, language: str) -> None:
    email = renderer.render("verification_code", language, BRAND, CONTEXT)

    assert email.language == language
    assert EXPECTED_SUBJECT_WORD[language] in email.subject
    assert "Atelier Lumière" in email.subject
    for body in (email.text, email.html):
        assert "Atelier Lumière" in body
        assert "482913" in body
        assert "Ada" in body
        assert EXPECTED_DATE[language] in body
        assert EXPECTED_TIME[language] in body  # 15:30 UTC is 16:30 in Paris
        assert "bonjour@atelier.example" in body


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_html_escapes_brand_and_name_text_keeps_them(
    renderer: EmailRenderer, language: str
) -> None:
    brand = Brand("<b>& Co", "shop@example.com", "en", "UTC")
    context = CONTEXT | {"first_name": '<script>alert("x")</script>'}

    email = renderer.render("verification_code", language, brand, context)

    assert "&lt;b&gt;&amp; Co" in email.html
    assert "<b>&" not in email.html
    assert "<script>" not in email.html
    assert "&lt;script&gt;" in email.html
    assert "<b>& Co" in email.text
    assert '<script>alert("x")</script>' in email.text
    assert "<b>& Co" in email.subject


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_no_provider_brand_anywhere(renderer: EmailRenderer, language: str) -> None:
    email = renderer.render("verification_code", language, BRAND, CONTEXT)

    for part in (email.subject, email.text, email.html):
        assert "clientele" not in part.lower()


def test_unknown_language_falls_back_to_the_shop_language(renderer: EmailRenderer) -> None:
    email = renderer.render("verification_code", "es", BRAND, CONTEXT)

    assert email.language == "fr"
    assert "Bonjour Ada" in email.text


def test_subject_is_one_line_even_when_the_brand_is_not() -> None:
    brand = Brand("Line\nBreak", "shop@example.com", "en", "UTC")

    email = EmailRenderer().render("verification_code", "en", brand, CONTEXT)

    assert "\n" not in email.subject
    assert "Line Break" in email.subject


def test_unknown_time_zone_shows_utc() -> None:
    shown = format_local_datetime(EXPIRES, "Mars/Olympus", "en")

    assert shown == "November 27, 2026, 3:30\u202fPM (Coordinated Universal Time)"


NUMBERS = "{{ amount|money(currency) }} | {{ rate|percent }} | {{ count|number }}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€1,234.50 | 12.5% | 1,500"),
        ("fr", "1\u202f234,50\xa0€ | 12,5\xa0% | 1\u202f500"),
        ("de", "1.234,50\xa0€ | 12,5\xa0% | 1.500"),
    ],
)
def test_amounts_percentages_and_counts_are_written_per_locale(
    language: str, expected: str
) -> None:
    template = template_environment(DictLoader({"n.txt": NUMBERS})).get_template("n.txt")

    shown = template.render(
        amount="1234.50", currency="EUR", rate="12.50", count=1500, language=language
    )

    assert shown == expected


@pytest.mark.parametrize(
    ("rate", "shown"), [("100.00", "100%"), ("0.50", "0.5%"), ("33.33", "33.33%"), ("7", "7%")]
)
def test_percentages_keep_every_significant_digit_and_add_none(rate: str, shown: str) -> None:
    template = template_environment(DictLoader({"p.txt": "{{ rate|percent }}"})).get_template(
        "p.txt"
    )

    assert template.render(rate=rate, language="en") == shown


def test_amounts_use_the_given_currency_and_round_half_up() -> None:
    template = template_environment(
        DictLoader({"m.txt": "{{ amount|money(currency) }}"})
    ).get_template("m.txt")

    assert template.render(amount="0.10", currency="CHF", language="de") == "0,10\xa0CHF"
    assert template.render(amount="2.665", currency="USD", language="en") == "$2.67"
    assert template.render(amount="1500", currency="JPY", language="en") == "¥1,500"


def test_a_missing_number_fails_like_any_missing_variable() -> None:
    environment = template_environment(DictLoader({"x.txt": "{{ missing|number }}"}))
    assert environment.undefined is StrictUndefined

    with pytest.raises(UndefinedError):
        environment.get_template("x.txt").render(language="en")
