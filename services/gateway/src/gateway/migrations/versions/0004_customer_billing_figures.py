"""Customers' billing figures (B7, P7) and the overview's "unpaid invoices" filter (P8).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_billing_figures",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("orders_count", sa.Integer(), nullable=False, comment="Orders not cancelled."),
        sa.Column(
            "order_revenue_net",
            sa.Numeric(precision=14, scale=2),
            nullable=False,
            comment="Net total of orders not cancelled.",
        ),
        sa.Column(
            "unpaid_invoices",
            sa.Integer(),
            nullable=False,
            comment="Unpaid and overdue invoices.",
        ),
        sa.Column("unpaid_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "outstanding",
            sa.Numeric(precision=14, scale=2),
            nullable=False,
            comment="Unpaid invoices plus orders on invoice not invoiced yet.",
        ),
        sa.Column("credit_limit", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "revision",
            sa.Integer(),
            nullable=False,
            comment="Revision of the last CustomerBillingChanged applied; older ones are ignored.",
        ),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_billing_figures")),
        comment="Customers' order and invoice figures (from CustomerBillingChanged), whichever of "
        "a customer's events comes first: a row added to the overview later takes its figures "
        "from here; the customer sheet shows them.",
    )
    op.create_index(
        "ix_customer_overview_shop_unpaid",
        "customer_overview",
        ["shop_id", "customer_number"],
        unique=False,
        postgresql_where=sa.text("unpaid_invoices > 0"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_customer_overview_shop_unpaid",
        table_name="customer_overview",
        postgresql_where=sa.text("unpaid_invoices > 0"),
    )
    op.drop_table("customer_billing_figures")
