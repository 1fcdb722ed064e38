"""Shop brands, the message log, outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from service_runtime.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "shop_brands",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("brand_name", sa.Text(), nullable=False),
        sa.Column("sender_email", sa.Text(), nullable=False),
        sa.Column("default_language", sa.String(length=8), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the gateway stated this brand; an older event never overwrites a newer one.",
        ),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_shop_brands")),
        comment="Each shop's brand as its customers see it in every email.",
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "source_message_id",
            sa.Uuid(),
            nullable=False,
            comment="The event that asked for this email; with kind, it makes redelivery harmless.",
        ),
        sa.Column(
            "kind",
            sa.String(length=64),
            nullable=False,
            comment="Template name, e.g. verification_code.",
        ),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column(
            "context",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="Template variables taken from the event.",
        ),
        sa.Column("status", sa.String(length=16), server_default="queued", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="A queued message is sent once this moment has passed.",
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'failed')", name=op.f("ck_messages_status")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_messages_attempts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "source_message_id", "kind", name=op.f("uq_messages_source_message_id_kind")
        ),
        comment="The message log: every email the notifier queued, sent or gave up on.",
    )
    op.create_index("ix_messages_status_next_attempt_at", "messages", ["status", "next_attempt_at"])
    op.create_index("ix_messages_shop_id_created_at", "messages", ["shop_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_messages_shop_id_created_at", table_name="messages")
    op.drop_index("ix_messages_status_next_attempt_at", table_name="messages")
    op.drop_table("messages")
    op.drop_table("shop_brands")
    drop_messaging_tables()
