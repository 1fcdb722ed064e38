"""Tables of the notifier database: shop brands, partner settings, the message log and invoice PDFs."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from service_runtime.tables import new_metadata

metadata = new_metadata()

shop_brands = Table(
    "shop_brands",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column("brand_name", Text, nullable=False),
    Column("sender_email", Text, nullable=False),
    Column("default_language", String(8), nullable=False),
    Column("timezone", Text, nullable=False),
    Column(
        "updated_at",
        DateTime(timezone=True),
        nullable=False,
        comment="When the gateway stated this brand; an older event never overwrites a newer one.",
    ),
    Column("sender_name", Text, nullable=False, comment="Display name of the From header."),
    Column("reply_to", Text, nullable=True, comment="Reply-To address; none: replies go to From."),
    Column("logo_url", Text, nullable=True),
    Column("primary_color", String(7), nullable=False, server_default="#1f2937"),
    Column("accent_color", String(7), nullable=False, server_default="#2563eb"),
    Column(
        "legal_notice",
        Text,
        nullable=False,
        server_default="",
        comment="Company, address, registration: the footer of every email.",
    ),
    Column(
        "storefront_url",
        Text,
        nullable=True,
        comment="Base of the links in emails; none: the platform's storefront route of the shop.",
    ),
    Column(
        "currency",
        String(3),
        nullable=False,
        server_default="EUR",
        comment="ISO 4217 code of the shop's prices; amounts in partner reports are in it.",
    ),
    comment="Each shop's brand as its customers see it in every email.",
)

partner_copy_settings = Table(
    "partner_copy_settings",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column(
        "addresses",
        ARRAY(Text),
        nullable=False,
        comment="The partner's own addresses: merchant emails and copies go to each of them.",
    ),
    Column(
        "kinds",
        ARRAY(String(32)),
        nullable=False,
        comment="Kinds of customer email the partner gets a copy of (PartnerCopyKind).",
    ),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column(
        "report_addresses",
        ARRAY(Text),
        nullable=False,
        server_default="{}",
        comment="Where system change reports go (V6); empty: no reports are sent.",
    ),
    CheckConstraint("cardinality(addresses) BETWEEN 1 AND 10", name="addresses"),
    CheckConstraint("cardinality(report_addresses) <= 20", name="report_addresses"),
    comment="Where each shop's partner emails go and which copies the partner asked for (N4).",
)

invoice_documents = Table(
    "invoice_documents",
    metadata,
    Column("invoice_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column(
        "customer_id",
        Uuid,
        nullable=True,
        comment="The buyer's customer id when issued; none for a guest. Only they may download it.",
    ),
    Column("invoice_number", String(11), nullable=False, comment="E.g. 2026-000123."),
    Column("kind", String(16), nullable=False, comment="'invoice' or 'credit_note'."),
    Column("filename", Text, nullable=False, comment="E.g. invoice_2026-000123.pdf."),
    Column("pdf", LargeBinary, nullable=True, comment="None until the rendering worker made it."),
    Column("rendered_at", DateTime(timezone=True), nullable=True),
    Column(
        "invoice",
        JSONB,
        nullable=True,
        comment="The issued invoice as its event carried it, kept until the PDF is rendered.",
    ),
    Column(
        "render_attempts",
        Integer,
        nullable=False,
        server_default="0",
        comment="Failed rendering attempts so far.",
    ),
    Column(
        "next_render_at",
        DateTime(timezone=True),
        nullable=False,
        server_default=func.now(),
        comment="A pending document is rendered once this moment has passed.",
    ),
    Column("render_error", Text, nullable=True, comment="Why the last rendering attempt failed."),
    CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind"),
    CheckConstraint("render_attempts >= 0", name="render_attempts"),
    CheckConstraint(
        "(pdf IS NULL AND rendered_at IS NULL AND invoice IS NOT NULL)"
        " OR (pdf IS NOT NULL AND rendered_at IS NOT NULL AND invoice IS NULL)",
        name="pending_or_rendered",
    ),
    comment="Each invoice and credit note: pending until rendered, then its PDF (never changed).",
)

Index(
    "ix_invoice_documents_next_render_at",
    invoice_documents.c.next_render_at,
    postgresql_where=invoice_documents.c.rendered_at.is_(None),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column(
        "source_message_id",
        Uuid,
        nullable=False,
        comment="The event that asked for this email; with kind and recipient, it makes "
        "redelivery harmless.",
    ),
    Column("kind", String(64), nullable=False, comment="Template name, e.g. verification_code."),
    Column("recipient", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("context", JSONB, nullable=False, comment="Template variables taken from the event."),
    Column("status", String(16), nullable=False, server_default="queued"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column(
        "next_attempt_at",
        DateTime(timezone=True),
        nullable=False,
        server_default=func.now(),
        comment="A queued message is sent once this moment has passed.",
    ),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column(
        "invoice_id",
        Uuid,
        ForeignKey(invoice_documents.c.invoice_id),
        nullable=True,
        comment="The invoice PDF this email carries as an attachment; none for most emails.",
    ),
    CheckConstraint("status IN ('queued', 'sent', 'failed')", name="status"),
    CheckConstraint("attempts >= 0", name="attempts"),
    UniqueConstraint("source_message_id", "kind", "recipient"),
    comment="The message log: every email the notifier queued, sent or gave up on.",
)

Index("ix_messages_status_next_attempt_at", messages.c.status, messages.c.next_attempt_at)
Index("ix_messages_shop_id_created_at", messages.c.shop_id, messages.c.created_at)
