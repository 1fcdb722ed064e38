"""Tables of the notifier database: shop brands and the message log."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

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
    comment="Each shop's brand as its customers see it in every email.",
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
        comment="The event that asked for this email; with kind, it makes redelivery harmless.",
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
    CheckConstraint("status IN ('queued', 'sent', 'failed')", name="status"),
    CheckConstraint("attempts >= 0", name="attempts"),
    UniqueConstraint("source_message_id", "kind"),
    comment="The message log: every email the notifier queued, sent or gave up on.",
)

Index("ix_messages_status_next_attempt_at", messages.c.status, messages.c.next_attempt_at)
Index("ix_messages_shop_id_created_at", messages.c.shop_id, messages.c.created_at)
