"""Shop currency; customer and group projections with discounts and adjustments; vouchers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "shops",
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="EUR",
            nullable=False,
            comment="ISO 4217 code of the shop's prices, for the texts of voucher refusals.",
        ),
    )
    op.create_table(
        "customers",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("customer_number", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=True),
        sa.Column("tax_exempt", sa.Boolean(), nullable=False),
        sa.Column(
            "revision", sa.Integer(), nullable=False, comment="Snapshot revision last applied."
        ),
        sa.Column(
            "discount_percent",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment='Personal discount 1-100 (V1); NULL = "Standard".',
        ),
        sa.Column(
            "discount_revision",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Grows with every change of the discount (CustomerDiscountChanged.revision).",
        ),
        sa.Column("discount_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "discount_percent IS NULL OR discount_percent BETWEEN 1 AND 100",
            name=op.f("ck_customers_discount_percent"),
        ),
        sa.PrimaryKeyConstraint("shop_id", "customer_id", name=op.f("pk_customers")),
        comment="Shop customers as the customers service announces them, with their discount.",
    )
    op.create_table(
        "customer_groups",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "system_key", sa.String(length=20), nullable=True, comment="visitor, guest or customer."
        ),
        sa.Column(
            "adjustment_percent",
            sa.Numeric(precision=5, scale=2),
            server_default="0",
            nullable=False,
            comment="V3: negative lowers product prices, positive raises them.",
        ),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="CustomerGroupChanged.changed_at last applied: an older rename never wins.",
        ),
        sa.CheckConstraint(
            "adjustment_percent BETWEEN -100 AND 100",
            name=op.f("ck_customer_groups_adjustment_percent"),
        ),
        sa.PrimaryKeyConstraint("shop_id", "group_id", name=op.f("pk_customer_groups")),
        comment="Customer groups as the customers service announces them, with their adjustment.",
    )
    op.create_table(
        "deleted_records",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False, comment="A customer_id or a group_id."),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('customer', 'group')", name=op.f("ck_deleted_records_kind")),
        sa.PrimaryKeyConstraint("shop_id", "record_id", name=op.f("pk_deleted_records")),
        comment="Customers and groups deleted upstream: a late snapshot never brings them back.",
    )
    op.create_table(
        "vouchers",
        sa.Column("voucher_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "code", sa.String(length=40), nullable=False, comment="Upper-case; unique per shop."
        ),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column(
            "value",
            sa.Numeric(precision=12, scale=2),
            nullable=False,
            comment="Percent or amount, per kind.",
        ),
        sa.Column("min_order_value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("redemption_limit", sa.Integer(), nullable=False),
        sa.Column(
            "use_count",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Live redemptions; only ever changed by one atomic UPDATE.",
        ),
        sa.Column(
            "customer_id", sa.Uuid(), nullable=True, comment="Only this customer may use it."
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('percent', 'fixed')", name=op.f("ck_vouchers_kind")),
        sa.CheckConstraint(
            "use_count >= 0 AND use_count <= redemption_limit",
            name=op.f("ck_vouchers_use_count"),
        ),
        sa.PrimaryKeyConstraint("voucher_id", name=op.f("pk_vouchers")),
        sa.UniqueConstraint("shop_id", "code", name=op.f("uq_vouchers_shop_id_code")),
        comment="Voucher codes of a shop (V4) with their terms and use counts.",
    )
    op.create_index(
        "ix_vouchers_shop_id_created_at_voucher_id",
        "vouchers",
        ["shop_id", "created_at", "voucher_id"],
        unique=False,
    )
    op.create_index(
        "ix_vouchers_shop_id_customer_id", "vouchers", ["shop_id", "customer_id"], unique=False
    )
    op.create_table(
        "redemptions",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("voucher_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "released_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="Set when the order gave the code back; NULL while the order holds it.",
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["vouchers.voucher_id"],
            name=op.f("fk_redemptions_voucher_id_vouchers"),
        ),
        sa.PrimaryKeyConstraint("shop_id", "order_id", name=op.f("pk_redemptions")),
        comment="Which order holds which voucher code; one per order.",
    )
    op.create_index("ix_redemptions_voucher_id", "redemptions", ["voucher_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_redemptions_voucher_id", table_name="redemptions")
    op.drop_table("redemptions")
    op.drop_index("ix_vouchers_shop_id_customer_id", table_name="vouchers")
    op.drop_index("ix_vouchers_shop_id_created_at_voucher_id", table_name="vouchers")
    op.drop_table("vouchers")
    op.drop_table("deleted_records")
    op.drop_table("customer_groups")
    op.drop_table("customers")
    op.drop_column("shops", "currency")
