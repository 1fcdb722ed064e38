"""Every kind of email in every language: complete, translated, escaped, branded, provider-free.

Kinds are discovered from the templates folder and compared with the kinds the handlers
queue, so a new kind without templates (or templates nobody queues) fails here. Contexts
come from the handlers' own ``context_of`` functions applied to events full of markup, so a
template that needs a variable the handler does not store fails with StrictUndefined. A kind
written from several events (``system_change_report``) has one sample per event, named
``<kind>:<variant>``, and every check runs on each sample.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
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
from contracts.vouchers import CustomerDiscountChanged, VouchersActivated
from contracts.vouchers.shapes import VoucherTerms
from notifier.adapters.message_log import SECRET_CONTEXT_KEYS
from notifier.adapters.rendering import EmailRenderer, RenderedEmail
from notifier.domain.branding import SUPPORTED_LANGUAGES, Brand
from notifier.domain.message_kinds import MESSAGE_KINDS
from notifier.handlers import (
    customer_account_activated,
    customer_deleted,
    customer_discount_changed,
    customer_invited,
    customer_registered,
    email_change_code_issued,
    invoice_issued,
    order_placed,
    order_status_changed,
    password_reset_requested,
    verification_code_issued,
    vouchers_activated,
)

sys.path.insert(0, str(Path(__file__).parents[1]))
import billing_event_samples as billing

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
    "customer_name": f"Grace {MARKUP} Hopper",
    "changed_by": f"jane {MARKUP}",
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


CODES = [f"SPRING-{n:03d}" for n in range(25)]
"""A generated batch as its event carries it: more codes than a report lists."""


def discount_changed(**fields: Any) -> CustomerDiscountChanged:
    values: dict[str, Any] = {
        "shop_id": SHOP,
        "customer_id": uuid4(),
        "customer_number": 4713,
        "customer_name": HOSTILE["customer_name"],
        "customer_email": "grace@example.com",
        "discount_percent": Decimal("12.50"),
        "previous_percent": Decimal("5.00"),
        "special_condition": True,
        "revision": 3,
        "changed_by": HOSTILE["changed_by"],
        "changed_at": WHEN,
    }
    return CustomerDiscountChanged(**(values | fields))


def vouchers(terms: VoucherTerms, **fields: Any) -> VouchersActivated:
    values: dict[str, Any] = {
        "shop_id": SHOP,
        "how": "generated",
        "count": 500,
        "codes": CODES,
        "terms": terms,
        "activated_at": WHEN,
    }
    return VouchersActivated(**(values | fields))


FIXED_TERMS = VoucherTerms(
    kind="fixed",
    value=Decimal("1234.50"),
    min_order_value=Decimal("2500.00"),
    valid_from=WHEN,
    valid_until=WHEN + timedelta(days=33),
    redemption_limit=1500,
)
PERCENT_TERMS = VoucherTerms(kind="percent", value=Decimal("12.50"), customer_id=uuid4())


def _customer() -> dict[str, Any]:
    return {
        "shop_id": SHOP,
        "customer_id": uuid4(),
        "email": "ada@example.com",
        "first_name": HOSTILE["first_name"],
        "language": "en",
    }


def hostile_order() -> Any:
    return billing.order(
        first_name=HOSTILE["first_name"],
        last_name=HOSTILE["last_name"],
        billing_address=billing.address(company=HOSTILE["company"]),
        pricing=billing.priced_cart(product_name=f"Flyers {MARKUP}"),
    )


def hostile_status(status: Any, **fields: Any) -> Any:
    return billing.status_changed(
        SHOP, status, first_name=HOSTILE["first_name"], last_name=HOSTILE["last_name"], **fields
    )


def hostile_invoice(invoice: Any = None) -> Any:
    issued = invoice or billing.invoice()
    buyer = issued.buyer.model_copy(update={"name": HOSTILE["customer_name"]})
    return invoice_issued.InvoiceIssued(
        shop_id=SHOP,
        invoice=issued.model_copy(update={"buyer": buyer}),
        first_name=HOSTILE["first_name"],
    )


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
    f"{customer_discount_changed.KIND}:customer_discount": lambda: (
        customer_discount_changed.context_of(discount_changed())
    ),
    f"{vouchers_activated.KIND}:vouchers_generated": lambda: vouchers_activated.context_of(
        vouchers(FIXED_TERMS), "EUR"
    ),
    f"{vouchers_activated.KIND}:voucher_created": lambda: vouchers_activated.context_of(
        vouchers(PERCENT_TERMS, how="created", count=1, codes=["WELCOME-ADA"]), "EUR"
    ),
    order_placed.KIND: lambda: order_placed.context_of(hostile_order()),
    order_placed.COPY_KIND: lambda: order_placed.context_of(hostile_order()),
    order_placed.NOTICE_KIND: lambda: order_placed.notice_context_of(hostile_order()),
    f"{order_status_changed.KIND}:shipped": lambda: order_status_changed.context_of(
        hostile_status("shipped", tracking_number="1Z 999 AA1 <01>")
    ),
    f"{order_status_changed.KIND}:cancelled": lambda: order_status_changed.context_of(
        hostile_status("cancelled", voucher_code="SPRING-10")
    ),
    f"{order_status_changed.COPY_KIND}:cancelled": lambda: order_status_changed.copy_context_of(
        hostile_status("cancelled", voucher_code="SPRING-10")
    ),
    order_status_changed.REJECTION_KIND: lambda: order_status_changed.rejection_context_of(
        hostile_status("data_rejected", note=HOSTILE["comment"])
    ),
    f"{invoice_issued.KIND}:invoice": lambda: invoice_issued.context_of(hostile_invoice()),
    f"{invoice_issued.KIND}:credit_note": lambda: invoice_issued.context_of(
        hostile_invoice(billing.credit_note())
    ),
    f"{invoice_issued.COPY_KIND}:invoice": lambda: invoice_issued.copy_context_of(
        hostile_invoice()
    ),
}
"""A context per sample (a kind, or ``<kind>:<variant>``), made by the handler that queues it."""


def kind_of(sample: str) -> str:
    return sample.partition(":")[0]


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
SAMPLES = sorted(CONTEXTS)
DATED_SAMPLES = [s for s in SAMPLES if any(key.endswith("_at") for key in CONTEXTS[s]())]
RENDERER = EmailRenderer()


def render(sample: str, language: str, brand: Brand = BRAND) -> RenderedEmail:
    return RENDERER.render(kind_of(sample), language, brand, CONTEXTS[sample]())


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
    assert {kind_of(s) for s in SAMPLES} == set(MESSAGE_KINDS), "each kind needs a sample here"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_part_exists(kind: str, language: str) -> None:
    missing = [part for part in PARTS if not (TEMPLATES / language / f"{kind}.{part}").is_file()]
    assert missing == [], f"{language}/{kind}: missing {missing}"


# -- safety and brand --------------------------------------------------------------------


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("sample", SAMPLES)
def test_customer_strings_are_escaped_in_html_and_plain_in_text(sample: str, language: str) -> None:
    email = render(sample, language)

    assert "<script>" not in email.html
    assert MARKUP not in email.html
    assert escape(BRAND.name) in email.html
    for part in (email.subject, email.text):
        assert ENTITIES.search(part) is None, f"HTML entity in the text of {language}/{sample}"
        assert "&lt;script" not in part
    assert BRAND.name in email.text
    assert BRAND.name in email.subject
    context = CONTEXTS[sample]()
    for key in ("first_name", "last_name", "comment", "company", "customer_name", "changed_by"):
        value = context.get(key)
        if value is None:
            continue
        assert value.replace("\n", " ") not in email.html.replace("\n", " ")
        assert value in email.text, f"{key} missing or altered in the text of {language}/{sample}"
        assert escape(value) in email.html, f"{key} missing in the HTML of {language}/{sample}"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("sample", SAMPLES)
def test_the_shop_brand_shows_and_nothing_of_the_provider(sample: str, language: str) -> None:
    email = render(sample, language)

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
            assert forbidden.lower() not in part.lower(), f"{forbidden!r} in {language}/{sample}"


@pytest.mark.parametrize("sample", SAMPLES)
def test_without_logo_the_brand_name_heads_the_email(sample: str) -> None:
    plain = Brand("Papeterie Nord", "hello@nord.example", "en", "UTC")

    email = render(sample, "en", plain)

    assert "<img" not in email.html
    assert "Papeterie Nord</span>" in email.html
    assert "#1f2937" in email.html, "default colours when the partner set none"


# -- translations ------------------------------------------------------------------------


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
@pytest.mark.parametrize("sample", SAMPLES)
def test_translations_are_real_translations(sample: str, language: str) -> None:
    english = render(sample, "en")
    translated = render(sample, language)

    assert translated.language == language
    assert translated.subject != english.subject
    assert translated.text != english.text
    assert translated.html != english.html
    assert f'lang="{language}"' in translated.html
    seen = visible(translated)
    leftovers = [phrase for phrase in english_phrases(kind_of(sample)) if phrase in seen]
    assert leftovers == [], f"English left in {language}/{sample}: {leftovers}"


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
@pytest.mark.parametrize("sample", DATED_SAMPLES)
def test_dates_are_shown_in_the_shop_zone_and_the_reader_language(
    sample: str, language: str, day: str, time: str
) -> None:
    email = render(sample, language)

    for part in (email.text, email.html):
        assert day in part
        assert time in part, "15:30 UTC is shown as 16:30 in the shop's zone (Europe/Paris)"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("sample", SAMPLES)
def test_every_variable_is_used_and_a_missing_one_fails(sample: str, language: str) -> None:
    """StrictUndefined: no blank where a value belongs; and no translation drops a value."""
    for key in CONTEXTS[sample]():
        context = CONTEXTS[sample]()
        del context[key]
        with pytest.raises(UndefinedError):
            RENDERER.render(kind_of(sample), language, BRAND, context)


def test_partner_emails_name_the_partner_not_the_customer_account() -> None:
    partner_samples = [s for s in SAMPLES if kind_of(s) == "system_change_report"]
    for sample in ["account_deleted", "registration_copy", *partner_samples]:
        email = render(sample, "en")
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


# -- system change reports (V6) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "discount", "generated", "created"),
    [
        (
            "en",
            "System change report: customer discount changed at",
            "System change report: 500 voucher codes activated at",
            "System change report: 1 voucher code activated at",
        ),
        (
            "fr",
            "Rapport de modification du système : remise client modifiée chez",
            "Rapport de modification du système : 500 codes promo activés chez",
            "Rapport de modification du système : 1 code promo activé chez",
        ),
        (
            "de",
            "Systemänderungsbericht: Kundenrabatt geändert bei",
            "Systemänderungsbericht: 500 Gutscheincodes aktiviert bei",
            "Systemänderungsbericht: 1 Gutscheincode aktiviert bei",
        ),
    ],
)
def test_report_subjects_say_what_changed_in_the_partner_language(
    language: str, discount: str, generated: str, created: str
) -> None:
    kind = "system_change_report"
    assert render(f"{kind}:customer_discount", language).subject == f"{discount} {BRAND.name}"
    assert render(f"{kind}:vouchers_generated", language).subject == f"{generated} {BRAND.name}"
    assert render(f"{kind}:voucher_created", language).subject == f"{created} {BRAND.name}"


@pytest.mark.parametrize(
    ("language", "colon", "facts"),
    [
        ("en", ": ", [("Customer number", "4713"), ("Discount before", "Standard"),
                      ("Discount now", "12.5%"), ("Special condition (SC)", "yes"),
                      ("Changed by", "Partner"), ("Email", "grace@example.com")]),
        ("fr", " : ", [("Numéro de client", "4713"), ("Remise précédente", "Standard"),
                       ("Nouvelle remise", "12,5\xa0%"), ("Condition spéciale (SC)", "oui"),
                       ("Modifiée par", "Partenaire"), ("E-mail", "grace@example.com")]),
        ("de", ": ", [("Kundennummer", "4713"), ("Rabatt vorher", "Standard"),
                      ("Rabatt jetzt", "12,5\xa0%"), ("Sonderkondition (SC)", "ja"),
                      ("Geändert von", "Partner"), ("E-Mail", "grace@example.com")]),
    ],
)  # fmt: skip
def test_discount_report_shows_the_customer_old_and_new_discount_sc_and_who(
    language: str, colon: str, facts: list[tuple[str, str]]
) -> None:
    event = discount_changed(previous_percent=None, changed_by="partner")

    email = RENDERER.render(
        "system_change_report", language, BRAND, customer_discount_changed.context_of(event)
    )

    cells = html.unescape(re.sub(r"<td[^>]*>", "<td>", email.html))
    for label, value in facts:
        assert f"{label}{colon}{value}" in email.text
        assert f"<td>{label}</td><td>{value}</td>" in cells
    assert escape(HOSTILE["customer_name"]) in email.html


def test_a_discount_reset_to_standard_says_standard_and_no_sc() -> None:
    event = discount_changed(discount_percent=None, special_condition=False)

    email = RENDERER.render(
        "system_change_report", "en", BRAND, customer_discount_changed.context_of(event)
    )

    assert "Discount before: 5%" in email.text
    assert "Discount now: Standard" in email.text
    assert "Special condition (SC): no" in email.text


def test_a_report_on_a_customer_without_number_or_name_says_unknown() -> None:
    event = discount_changed(customer_number=None, customer_name=None, customer_email=None)

    email = RENDERER.render(
        "system_change_report", "de", BRAND, customer_discount_changed.context_of(event)
    )

    for label in ("Kundennummer", "Name", "E-Mail"):
        assert f"{label}: (unbekannt)" in email.text


@pytest.mark.parametrize(
    ("language", "more"),
    [("en", "… and 480 more"), ("fr", "… et 480 autres"), ("de", "… und 480 weitere")],
)
def test_a_large_batch_lists_the_first_20_codes_and_counts_the_rest(
    language: str, more: str
) -> None:
    email = render("system_change_report:vouchers_generated", language)

    for part in (email.text, email.html):
        assert all(code in part for code in CODES[:20])
        assert CODES[20] not in part
        assert more in part


def test_a_small_batch_lists_every_code_and_no_remainder() -> None:
    event = vouchers(FIXED_TERMS, count=20, codes=CODES[:20])

    email = RENDERER.render(
        "system_change_report", "en", BRAND, vouchers_activated.context_of(event, "EUR")
    )

    for part in (email.text, email.html):
        assert all(code in part for code in CODES[:20])
        assert "… and" not in part


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["Voucher codes were generated", "Number of codes: 500",
                "Value: €1,234.50", "Minimum order value: €2,500.00",
                "Valid until: December 30, 2026", "Orders per code: 1,500",
                "Who may use it: any customer"]),
        ("fr", ["Des codes promo ont été générés", "Nombre de codes : 500",
                "Valeur : 1\u202f234,50\xa0€", "Montant minimum de commande : 2\u202f500,00\xa0€",
                "Fin de validité : 30 décembre 2026", "Commandes par code : 1\u202f500",
                "Utilisable par : tous les clients"]),
        ("de", ["Gutscheincodes erzeugt", "Anzahl der Codes: 500",
                "Wert: 1.234,50\xa0€", "Mindestbestellwert: 2.500,00\xa0€",
                "Gültig bis: 30. Dezember 2026", "Bestellungen pro Code: 1.500",
                "Einlösbar für: alle Kunden"]),
    ],
)  # fmt: skip
def test_voucher_terms_are_written_the_partner_way(language: str, facts: list[str]) -> None:
    email = render("system_change_report:vouchers_generated", language)

    for fact in facts:
        assert fact in email.text


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["A voucher code was created", "Value: 12.5%", "Minimum order value: €0.00",
                "Valid from: immediately", "Valid until: no end date", "one customer only"]),
        ("fr", ["Un code promo a été créé", "Valeur : 12,5\xa0%",
                "Montant minimum de commande : 0,00\xa0€", "Début de validité : immédiatement",
                "Fin de validité : aucune", "un seul client"]),
        ("de", ["ein Gutscheincode angelegt", "Wert: 12,5\xa0%", "Mindestbestellwert: 0,00\xa0€",
                "Gültig ab: sofort", "Gültig bis: unbegrenzt", "nur einen Kunden"]),
    ],
)  # fmt: skip
def test_a_percent_code_for_one_customer_without_window(language: str, facts: list[str]) -> None:
    email = render("system_change_report:voucher_created", language)

    assert "WELCOME-ADA" in email.text
    assert "WELCOME-ADA" in email.html
    for fact in facts:
        assert fact in email.text


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Voucher codes were activated again"),
        ("fr", "Des codes promo ont été réactivés"),
        ("de", "Gutscheincodes wieder aktiviert"),
    ],
)
def test_reactivated_codes_are_called_so(language: str, sentence: str) -> None:
    event = vouchers(FIXED_TERMS, how="reactivated", count=2, codes=CODES[:2])

    email = RENDERER.render(
        "system_change_report", language, BRAND, vouchers_activated.context_of(event, "CHF")
    )

    assert sentence in email.text
    assert sentence in email.html
    assert "CHF" in email.text, "amounts are in the shop's currency"
