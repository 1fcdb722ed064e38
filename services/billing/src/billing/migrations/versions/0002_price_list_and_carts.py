"""Shop language and abandonment time; the price list (products, shipping) and carts (B1).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "shops",
        sa.Column("default_language", sa.String(length=5), server_default="en", nullable=False),
    )
    # Shops opened before this revision get English; new ones take ShopOpened's language.
    op.alter_column("shops", "default_language", server_default=None)
    op.add_column(
        "shops",
        sa.Column(
            "abandon_after_hours",
            sa.Integer(),
            server_default="24",
            nullable=False,
            comment="Hours without activity before a cart with lines is abandoned.",
        ),
    )
    op.create_table(
        "products",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "sku",
            sa.String(length=64),
            nullable=False,
            comment="Compared exactly (case-sensitive).",
        ),
        sa.Column(
            "names",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="Name per language: {en, fr, de}.",
        ),
        sa.Column("unit_net", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("wholesale_unit_cost", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("vat_rate", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column(
            "production_options",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="Ordered list of {code, names, surcharge_unit_net}; the first is the default.",
        ),
        sa.Column("min_quantity", sa.Integer(), nullable=False),
        sa.Column("max_quantity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_products_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("shop_id", "sku", name=op.f("pk_products")),
        comment="The shop's price list: products of the provider's range at the shop's prices.",
    )
    op.create_table(
        "shipping_options",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column(
            "names",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="Name per language: {en, fr, de}.",
        ),
        sa.Column("net", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("vat_rate", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_shipping_options_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("shop_id", "code", name=op.f("pk_shipping_options")),
        comment="Shipping options a storefront offers at checkout.",
    )
    op.create_table(
        "carts",
        sa.Column("cart_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "customer_id", sa.Uuid(), nullable=True, comment="NULL: an anonymous visitor's cart."
        ),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("shipping_option", sa.String(length=40), nullable=True),
        sa.Column(
            "voucher_code", sa.String(length=60), nullable=True, comment="Upper-case, as applied."
        ),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column(
            "net_total",
            sa.Numeric(precision=14, scale=2),
            nullable=False,
            comment="From the last pricing.",
        ),
        sa.Column(
            "gross_total",
            sa.Numeric(precision=14, scale=2),
            nullable=False,
            comment="From the last pricing.",
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("abandoned_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'abandoned', 'ordered')", name=op.f("ck_carts_status")
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_carts_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("cart_id", name=op.f("pk_carts")),
        comment="Storefront carts; totals are kept for summaries and the abandonment event.",
    )
    op.create_index(
        "ix_carts_shop_id_customer_id", "carts", ["shop_id", "customer_id"], unique=False
    )
    op.create_index(
        "ix_carts_abandonment_due",
        "carts",
        ["last_activity_at"],
        unique=False,
        postgresql_where=sa.text("status = 'open' AND line_count > 0"),
    )
    op.create_table(
        "cart_lines",
        sa.Column("cart_id", sa.Uuid(), nullable=False),
        sa.Column("line_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("production_option", sa.String(length=40), nullable=False),
        sa.Column(
            "position", sa.Integer(), nullable=False, comment="Lines stay in the order added."
        ),
        sa.ForeignKeyConstraint(
            ["cart_id"],
            ["carts.cart_id"],
            name=op.f("fk_cart_lines_cart_id_carts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cart_id", "line_id", name=op.f("pk_cart_lines")),
        comment="The lines of a cart: a product, its quantity and production option.",
    )


def downgrade() -> None:
    op.drop_table("cart_lines")
    op.drop_index("ix_carts_abandonment_due", table_name="carts")
    op.drop_index("ix_carts_shop_id_customer_id", table_name="carts")
    op.drop_table("carts")
    op.drop_table("shipping_options")
    op.drop_table("products")
    op.drop_column("shops", "abandon_after_hours")
    op.drop_column("shops", "default_language")
