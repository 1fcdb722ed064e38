"""Order, status and invoice emails in each language: the figures written the reader's way,
the right words for guests, prepayment, copies, rejections and credit notes (B2-B4, N1-N4)."""

import sys
from pathlib import Path
from typing import Any

import pytest

from contracts.billing.events import OrderPlaced
from notifier.adapters.rendering import EmailRenderer, RenderedEmail
from notifier.domain.branding import Brand
from notifier.handlers import invoice_issued, order_placed, order_status_changed

sys.path.insert(0, str(Path(__file__).parents[1]))
from billing_event_samples import (
    credit_note,
    guest_order,
    invoice,
    order,
    priced_cart,
    status_changed,
)
from billing_event_samples import invoice_issued as issued

BRAND = Brand("Atelier Lumière", "bonjour@atelier.example", "fr", "Europe/Paris")
RENDERER = EmailRenderer()
SHOP = order().order_id
EMAIL = "ada@example.com"


def render(kind: str, language: str, context: dict[str, Any]) -> RenderedEmail:
    return RENDERER.render(kind, language, BRAND, context)


def plain(text: str) -> str:
    """Babel's narrow and no-break spaces as plain spaces, so expectations stay readable."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def both(email: RenderedEmail) -> list[str]:
    return [plain(email.text), plain(email.html)]


@pytest.mark.parametrize(
    ("language", "subject", "facts"),
    [
        ("en", "Your order 1042 at Atelier Lumière", [
            "November 27, 2026, 4:30 PM", "5,000 x Flyers A5 (Express (2 days)): €225.00",
            "Your discount 10 %: -€22.50", "Voucher SPRING-10: -€10.00",
            "Production-time surcharges: €50.00", "Shipping: Parcel post: €1,000.00",
            "Total net: €1,242.50", "VAT 5.5% on €1,000.00: €55.00", "VAT 20% on €242.50: €48.50",
            "Total: €1,346.00", "Payment method: Invoice", "Customer number: 4711",
            "We start on your order right away", "3 quai Voltaire", "France"]),
        ("fr", "Votre commande n° 1042 chez Atelier Lumière", [
            "27 novembre 2026, 16:30", "5 000 x Flyers A5 (Express (2 days)) : 225,00 €",
            "Your discount 10 % : -22,50 €", "Suppléments de délai de production : 50,00 €",
            "Livraison : Parcel post : 1 000,00 €", "Total HT : 1 242,50 €",
            "TVA 5,5 % sur 1 000,00 € : 55,00 €", "Total TTC : 1 346,00 €",
            "Mode de paiement : Paiement sur facture", "Nous commençons votre commande immédiatement",
            "France"]),
        ("de", "Ihre Bestellung 1042 bei Atelier Lumière", [
            "27. November 2026, 16:30", "5.000 x Flyers A5 (Express (2 days)): 225,00 €",
            "Zuschläge für die Produktionszeit: 50,00 €", "Versand: Parcel post: 1.000,00 €",
            "Summe netto: 1.242,50 €", "USt. 20 % auf 242,50 €: 48,50 €", "Gesamtbetrag: 1.346,00 €",
            "Zahlungsart: Kauf auf Rechnung", "Wir beginnen sofort mit Ihrer Bestellung",
            "Frankreich"]),
    ],
)  # fmt: skip
def test_order_confirmation_lists_lines_discounts_vat_and_totals_the_reader_way(
    language: str, subject: str, facts: list[str]
) -> None:
    email = render("order_confirmation", language, order_placed.context_of(order(email=EMAIL)))

    assert email.subject == subject
    text = plain(email.text)
    for fact in facts:
        assert fact in text
    html = plain(email.html)
    assert "225,00 €" in html or "€225.00" in html
    assert EMAIL in text


@pytest.mark.parametrize(
    ("language", "prepayment", "guest", "reason"),
    [
        ("en", "We start as soon as your payment arrives.", "Customer number: guest order",
         "because an order was placed at Atelier Lumière with this address"),
        ("fr", "Nous commençons dès réception de votre paiement.",
         "Numéro de client : commande invité", "car une commande a été passée chez Atelier Lumière"),
        ("de", "Wir beginnen, sobald Ihre Zahlung eingegangen ist.",
         "Kundennummer: Gastbestellung", "weil bei Atelier Lumière mit dieser Adresse bestellt"),
    ],
)  # fmt: skip
def test_a_guest_paying_in_advance_is_told_work_starts_with_the_payment(
    language: str, prepayment: str, guest: str, reason: str
) -> None:
    email = render("order_confirmation", language, order_placed.context_of(guest_order()))

    for part in both(email):
        assert prepayment in part
    assert guest in plain(email.text)
    assert reason in plain(email.text), "a guest has no customer account to speak of"


def test_a_tax_exempt_order_says_why_no_vat_is_charged() -> None:
    pricing = priced_cart().model_copy(
        update={"tax_exempt": True, "vat_exemption_reason": "Reverse charge (Art. 196)"}
    )

    email = render("order_confirmation", "en", order_placed.context_of(order(pricing=pricing)))

    for part in both(email):
        assert "Reverse charge (Art. 196)" in part


@pytest.mark.parametrize(
    ("language", "subject", "notice"),
    [
        ("en", "Copy: order confirmation 1042 at Atelier Lumière",
         "this is the order confirmation your customer received at ada@example.com"),
        ("fr", "Copie : confirmation de la commande n° 1042 chez Atelier Lumière",
         "voici la confirmation de commande reçue par votre client à l\u2019adresse ada@example.com"),
        ("de", "Kopie: Bestellbestätigung 1042 bei Atelier Lumière",
         "Diese Bestellbestätigung hat Ihr Kunde an ada@example.com erhalten"),
    ],
)  # fmt: skip
def test_the_partner_copy_is_marked_as_a_copy_of_the_customer_email(
    language: str, subject: str, notice: str
) -> None:
    context = order_placed.context_of(order(email=EMAIL))
    customer = render("order_confirmation", language, context)

    copy = render("order_confirmation_copy", language, context)

    assert copy.subject == subject
    for part in both(copy):
        assert notice in part
    body = plain(customer.text).split("\n--\n")[0].split("\n", 2)[2]
    assert body in plain(copy.text), "the copy holds what the customer read"


@pytest.mark.parametrize(
    ("language", "subject", "facts"),
    [
        ("en", "New order 1042 at Atelier Lumière: €1,346.00",
         ["Customer: guest", "Total net: €1,242.50", "Payment method: Card",
          "production starts once the payment is recorded"]),
        ("fr", "Nouvelle commande n° 1042 chez Atelier Lumière : 1 346,00 €",
         ["Client : invité", "Total TTC : 1 346,00 €", "Mode de paiement : Carte bancaire"]),
        ("de", "Neue Bestellung 1042 bei Atelier Lumière: 1.346,00 €",
         ["Kunde: Gast", "Summe brutto: 1.346,00 €", "Zahlungsart: Kreditkarte"]),
    ],
)  # fmt: skip
def test_the_order_notice_names_number_customer_totals_and_payment(
    language: str, subject: str, facts: list[str]
) -> None:
    email = render("order_notice", language, order_placed.notice_context_of(guest_order()))

    assert plain(email.subject) == subject
    for fact in facts:
        assert fact in plain(email.text)


@pytest.mark.parametrize(
    ("language", "subjects"),
    [
        ("en", {"data_received": "Your order 1042 at Atelier Lumière: print data received",
                "shipped": "Your order 1042 at Atelier Lumière: shipped",
                "cancelled": "Your order 1042 at Atelier Lumière: cancelled"}),
        ("fr", {"data_checked": "Votre commande n° 1042 chez Atelier Lumière : fichiers d\u2019impression vérifiés",
                "in_production": "Votre commande n° 1042 chez Atelier Lumière : en production",
                "shipped": "Votre commande n° 1042 chez Atelier Lumière : expédiée"}),
        ("de", {"data_received": "Ihre Bestellung 1042 bei Atelier Lumière: Druckdaten erhalten",
                "shipped": "Ihre Bestellung 1042 bei Atelier Lumière: Versandt",
                "cancelled": "Ihre Bestellung 1042 bei Atelier Lumière: Storniert"}),
    ],
)  # fmt: skip
def test_each_status_has_its_subject(language: str, subjects: dict[str, str]) -> None:
    for status, subject in subjects.items():
        event = status_changed(SHOP, status)  # type: ignore[arg-type]
        assert render("order_status", language, order_status_changed.context_of(event)).subject == (
            subject
        )


@pytest.mark.parametrize(
    ("language", "tracking", "voucher", "total"),
    [
        ("en", "Tracking number: 1Z999AA1", "Your voucher code SPRING-10 can be used again.",
         "Order total: €1,346.00"),
        ("fr", "Numéro de suivi : 1Z999AA1", "Votre code promo SPRING-10 est de nouveau utilisable.",
         "Montant de la commande : 1 346,00 €"),
        ("de", "Sendungsnummer: 1Z999AA1", "Ihr Gutscheincode SPRING-10 ist wieder einlösbar.",
         "Bestellsumme: 1.346,00 €"),
    ],
)  # fmt: skip
def test_shipping_brings_the_tracking_number_and_cancelling_gives_the_voucher_back(
    language: str, tracking: str, voucher: str, total: str
) -> None:
    shipped = status_changed(SHOP, "shipped", tracking_number="1Z999AA1")
    cancelled = status_changed(SHOP, "cancelled", voucher_code="SPRING-10")

    shipped_email = render("order_status", language, order_status_changed.context_of(shipped))
    cancelled_email = render("order_status", language, order_status_changed.context_of(cancelled))

    assert tracking in plain(shipped_email.text)
    assert "1Z999AA1" in shipped_email.html
    assert voucher in plain(cancelled_email.text)
    assert total in plain(cancelled_email.text)
    without = status_changed(SHOP, "cancelled")
    assert (
        "SPRING-10"
        not in render("order_status", language, order_status_changed.context_of(without)).text
    )


@pytest.mark.parametrize(
    ("language", "subject", "facts"),
    [
        ("en", "Print data rejected: order 1042 at Atelier Lumière",
         ["Your customer has not been told", "Fonts are not embedded", "Customer: guest"]),
        ("fr", "Fichiers d\u2019impression refusés : commande n° 1042 chez Atelier Lumière",
         ["Votre client n\u2019en a pas été informé", "Fonts are not embedded", "Client : invité"]),
        ("de", "Druckdaten abgelehnt: Bestellung 1042 bei Atelier Lumière",
         ["Ihr Kunde wurde darüber nicht informiert", "Fonts are not embedded", "Kunde: Gast"]),
    ],
)  # fmt: skip
def test_a_rejection_tells_the_partner_the_customer_does_not_know(
    language: str, subject: str, facts: list[str]
) -> None:
    event = status_changed(SHOP, "data_rejected", guest=True, note="Fonts are not embedded")

    email = render("data_rejected", language, order_status_changed.rejection_context_of(event))

    assert email.subject == subject
    for fact in facts:
        assert fact in plain(email.text)


@pytest.mark.parametrize(
    ("language", "subject", "unpaid", "paid", "credit"),
    [
        ("en", "Your invoice 2026-000123 from Atelier Lumière",
         "Please pay €1,346.00 by December 27, 2026, quoting invoice number 2026-000123.",
         "This invoice has already been paid.",
         "attached is credit note 2026-000124 for your order 1042. It corrects invoice 2026-000123."),
        ("fr", "Votre facture n° 2026-000123 de Atelier Lumière",
         "Merci de régler 1 346,00 € avant le 27 décembre 2026",
         "Cette facture est déjà réglée.",
         "l\u2019avoir n° 2026-000124 relatif à votre commande n° 1042. Il corrige la facture n° 2026-000123."),
        ("de", "Ihre Rechnung 2026-000123 von Atelier Lumière",
         "Bitte überweisen Sie 1.346,00 € bis zum 27. Dezember 2026",
         "Diese Rechnung ist bereits bezahlt.",
         "die Gutschrift 2026-000124 zu Ihrer Bestellung 1042. Sie korrigiert die Rechnung 2026-000123."),
    ],
)  # fmt: skip
def test_invoice_emails_ask_for_payment_thank_for_it_or_explain_the_credit(
    language: str, subject: str, unpaid: str, paid: str, credit: str
) -> None:
    unpaid_email = render("invoice", language, invoice_issued.context_of(issued(SHOP)))
    paid_email = render(
        "invoice", language, invoice_issued.context_of(issued(SHOP, invoice(status="paid")))
    )
    credit_email = render(
        "invoice", language, invoice_issued.context_of(issued(SHOP, credit_note()))
    )

    assert unpaid_email.subject == subject
    assert unpaid in plain(unpaid_email.text)
    assert paid in plain(paid_email.text)
    assert unpaid not in plain(paid_email.text)
    for part in both(credit_email):
        assert credit in part
    assert "2026-000124" in credit_email.subject


@pytest.mark.parametrize(
    ("kind", "context"),
    [
        ("order_notice", order_placed.notice_context_of(order())),
        ("order_confirmation_copy", order_placed.context_of(order())),
        ("order_status_copy", order_status_changed.copy_context_of(status_changed(SHOP, "shipped"))),
        ("data_rejected", order_status_changed.rejection_context_of(status_changed(SHOP, "data_rejected"))),
        ("invoice_copy", invoice_issued.copy_context_of(issued(SHOP))),
    ],
)  # fmt: skip
def test_partner_emails_name_the_operator_not_a_customer_account(
    kind: str, context: dict[str, Any]
) -> None:
    email = render(kind, "en", context)

    assert "operator of Atelier Lumière" in email.text
    assert "customer account" not in email.text
    assert "an order was placed" not in email.text.split("\n--\n")[1]


def test_an_order_event_carries_everything_the_confirmation_needs() -> None:
    """The OrderPlaced contract as billing sends it renders without a missing variable."""
    event = OrderPlaced(shop_id=SHOP, order=order())
    for language in ("en", "fr", "de"):
        for kind in ("order_confirmation", "order_confirmation_copy"):
            assert render(kind, language, order_placed.context_of(event.order)).text
