"""The invoice PDF in each language, in the shop's brand, with nothing of the provider (B4, N1);
logos fetched only from public hosts; the email that carries the PDF."""

import base64
import io
import sys
from pathlib import Path
from uuid import uuid4

import pypdf
import pytest
from PIL import Image

from notifier.adapters.brand_logos import LogoFetcher, LogoRefused, check_public
from notifier.adapters.invoice_pdf import InvoicePdfRenderer
from notifier.adapters.rendering import RenderedEmail
from notifier.adapters.smtp_sender import build_email
from notifier.domain.attachments import Attachment
from notifier.domain.branding import Brand

sys.path.insert(0, str(Path(__file__).parents[1]))
from billing_event_samples import invoice

MARKUP = '<script>x</script> "&'
BRAND = Brand(
    name="Atelier Lumière",
    sender_email="bonjour@atelier.example",
    default_language="fr",
    timezone="Europe/Paris",
    reply_to="compta@atelier.example",
    logo_url="https://cdn.atelier.example/logo.png",
    primary_color="#7c2d12",
    accent_color="#0f766e",
    legal_notice="Atelier Lumière SARL, 12 rue des Lilas, 75011 Paris\nRCS Paris 123 456 789",
)


class FixedLogo(LogoFetcher):
    """Answers every logo URL with the given data: URI (or none) without any network."""

    def __init__(self, uri: str | None) -> None:
        super().__init__()
        self.uri = uri
        self.asked: list[str | None] = []

    def data_uri(self, url: str | None) -> str | None:
        self.asked.append(url)
        return self.uri


def png_uri() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 12), "#7c2d12").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def renderer() -> InvoicePdfRenderer:
    return InvoicePdfRenderer(logos=FixedLogo(None))


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["Invoice 2026-000123", "Bill to Ada Lovelace", "Date November 27, 2026",
                "Due date December 27, 2026", "Total due €1,346.00", "VAT 20% on €242.50 €48.50",
                "Please pay the total by December 27, 2026"]),
        ("fr", ["Facture 2026-000123", "Facturé à Ada Lovelace", "Date 27 novembre 2026",
                "Total TTC à payer 1 346,00 €", "TVA 20 % sur 242,50 € 48,50 €", "0,045 €"]),
        ("de", ["Rechnung 2026-000123", "Rechnungsempfänger Ada Lovelace",
                "Datum 27. November 2026", "Fällig am 27. Dezember 2026",
                "Gesamtbetrag 1.346,00 €", "USt. 20 % auf 242,50 € 48,50 €", "Kundennummer 4711",
                "Zahlungsart Kauf auf Rechnung", "Frankreich"]),
    ],
)  # fmt: skip
def test_the_pdf_speaks_the_invoice_language_in_the_shop_brand(
    renderer: InvoicePdfRenderer, language: str, facts: list[str]
) -> None:
    document = renderer.render(invoice(language=language), BRAND)

    assert document.filename == "invoice_2026-000123.pdf"
    assert document.language == language
    text = text_of(document.pdf)
    for fact in facts:
        assert fact in text, f"{fact!r} missing"
    assert "Atelier Lumière SARL, 12 rue des Lilas, 75011 Paris" in text
    assert "compta@atelier.example" in text, "the reply address as the brand settings have it"
    assert "clientele" not in text.lower()
    metadata = pypdf.PdfReader(io.BytesIO(document.pdf)).metadata
    assert metadata is not None
    assert (metadata.title, metadata.author, metadata.producer, metadata.creator) == (
        "2026-000123",
        "Atelier Lumière",
        "Atelier Lumière",
        "Atelier Lumière",
    )
    assert "weasyprint" not in document.pdf.decode("latin-1").lower()


def test_names_are_text_never_markup(renderer: InvoicePdfRenderer) -> None:
    issued = invoice()
    buyer = issued.buyer.model_copy(update={"name": f"Ada {MARKUP}"})
    hostile = issued.model_copy(update={"buyer": buyer})
    brand = Brand(f"Atelier {MARKUP}", "a@atelier.example", "en", "UTC")

    html = renderer.html(hostile, brand)
    text = text_of(renderer.render(hostile, brand).pdf)

    assert "<script>" not in html
    assert f"Ada {MARKUP}" in text
    assert f"Atelier {MARKUP}" in text


def test_the_logo_is_inlined_and_without_one_the_brand_name_heads_the_page() -> None:
    logos = FixedLogo(png_uri())
    with_logo = InvoicePdfRenderer(logos=logos)
    without = InvoicePdfRenderer(logos=FixedLogo(None))

    html = with_logo.html(invoice(), BRAND)
    pdf = with_logo.render(invoice(), BRAND).pdf
    plain_html = without.html(invoice(), BRAND)

    assert logos.asked[0] == BRAND.logo_url
    assert '<img src="data:image/png;base64,' in html
    assert "https://cdn.atelier.example" not in html, "the renderer itself fetches nothing"
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    assert "<img" not in plain_html
    assert 'class="brand-name">Atelier Lumière<' in plain_html


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://cdn.example/logo.png",
        "http://127.0.0.1:8004/logo.png",
        "http://localhost/logo.png",
        "http://10.0.0.7/logo.png",
        "http://169.254.169.254/latest/meta-data",
        "https://[::1]/logo.png",
    ],
)
def test_logos_are_never_fetched_from_inside_the_network(url: str) -> None:
    with pytest.raises(LogoRefused):
        check_public(url)
    assert LogoFetcher().data_uri(url) is None


def test_a_public_address_passes_the_host_check_without_a_lookup() -> None:
    check_public("https://93.184.215.14/logo.png")


def test_an_email_with_the_pdf_is_multipart_mixed_with_the_file_attached() -> None:
    rendered = RenderedEmail("en", "Your invoice", "See the PDF.", "<p>See the PDF.</p>")
    pdf = b"%PDF-1.7 test"

    email = build_email(
        uuid4(),
        "ada@example.com",
        BRAND,
        rendered,
        (Attachment("invoice_2026-000123.pdf", pdf),),
    )

    assert email.get_content_type() == "multipart/mixed"
    assert email.get_body(("plain",)) is not None
    assert email.get_body(("html",)) is not None
    (attachment,) = list(email.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "invoice_2026-000123.pdf"
    assert attachment.get_content() == pdf
