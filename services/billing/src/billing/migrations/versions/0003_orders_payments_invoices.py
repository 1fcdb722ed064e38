"""Customers as billing knows them, orders and placements, payments, invoices, number sequences.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "revision", sa.Integer(), nullable=False, comment="Of the last snapshot applied."
        ),
        sa.Column("customer_number", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("vat_number", sa.String(length=20), nullable=True),
        sa.Column(
            "address",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="PostalAddress, as the customer gave it.",
        ),
        sa.Column("tax_exempt", sa.Boolean(), nullable=False),
        sa.Column("pays_by_invoice", sa.Boolean(), nullable=False),
        sa.Column("credit_limit", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("risk_level", sa.String(length=10), nullable=False),
        sa.Column(
            "figures_revision",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Revision of the last CustomerBillingChanged published for this customer.",
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers")),
        comment="What billing needs about a shop customer, kept from the customers service's events.",
    )
    op.create_index("ix_customers_shop_id", "customers", ["shop_id", "customer_id"], unique=False)
    op.create_table(
        "deleted_customers",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("pseudonym_id", sa.Uuid(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_deleted_customers")),
        comment="Deleted customers: a late snapshot never brings them back (A9).",
    )
    op.create_table(
        "number_sequences",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "name", sa.String(length=20), nullable=False, comment="'order' or 'invoice-<year>'."
        ),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "name", name=op.f("pk_number_sequences")),
        comment="Gap-free per-shop numbers: taken by an UPDATE in the transaction that uses them.",
    )
    op.create_table(
        "placements",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("cart_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("voucher_code", sa.String(length=60), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'placed', 'abandoned')", name=op.f("ck_placements_state")
        ),
        sa.PrimaryKeyConstraint("shop_id", "idempotency_key", name=op.f("pk_placements")),
        sa.UniqueConstraint("order_id", name=op.f("uq_placements_order_id")),
        comment="Placement attempts, committed before the voucher is redeemed: a pending one left behind by a crash is abandoned by a sweep, which gives the voucher back.",
    )
    op.create_index(
        "ix_placements_pending",
        "placements",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "orders",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("order_number", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("cart_id", sa.Uuid(), nullable=False),
        sa.Column(
            "customer_id", sa.Uuid(), nullable=True, comment="NULL: guest, or pseudonymised."
        ),
        sa.Column("customer_number", sa.Integer(), nullable=True),
        sa.Column(
            "pseudonym_id",
            sa.Uuid(),
            nullable=True,
            comment="Set when the customer was deleted (A9).",
        ),
        sa.Column("guest", sa.Boolean(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("vat_number", sa.String(length=20), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("billing_address", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("shipping_address", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("payment_method", sa.String(length=20), nullable=False),
        sa.Column("payment_status", sa.String(length=20), nullable=False),
        sa.Column(
            "amount_paid", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False
        ),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_terms_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "history",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="StatusChange list, oldest first.",
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "pricing",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="PricedCart at placement.",
        ),
        sa.Column("net_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("vat_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("gross_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("voucher_code", sa.String(length=60), nullable=True),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=10), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("provider_order_id", sa.String(length=40), nullable=False),
        sa.Column("wholesale_net", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_invoice_id", sa.String(length=60), nullable=True),
        sa.Column("provider_invoice_date", sa.Date(), nullable=True),
        sa.Column("provider_pay_method", sa.String(length=60), nullable=True),
        sa.CheckConstraint(
            "payment_status IN ('awaiting_payment', 'paid', 'on_invoice')",
            name=op.f("ck_orders_payment_status"),
        ),
        sa.CheckConstraint(
            "status IN ('placed', 'data_received', 'data_checked', 'data_rejected', 'in_production', 'shipped', 'cancelled')",
            name=op.f("ck_orders_status"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_orders_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_orders")),
        sa.UniqueConstraint("provider_order_id", name="uq_orders_provider_order_id"),
        sa.UniqueConstraint("shop_id", "idempotency_key", name="uq_orders_shop_id_idempotency_key"),
        sa.UniqueConstraint("shop_id", "order_number", name="uq_orders_shop_id_order_number"),
        comment="Shop orders with the prices they were placed at and their provider production order.",
    )
    op.create_index(
        "ix_orders_shop_customer_placed",
        "orders",
        ["shop_id", "customer_id", sa.literal_column("placed_at DESC")],
        unique=False,
    )
    op.create_index(
        "ix_orders_shop_placed",
        "orders",
        ["shop_id", sa.literal_column("placed_at DESC")],
        unique=False,
    )
    op.create_table(
        "invoices",
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("invoice_number", sa.String(length=11), nullable=False, comment="'2026-000123'."),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("credited_invoice_id", sa.Uuid(), nullable=True),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column(
            "customer_id", sa.Uuid(), nullable=True, comment="NULL: guest, or pseudonymised (A9)."
        ),
        sa.Column(
            "document",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="The Invoice as issued; never changed.",
        ),
        sa.Column("net_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("gross_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False, comment="In the shop's time zone."),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.CheckConstraint("kind IN ('invoice', 'credit_note')", name=op.f("ck_invoices_kind")),
        sa.CheckConstraint(
            "status IN ('unpaid', 'paid', 'overdue', 'credited')", name=op.f("ck_invoices_status")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name=op.f("fk_invoices_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_invoices_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("shop_id", "invoice_number", name="uq_invoices_shop_id_invoice_number"),
        comment="Issued invoices and credit notes (B4); only status and paid_on ever change.",
    )
    op.create_index("ix_invoices_order_id", "invoices", ["order_id"], unique=False)
    op.create_index(
        "ix_invoices_overdue_due",
        "invoices",
        ["due_date"],
        unique=False,
        postgresql_where=sa.text("status = 'unpaid'"),
    )
    op.create_index(
        "ix_invoices_shop_customer_status",
        "invoices",
        ["shop_id", "customer_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_invoices_shop_issue_date_number",
        "invoices",
        ["shop_id", "issue_date", "invoice_number"],
        unique=False,
    )
    op.create_index(
        "ix_invoices_shop_issued",
        "invoices",
        ["shop_id", sa.literal_column("issued_at DESC")],
        unique=False,
    )
    op.create_table(
        "payments",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name=op.f("fk_payments_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "shop_id", "idempotency_key", name="uq_payments_shop_id_idempotency_key"
        ),
        comment="Payments reported by the payment provider (recorded, never processed here).",
    )
    op.create_index(op.f("ix_payments_order_id"), "payments", ["order_id"], unique=False)
    op.add_column(
        "shops",
        sa.Column(
            "payment_methods",
            postgresql.ARRAY(sa.String(length=20)),
            server_default="{card,paypal,bank_transfer,invoice}",
            nullable=False,
            comment="Payment methods the shop offers (PaymentMethod).",
        ),
    )
    op.add_column(
        "shops",
        sa.Column(
            "provider_pay_method",
            sa.String(length=60),
            server_default="direct_debit",
            nullable=False,
            comment="How the partner pays the print provider (revenue export).",
        ),
    )


def downgrade() -> None:
    op.drop_column("shops", "provider_pay_method")
    op.drop_column("shops", "payment_methods")
    op.drop_index(op.f("ix_payments_order_id"), table_name="payments")
    op.drop_table("payments")
    op.drop_index("ix_invoices_shop_issued", table_name="invoices")
    op.drop_index("ix_invoices_shop_issue_date_number", table_name="invoices")
    op.drop_index("ix_invoices_shop_customer_status", table_name="invoices")
    op.drop_index(
        "ix_invoices_overdue_due",
        table_name="invoices",
        postgresql_where=sa.text("status = 'unpaid'"),
    )
    op.drop_index("ix_invoices_order_id", table_name="invoices")
    op.drop_table("invoices")
    op.drop_index("ix_orders_shop_placed", table_name="orders")
    op.drop_index("ix_orders_shop_customer_placed", table_name="orders")
    op.drop_table("orders")
    op.drop_index(
        "ix_placements_pending",
        table_name="placements",
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.drop_table("placements")
    op.drop_table("number_sequences")
    op.drop_table("deleted_customers")
    op.drop_index("ix_customers_shop_id", table_name="customers")
    op.drop_table("customers")
