"""Shops, identities, shop customers, customer numbers, verification codes; outbox and inbox.

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
        "identities",
        sa.Column("identity_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("identity_id", name=op.f("pk_identities")),
        sa.UniqueConstraint("email", name=op.f("uq_identities_email")),
        comment="A person's global login (A6): one per email across all shops.",
    )
    op.create_table(
        "shops",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("verification_mode", sa.String(length=10), nullable=False),
        sa.Column("default_language", sa.String(length=5), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_shops")),
        comment="Shops known from ShopOpened, with their account settings.",
    )
    op.create_table(
        "customer_number_counters",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_customer_number_counters_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_customer_number_counters")),
        comment="Last customer number given per shop; incremented in the registering transaction.",
    )
    op.create_table(
        "shop_customers",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("identity_id", sa.Uuid(), nullable=False),
        sa.Column("customer_number", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["identities.identity_id"],
            name=op.f("fk_shop_customers_identity_id_identities"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_shop_customers_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_shop_customers")),
        sa.UniqueConstraint(
            "shop_id", "customer_number", name=op.f("uq_shop_customers_shop_id_customer_number")
        ),
        sa.UniqueConstraint(
            "shop_id", "identity_id", name=op.f("uq_shop_customers_shop_id_identity_id")
        ),
        comment="A person's record in one shop, with the shop's customer number.",
    )
    op.create_table(
        "verification_codes",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wrong_tries", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["shop_customers.customer_id"],
            name=op.f("fk_verification_codes_customer_id_shop_customers"),
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_verification_codes")),
        comment="The open email verification code of a customer, stored as an HMAC only.",
    )


def downgrade() -> None:
    op.drop_table("verification_codes")
    op.drop_table("shop_customers")
    op.drop_table("customer_number_counters")
    op.drop_table("shops")
    op.drop_table("identities")
    drop_messaging_tables()
