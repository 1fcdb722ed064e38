"""Shops, partner tokens, the customer-overview read model; outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from service_runtime.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "customer_overview",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("customer_number", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column(
            "sort_name",
            sa.String(length=210),
            nullable=False,
            comment="'last first', lower-cased, for sorting.",
        ),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("email_verified", sa.Boolean(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("profile_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("orders_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "order_revenue_net",
            sa.Numeric(precision=14, scale=2),
            server_default="0",
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_overview")),
        comment="Read model of the partner's customer list, kept from customers/billing events.",
    )
    op.create_index(
        "ix_customer_overview_shop_name",
        "customer_overview",
        ["shop_id", "sort_name", "customer_id"],
        unique=False,
    )
    op.create_index(
        "ix_customer_overview_shop_number",
        "customer_overview",
        ["shop_id", "customer_number"],
        unique=True,
    )
    op.create_table(
        "shops",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("brand_name", sa.String(length=120), nullable=False),
        sa.Column("slug", sa.String(length=140), nullable=False),
        sa.Column("default_language", sa.String(length=5), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("sender_email", sa.String(length=320), nullable=False),
        sa.Column("verification_mode", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_shops")),
        sa.UniqueConstraint("slug", name=op.f("uq_shops_slug")),
        comment="Partner shops; the gateway owns them and announces them with ShopOpened.",
    )
    op.create_table(
        "partner_tokens",
        sa.Column("token_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_partner_tokens_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_partner_tokens")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_partner_tokens_token_digest")),
        comment="Partner API tokens, each scoped to one shop; only a SHA-256 digest is kept.",
    )


def downgrade() -> None:
    op.drop_table("partner_tokens")
    op.drop_table("shops")
    op.drop_index("ix_customer_overview_shop_number", table_name="customer_overview")
    op.drop_index("ix_customer_overview_shop_name", table_name="customer_overview")
    op.drop_table("customer_overview")
    drop_messaging_tables()
