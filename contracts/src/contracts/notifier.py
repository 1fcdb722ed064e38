"""Messages owned by the notifier: each shop's brand, where partner copies and reports go."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.base import Command

PartnerCopyKind = Literal["registration", "order_confirmation", "order_status_change", "invoice"]


class ShopBrandSettings(BaseModel):
    """What every customer-facing email and document of a shop shows about it (N1)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    brand_name: str = Field(examples=["Print Atelier"])
    sender_name: str = Field(description="Display name of the From header.")
    sender_email: str = Field(description="From address, in the shop's own domain.")
    reply_to: str | None = None
    logo_url: str | None = Field(default=None, description="https URL of the logo image.")
    primary_color: str = Field(default="#1f2937", pattern=r"^#[0-9a-fA-F]{6}$")
    accent_color: str = Field(default="#2563eb", pattern=r"^#[0-9a-fA-F]{6}$")
    legal_notice: str = Field(default="", description="Company, address, registration: footer.")
    storefront_url: str | None = Field(
        default=None, description="Base URL of the shop's storefront; links in emails start here."
    )


class ConfigureShopBrand(Command):
    """Replace a shop's brand settings (N1)."""

    OWNER: ClassVar[str] = "notifier"
    ROUTING_KEY: ClassVar[str] = "notifier.configure_shop_brand.v1"
    type: Literal["ConfigureShopBrand"] = "ConfigureShopBrand"
    version: Literal[1] = 1

    brand: ShopBrandSettings


class GetShopBrand(Command):
    """Read a shop's brand settings (N1)."""

    READ_ONLY: ClassVar[bool] = True
    OWNER: ClassVar[str] = "notifier"
    ROUTING_KEY: ClassVar[str] = "notifier.get_shop_brand.v1"
    type: Literal["GetShopBrand"] = "GetShopBrand"
    version: Literal[1] = 1


class PartnerCopySettings(BaseModel):
    """Where the partner's own emails go and which copies they want (N4)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    addresses: list[str] = Field(
        description="The partner's addresses: copies and merchant emails go to all of them."
    )
    kinds: list[PartnerCopyKind] = Field(
        default_factory=list, description="Kinds of customer email the partner gets a copy of."
    )


class ConfigurePartnerCopies(Command):
    """Replace a shop's partner addresses and partner-copy kinds (N4)."""

    OWNER: ClassVar[str] = "notifier"
    ROUTING_KEY: ClassVar[str] = "notifier.configure_partner_copies.v1"
    type: Literal["ConfigurePartnerCopies"] = "ConfigurePartnerCopies"
    version: Literal[1] = 1

    settings: PartnerCopySettings


class GetPartnerCopies(Command):
    """Read a shop's partner addresses and partner-copy kinds (N4)."""

    READ_ONLY: ClassVar[bool] = True
    OWNER: ClassVar[str] = "notifier"
    ROUTING_KEY: ClassVar[str] = "notifier.get_partner_copies.v1"
    type: Literal["GetPartnerCopies"] = "GetPartnerCopies"
    version: Literal[1] = 1


class ReportAddresses(BaseModel):
    """Where system change reports go (V6): voucher codes activated, customer discounts set."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    addresses: list[str] = Field(
        default_factory=list, max_length=20, description="Empty: no reports are sent."
    )


class ConfigureReportAddresses(Command):
    """Replace a shop's system change report addresses (V6)."""

    OWNER: ClassVar[str] = "notifier"
    ROUTING_KEY: ClassVar[str] = "notifier.configure_report_addresses.v1"
    type: Literal["ConfigureReportAddresses"] = "ConfigureReportAddresses"
    version: Literal[1] = 1

    settings: ReportAddresses


class GetReportAddresses(Command):
    """Read a shop's system change report addresses (V6)."""

    READ_ONLY: ClassVar[bool] = True
    OWNER: ClassVar[str] = "notifier"
    ROUTING_KEY: ClassVar[str] = "notifier.get_report_addresses.v1"
    type: Literal["GetReportAddresses"] = "GetReportAddresses"
    version: Literal[1] = 1


class GetInvoiceDocument(Command):
    """The PDF of an invoice or credit note (B4), rendered when it was issued.

    With ``customer_id``, only that customer's document is given (else invoice_not_found);
    a document not rendered yet answers invoice_document_pending (503, retry_after).
    """

    READ_ONLY: ClassVar[bool] = True
    OWNER: ClassVar[str] = "notifier"
    ROUTING_KEY: ClassVar[str] = "notifier.get_invoice_document.v1"
    type: Literal["GetInvoiceDocument"] = "GetInvoiceDocument"
    version: Literal[1] = 1

    invoice_id: UUID
    customer_id: UUID | None = None


class InvoiceDocument(BaseModel):
    """A rendered PDF; ``content_base64`` is the file, base64-encoded for the JSON reply."""

    invoice_id: UUID
    invoice_number: str
    filename: str = Field(examples=["invoice_2026-000123.pdf"])
    content_type: Literal["application/pdf"] = "application/pdf"
    content_base64: str


RESULTS: dict[type[Command], type[BaseModel]] = {
    ConfigureShopBrand: ShopBrandSettings,
    GetShopBrand: ShopBrandSettings,
    ConfigurePartnerCopies: PartnerCopySettings,
    GetPartnerCopies: PartnerCopySettings,
    ConfigureReportAddresses: ReportAddresses,
    GetReportAddresses: ReportAddresses,
    GetInvoiceDocument: InvoiceDocument,
}

__all__ = [
    "RESULTS",
    "ConfigurePartnerCopies",
    "ConfigureReportAddresses",
    "ConfigureShopBrand",
    "GetInvoiceDocument",
    "GetPartnerCopies",
    "GetReportAddresses",
    "GetShopBrand",
    "InvoiceDocument",
    "PartnerCopyKind",
    "PartnerCopySettings",
    "ReportAddresses",
    "ShopBrandSettings",
]
