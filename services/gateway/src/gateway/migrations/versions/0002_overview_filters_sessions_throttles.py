"""Overview filters and search, groups, tombstones; customer sessions; throttles.

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
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "customer_sessions",
        sa.Column(
            "token_digest",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the bearer token.",
        ),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("identity_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_digest", name=op.f("pk_customer_sessions")),
        comment="Customer tokens, each scoped to one shop and customer; dropped on deny or delete.",
    )
    op.create_index(
        op.f("ix_customer_sessions_customer_id"), "customer_sessions", ["customer_id"], unique=False
    )
    op.create_index(
        op.f("ix_customer_sessions_identity_id"), "customer_sessions", ["identity_id"], unique=False
    )
    op.create_table(
        "deleted_customers",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_deleted_customers")),
        comment="Tombstones: a late CustomerChanged never brings a deleted customer back.",
    )
    op.create_table(
        "overview_groups",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("system_key", sa.String(length=20), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_overview_groups")),
        comment="Customer groups by shop (from CustomerGroupChanged), to show and filter by name.",
    )
    op.create_index(
        op.f("ix_overview_groups_shop_id"), "overview_groups", ["shop_id"], unique=False
    )
    op.create_table(
        "rate_limits",
        sa.Column(
            "bucket", sa.String(length=400), nullable=False, comment="e.g. 'login:ip:203.0.113.7'."
        ),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", name=op.f("pk_rate_limits")),
        comment="Fixed-window counters that throttle logins, code checks and reset requests.",
    )
    op.add_column(
        "customer_overview",
        sa.Column(
            "unpaid_invoices",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Open invoices (from billing, later): the red '(N unpaid)'.",
        ),
    )
    op.add_column("customer_overview", sa.Column("identity_id", sa.Uuid(), nullable=True))
    op.add_column(
        "customer_overview",
        sa.Column(
            "revision",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Revision of the last CustomerChanged applied; older ones are ignored.",
        ),
    )
    op.add_column("customer_overview", sa.Column("language", sa.String(length=5), nullable=True))
    op.add_column("customer_overview", sa.Column("phone", sa.String(length=20), nullable=True))
    op.add_column("customer_overview", sa.Column("vat_number", sa.String(length=20), nullable=True))
    op.add_column(
        "customer_overview", sa.Column("registration_number", sa.String(length=40), nullable=True)
    )
    op.add_column(
        "customer_overview", sa.Column("address_country", sa.String(length=2), nullable=True)
    )
    op.add_column(
        "customer_overview",
        sa.Column("newsletter", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column(
        "customer_overview",
        sa.Column("tax_exempt", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column("customer_overview", sa.Column("group_id", sa.Uuid(), nullable=True))
    op.add_column(
        "customer_overview",
        sa.Column("denied", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column(
        "customer_overview",
        sa.Column(
            "b2b",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="Has business data (company or VAT number): the B2B filter.",
        ),
    )
    op.add_column(
        "customer_overview",
        sa.Column("pays_by_invoice", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column(
        "customer_overview",
        sa.Column(
            "search_text",
            sa.Text(),
            server_default="",
            nullable=False,
            comment="Lower-cased number, names, email and company, trigram-indexed for search.",
        ),
    )
    op.create_index(
        "ix_customer_overview_search",
        "customer_overview",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_customer_overview_shop_company_asc",
        "customer_overview",
        ["shop_id", sa.literal_column("company ASC NULLS LAST"), "customer_id"],
        unique=False,
    )
    op.create_index(
        "ix_customer_overview_shop_company_desc",
        "customer_overview",
        [
            "shop_id",
            sa.literal_column("company DESC NULLS LAST"),
            sa.literal_column("customer_id DESC"),
        ],
        unique=False,
    )
    op.create_index(
        "ix_customer_overview_shop_orders",
        "customer_overview",
        ["shop_id", "orders_count", "customer_id"],
        unique=False,
    )
    op.create_index(
        "ix_customer_overview_shop_revenue",
        "customer_overview",
        ["shop_id", "order_revenue_net", "customer_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_customer_overview_shop_revenue", table_name="customer_overview")
    op.drop_index("ix_customer_overview_shop_orders", table_name="customer_overview")
    op.drop_index("ix_customer_overview_shop_company_desc", table_name="customer_overview")
    op.drop_index("ix_customer_overview_shop_company_asc", table_name="customer_overview")
    op.drop_index(
        "ix_customer_overview_search",
        table_name="customer_overview",
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.drop_column("customer_overview", "search_text")
    op.drop_column("customer_overview", "pays_by_invoice")
    op.drop_column("customer_overview", "b2b")
    op.drop_column("customer_overview", "denied")
    op.drop_column("customer_overview", "group_id")
    op.drop_column("customer_overview", "tax_exempt")
    op.drop_column("customer_overview", "newsletter")
    op.drop_column("customer_overview", "address_country")
    op.drop_column("customer_overview", "registration_number")
    op.drop_column("customer_overview", "vat_number")
    op.drop_column("customer_overview", "phone")
    op.drop_column("customer_overview", "language")
    op.drop_column("customer_overview", "revision")
    op.drop_column("customer_overview", "identity_id")
    op.drop_column("customer_overview", "unpaid_invoices")
    op.drop_table("rate_limits")
    op.drop_index(op.f("ix_overview_groups_shop_id"), table_name="overview_groups")
    op.drop_table("overview_groups")
    op.drop_table("deleted_customers")
    op.drop_index(op.f("ix_customer_sessions_identity_id"), table_name="customer_sessions")
    op.drop_index(op.f("ix_customer_sessions_customer_id"), table_name="customer_sessions")
    op.drop_table("customer_sessions")
