"""Every kind of email in every language: complete, translated, escaped, branded, provider-free.

Kinds are discovered from the templates folder and compared with the kinds the handlers
queue, so a new kind without templates (or templates nobody queues) fails here. Contexts
come from the handlers' own ``context_of`` functions applied to events full of markup, so a
template that needs a variable the handler does not store fails with StrictUndefined.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from jinja2 import UndefinedError
from markupsafe import escape

import notifier.handlers
from contracts.customers import (
    CustomerAccountActivated,
    CustomerDeleted,
    CustomerInvited,
    CustomerRegistered,
    EmailChangeCodeIssued,
    PasswordResetRequested,
    VerificationCodeIssued,
)
from notifier.adapters.message_log import SECRET_CONTEXT_KEYS
from notifier.adapters.rendering import EmailRenderer, RenderedEmail
from notifier.domain.branding import SUPPORTED_LANGUAGES, Brand
from notifier.domain.message_kinds import MESSAGE_KINDS
from notifier.handlers import (
    customer_account_activated,
    customer_deleted,
    customer_invited,
    customer_registered,
    email_change_code_issued,
    password_reset_requested,
    verification_code_issued,
)

TEMPLATES = Path(notifier.handlers.__file__).parents[1] / "templates"
PARTS = ("subject.txt", "txt", "html")

FORBIDDEN_BRANDS = [
    "Clientele",  # the platform
    "United Print Shop Services",  # the print provider behind the partner shops
    "unitedprintshopservices",  # the provider's domain
    "Print Shop Services",
]
"""Names of the platform and the provider: never in anything a customer or partner reads."""

MARKUP = "<script>x</script> \"&'"
"""Customer-supplied strings carry this: raw in text, escaped in HTML."""

HOSTILE = {
    "brand": f"Atelier {MARKUP}",
    "legal": f"Atelier SARL {MARKUP}\n12 rue des Lilas, 75011 Paris",
    "first_name": f"Ada {MARKUP}",
    "last_name": f"Lovelace {MARKUP}",
    "comment": f"Goodbye {MARKUP}\nsecond line",
    "company": f"Engines {MARKUP} Ltd",
}

BRAND = Brand(
    name=HOSTILE["brand"],
    sender_email="bonjour@atelier.example",
    default_language="fr",
    timezone="Europe/Paris",
    sender_name=f"Service {MARKUP}",
    reply_to="aide@atelier.example",
    logo_url="https://cdn.atelier.example/logo.png?v=2&size=m",
    primary_color="#7c2d12",
    accent_color="#0f766e",
    legal_notice=HOSTILE["legal"],
    storefront_url="https://shop.atelier.example",
)

SHOP = uuid4()
WHEN = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
BASE = "https://shop.atelier.example"
ENTITIES = re.compile(r"&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);")


def _customer() -> dict[str, Any]:
    return {
        "shop_id": SHOP,
        "customer_id": uuid4(),
        "email": "ada@example.com",
        "first_name": HOSTILE["first_name"],
        "language": "en",
    }


CONTEXTS: dict[str, Callable[[], dict[str, Any]]] = {
    verification_code_issued.KIND: lambda: verification_code_issued.context_of(
        VerificationCodeIssued(**_customer(), code="482913", expires_at=WHEN)
    ),
    customer_invited.KIND: lambda: customer_invited.context_of(
        CustomerInvited(**_customer(), token="t0k/en+=&x", expires_at=WHEN), BASE
    ),
    password_reset_requested.KIND: lambda: password_reset_requested.context_of(
        PasswordResetRequested(**_customer(), token="r3set/+=&y", expires_at=WHEN), BASE
    ),
    email_change_code_issued.KIND: lambda: email_change_code_issued.context_of(
        EmailChangeCodeIssued(
            shop_id=SHOP,
            customer_id=uuid4(),
            new_email="ada.new@example.com",
            first_name=HOSTILE["first_name"],
            language="en",
            code="553311",
            expires_at=WHEN,
        )
    ),
    customer_account_activated.KIND: lambda: customer_account_activated.context_of(
        CustomerAccountActivated(**_customer(), activated_at=WHEN), BASE
    ),
    customer_deleted.KIND: lambda: customer_deleted.context_of(
        CustomerDeleted(
            shop_id=SHOP,
            customer_id=uuid4(),
            identity_id=uuid4(),
            customer_number=4711,
            pseudonym_id=uuid4(),
            deleted_by="customer",
            comment=HOSTILE["comment"],
            email="leaving@example.com",
            first_name=HOSTILE["first_name"],
            last_name=HOSTILE["last_name"],
            deleted_at=WHEN,
        )
    ),
    customer_registered.KIND: lambda: customer_registered.context_of(
        CustomerRegistered(
            shop_id=SHOP,
            customer_id=uuid4(),
            identity_id=uuid4(),
            customer_number=4712,
            email="new@example.com",
            first_name=HOSTILE["first_name"],
            last_name=HOSTILE["last_name"],
            language="fr",
            registered_at=WHEN,
            email_verified=False,
            company=HOSTILE["company"],
        )
    ),
}
"""A context per kind, made by the handler that queues that kind."""


def template_kinds(language: str) -> set[str]:
    return {
        path.name.removesuffix(".subject.txt")
        for path in (TEMPLATES / language).glob("*.subject.txt")
    }


def all_template_kinds() -> set[str]:
    return set().union(*(template_kinds(language) for language in SUPPORTED_LANGUAGES))


def handler_kinds() -> set[str]:
    """The KIND of every handler module, found by walking the package (new modules included)."""
    kinds = set()
    for module in pkgutil.iter_modules(notifier.handlers.__path__):
        loaded = importlib.import_module(f"notifier.handlers.{module.name}")
        if hasattr(loaded, "KIND"):
            kinds.add(loaded.KIND)
    return kinds


KINDS = sorted(all_template_kinds() | set(MESSAGE_KINDS) | handler_kinds())
DATED_KINDS = [k for k in KINDS if any(key.endswith("_at") for key in CONTEXTS.get(k, dict)())]
RENDERER = EmailRenderer()


def render(kind: str, language: str, brand: Brand = BRAND) -> RenderedEmail:
    return RENDERER.render(kind, language, brand, CONTEXTS[kind]())


def english_phrases(kind: str) -> set[str]:
    """Sentences of three words or more written in the English templates of ``kind``."""
    sources = [(TEMPLATES / "en" / f"{kind}.{part}").read_text() for part in PARTS]
    sources += [(TEMPLATES / "en" / f"layout.{part}").read_text() for part in ("txt", "html")]
    phrases = set()
    for source in sources:
        without_code = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>", "\n", source, flags=re.S)
        plain = html.unescape(without_code)
        for piece in re.split(r"[\n.:;!?()\"]+", plain):
            words = re.findall(r"[A-Za-z']+", piece)
            if len(words) >= 3:
                phrases.add(" ".join(piece.split()))
    return phrases


def visible(email: RenderedEmail) -> str:
    """Everything a reader sees, with HTML entities decoded and whitespace folded."""
    return " ".join(html.unescape(" ".join((email.subject, email.text, email.html))).split())


# -- completeness ------------------------------------------------------------------------


def test_every_kind_the_handlers_queue_has_templates_and_no_template_is_orphaned() -> None:
    assert set(MESSAGE_KINDS) == all_template_kinds()
    assert handler_kinds() <= set(MESSAGE_KINDS), "a handler queues a kind MESSAGE_KINDS lacks"
    assert set(CONTEXTS) == set(MESSAGE_KINDS), "each kind needs a sample context here"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_part_exists(kind: str, language: str) -> None:
    missing = [part for part in PARTS if not (TEMPLATES / language / f"{kind}.{part}").is_file()]
    assert missing == [], f"{language}/{kind}: missing {missing}"


# -- safety and brand --------------------------------------------------------------------


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_customer_strings_are_escaped_in_html_and_plain_in_text(kind: str, language: str) -> None:
    email = render(kind, language)

    assert "<script>" not in email.html
    assert MARKUP not in email.html
    assert escape(BRAND.name) in email.html
    for part in (email.subject, email.text):
        assert ENTITIES.search(part) is None, f"HTML entity in the text of {language}/{kind}"
        assert "&lt;script" not in part
    assert BRAND.name in email.text
    assert BRAND.name in email.subject
    context = CONTEXTS[kind]()
    for key in ("first_name", "last_name", "comment", "company"):
        value = context.get(key)
        if value is None:
            continue
        assert value.replace("\n", " ") not in email.html.replace("\n", " ")
        assert value in email.text, f"{key} missing or altered in the text of {language}/{kind}"
        assert escape(value) in email.html, f"{key} missing in the HTML of {language}/{kind}"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_shop_brand_shows_and_nothing_of_the_provider(kind: str, language: str) -> None:
    email = render(kind, language)

    assert f'alt="{escape(BRAND.name)}"' in email.html
    assert 'src="https://cdn.atelier.example/logo.png?v=2&amp;size=m"' in email.html
    assert BRAND.primary_color in email.html
    assert BRAND.accent_color in email.html
    assert escape(BRAND.legal_notice) in email.html
    assert BRAND.legal_notice in email.text
    footer = email.text.split("\n--\n", 1)[1]
    assert BRAND.name in footer
    assert BRAND.legal_notice in footer
    for part in (email.subject, email.text, email.html):
        for forbidden in FORBIDDEN_BRANDS:
            assert forbidden.lower() not in part.lower(), f"{forbidden!r} in {language}/{kind}"


@pytest.mark.parametrize("kind", KINDS)
def test_without_logo_the_brand_name_heads_the_email(kind: str) -> None:
    plain = Brand("Papeterie Nord", "hello@nord.example", "en", "UTC")

    email = render(kind, "en", plain)

    assert "<img" not in email.html
    assert "Papeterie Nord</span>" in email.html
    assert "#1f2937" in email.html, "default colours when the partner set none"


# -- translations ------------------------------------------------------------------------


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_translations_are_real_translations(kind: str, language: str) -> None:
    english = render(kind, "en")
    translated = render(kind, language)

    assert translated.language == language
    assert translated.subject != english.subject
    assert translated.text != english.text
    assert translated.html != english.html
    assert f'lang="{language}"' in translated.html
    seen = visible(translated)
    leftovers = [phrase for phrase in english_phrases(kind) if phrase in seen]
    assert leftovers == [], f"English left in {language}/{kind}: {leftovers}"


def test_english_phrases_are_found_so_the_translation_check_has_teeth() -> None:
    phrases = english_phrases("password_reset")

    assert "If you did not ask for this, ignore this email" in phrases
    assert any(phrase.startswith("You are receiving this email") for phrase in phrases)


# -- links, dates, strictness ------------------------------------------------------------


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    ("kind", "path"), [("invitation", "invitation"), ("password_reset", "password-reset")]
)
def test_token_links_lead_to_the_storefront_with_the_token_url_encoded(
    kind: str, path: str, language: str
) -> None:
    context = CONTEXTS[kind]()
    email = render(kind, language)

    assert context["link"].startswith(f"{BASE}/{path}?token=")
    for encoded in ("%2F", "%2B", "%26"):  # '/', '+' and '&' of the token
        assert encoded in context["link"]
    assert context["link"] in email.text
    assert f'href="{context["link"]}"' in email.html


@pytest.mark.parametrize(
    ("language", "day", "time"),
    [
        ("en", "November 27, 2026", "4:30\u202fPM"),  # CLDR: narrow no-break space before PM
        ("fr", "27 novembre 2026", "16:30"),
        ("de", "27. November 2026", "16:30"),
    ],
)
@pytest.mark.parametrize("kind", DATED_KINDS)
def test_dates_are_shown_in_the_shop_zone_and_the_reader_language(
    kind: str, language: str, day: str, time: str
) -> None:
    email = render(kind, language)

    for part in (email.text, email.html):
        assert day in part
        assert time in part, "15:30 UTC is shown as 16:30 in the shop's zone (Europe/Paris)"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_variable_is_used_and_a_missing_one_fails(kind: str, language: str) -> None:
    """StrictUndefined: no blank where a value belongs; and no translation drops a value."""
    for key in CONTEXTS[kind]():
        context = CONTEXTS[kind]()
        del context[key]
        with pytest.raises(UndefinedError):
            RENDERER.render(kind, language, BRAND, context)


def test_partner_emails_name_the_partner_not_the_customer_account() -> None:
    for kind in ("account_deleted", "registration_copy"):
        email = render(kind, "en")
        assert "operator of" in email.text
        assert "because of your customer account" not in email.text


def test_no_comment_is_said_in_each_language() -> None:
    context = CONTEXTS["account_deleted"]() | {"comment": None}
    expected = {"en": "(no comment)", "fr": "(aucun commentaire)", "de": "(kein Kommentar)"}

    for language, words in expected.items():
        email = RENDERER.render("account_deleted", language, BRAND, context)
        assert words in email.text
        assert words in email.html


def test_registration_copy_names_the_customer_language_in_the_shop_language() -> None:
    email = render("registration_copy", "de")

    assert "Sprache: Französisch" in email.text


def test_password_reset_link_is_valid_one_hour_in_every_language() -> None:
    expected = {"en": "one hour", "fr": "une heure", "de": "eine Stunde"}
    for language, words in expected.items():
        email = render("password_reset", language)
        assert words in email.text
        assert words in email.html


def test_secrets_in_contexts_are_dropped_from_the_log_after_sending() -> None:
    for kind, build in CONTEXTS.items():
        secrets = {key for key in build() if key in ("code", "token", "link")}
        assert secrets <= set(SECRET_CONTEXT_KEYS), kind
