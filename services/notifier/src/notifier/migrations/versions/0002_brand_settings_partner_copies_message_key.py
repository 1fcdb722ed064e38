"""Brand settings (sender, logo, colours, legal notice, storefront), partner copies, recipient key.

Existing shops keep their brand (sender name = brand name) and get partner settings that send
merchant emails to their sender address with no copies, as new shops do. The message key gains
the recipient so one event can queue one message per partner address.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_copy_settings",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "addresses",
            postgresql.ARRAY(sa.Text()),
            nullable=False,
            comment="The partner's own addresses: merchant emails and copies go to each of them.",
        ),
        sa.Column(
            "kinds",
            postgresql.ARRAY(sa.String(length=32)),
            nullable=False,
            comment="Kinds of customer email the partner gets a copy of (PartnerCopyKind).",
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "cardinality(addresses) BETWEEN 1 AND 10",
            name=op.f("ck_partner_copy_settings_addresses"),
        ),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_partner_copy_settings")),
        comment="Where each shop's partner emails go and which copies the partner asked for (N4).",
    )
    op.alter_column(
        "messages",
        "source_message_id",
        existing_type=sa.UUID(),
        comment="The event that asked for this email; with kind and recipient, it makes redelivery harmless.",
        existing_comment="The event that asked for this email; with kind, it makes redelivery harmless.",
        existing_nullable=False,
    )
    op.drop_constraint(op.f("uq_messages_source_message_id_kind"), "messages", type_="unique")
    op.create_unique_constraint(
        op.f("uq_messages_source_message_id_kind_recipient"),
        "messages",
        ["source_message_id", "kind", "recipient"],
    )
    op.add_column(
        "shop_brands",
        sa.Column(
            "sender_name", sa.Text(), nullable=True, comment="Display name of the From header."
        ),
    )
    op.execute("UPDATE shop_brands SET sender_name = brand_name")
    op.alter_column("shop_brands", "sender_name", existing_type=sa.Text(), nullable=False)
    op.add_column(
        "shop_brands",
        sa.Column(
            "reply_to",
            sa.Text(),
            nullable=True,
            comment="Reply-To address; none: replies go to From.",
        ),
    )
    op.add_column("shop_brands", sa.Column("logo_url", sa.Text(), nullable=True))
    op.add_column(
        "shop_brands",
        sa.Column("primary_color", sa.String(length=7), server_default="#1f2937", nullable=False),
    )
    op.add_column(
        "shop_brands",
        sa.Column("accent_color", sa.String(length=7), server_default="#2563eb", nullable=False),
    )
    op.add_column(
        "shop_brands",
        sa.Column(
            "legal_notice",
            sa.Text(),
            server_default="",
            nullable=False,
            comment="Company, address, registration: the footer of every email.",
        ),
    )
    op.add_column(
        "shop_brands",
        sa.Column(
            "storefront_url",
            sa.Text(),
            nullable=True,
            comment="Base of the links in emails; none: the platform's storefront route of the shop.",
        ),
    )
    op.execute(
        "INSERT INTO partner_copy_settings (shop_id, addresses, kinds, updated_at) "
        "SELECT shop_id, ARRAY[sender_email], '{}', updated_at FROM shop_brands"
    )


def downgrade() -> None:
    op.drop_column("shop_brands", "storefront_url")
    op.drop_column("shop_brands", "legal_notice")
    op.drop_column("shop_brands", "accent_color")
    op.drop_column("shop_brands", "primary_color")
    op.drop_column("shop_brands", "logo_url")
    op.drop_column("shop_brands", "reply_to")
    op.drop_column("shop_brands", "sender_name")
    op.drop_constraint(
        op.f("uq_messages_source_message_id_kind_recipient"), "messages", type_="unique"
    )
    # The old key allows one message per event and kind: keep the first of each fan-out.
    op.execute(
        "DELETE FROM messages WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER "
        "(PARTITION BY source_message_id, kind ORDER BY created_at, id) AS n FROM messages) "
        "AS ranked WHERE n > 1)"
    )
    op.create_unique_constraint(
        op.f("uq_messages_source_message_id_kind"), "messages", ["source_message_id", "kind"]
    )
    op.alter_column(
        "messages",
        "source_message_id",
        existing_type=sa.UUID(),
        comment="The event that asked for this email; with kind, it makes redelivery harmless.",
        existing_comment="The event that asked for this email; with kind and recipient, it makes redelivery harmless.",
        existing_nullable=False,
    )
    op.drop_table("partner_copy_settings")
