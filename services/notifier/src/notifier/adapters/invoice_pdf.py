"""Renders an invoice or credit note as a PDF in the shop's brand (B4, N1).

The HTML comes from the email templates' family: ``invoice_document.html`` lays out the
words of ``<language>/invoice_labels.html`` with the same Babel filters, in the shop's logo
and colours; WeasyPrint turns it into PDF. One invoice costs about 0.1 s of CPU here (0.5 s
without the system's HarfBuzz-Subset library, when fonts are subset in Python): callers run
it off the event loop (``asyncio.to_thread``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import pydyf  # type: ignore[import-untyped]
from jinja2 import Environment
from weasyprint import HTML  # type: ignore[import-untyped]

from contracts.billing.invoices import Invoice
from notifier.adapters.brand_logos import LogoFetcher
from notifier.adapters.rendering import template_environment
from notifier.domain.branding import Brand, choose_language
from notifier.domain.invoice_files import document_filename

TEMPLATE = "invoice_document.html"


@dataclass(frozen=True)
class RenderedDocument:
    """A PDF ready to store and attach."""

    filename: str
    language: str
    pdf: bytes


def _brand_as_producer(brand_name: str, document: Any, pdf: Any) -> None:
    """PDF finisher: the file's Producer names the shop, not the rendering library."""
    pdf.info["Producer"] = pydyf.String(brand_name)


class InvoicePdfRenderer:
    """Invoice (or credit note) plus brand in, PDF out; reaches nothing but the logo's URL."""

    def __init__(
        self, environment: Environment | None = None, logos: LogoFetcher | None = None
    ) -> None:
        self._environment = environment or template_environment()
        self._logos = logos or LogoFetcher()

    def html(self, invoice: Invoice, brand: Brand) -> str:
        """The document as HTML (what the PDF shows), in the invoice's language."""
        language = choose_language(invoice.language, brand)
        return self._environment.get_template(TEMPLATE).render(
            invoice=invoice,
            brand=brand,
            language=language,
            logo=self._logos.data_uri(brand.logo_url),
        )

    def render(self, invoice: Invoice, brand: Brand) -> RenderedDocument:
        """Blocking: run it in a worker thread."""
        html = self.html(invoice, brand)
        pdf: bytes = HTML(string=html).write_pdf(
            finisher=partial(_brand_as_producer, " ".join(brand.name.split()))
        )
        return RenderedDocument(
            filename=document_filename(invoice.kind, invoice.invoice_number),
            language=choose_language(invoice.language, brand),
            pdf=pdf,
        )
