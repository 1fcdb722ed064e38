"""Customer discounts and the "SC" marker in the overview (V1, V2).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_discounts",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "discount_percent",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment="NULL = Standard.",
        ),
        sa.Column("special_condition", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "revision",
            sa.Integer(),
            nullable=False,
            comment="Revision of the last CustomerDiscountChanged applied; older ones are ignored.",
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_discounts")),
        comment="Customer discounts (from CustomerDiscountChanged), whichever of a customer's "
        "events comes first: a row added to the overview later takes its discount from here.",
    )
    op.add_column(
        "customer_overview",
        sa.Column(
            "discount_percent",
            sa.Numeric(precision=5, scale=2),
            nullable=True,
            comment="Personal discount (V1) from the vouchers service; NULL = Standard.",
        ),
    )
    op.add_column(
        "customer_overview",
        sa.Column(
            "special_condition",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="The 'SC' marker (V2): the customer has a custom discount.",
        ),
    )
    op.create_index(
        "ix_customer_overview_shop_sc",
        "customer_overview",
        ["shop_id", "customer_number"],
        unique=False,
        postgresql_where=sa.text("special_condition"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_customer_overview_shop_sc",
        table_name="customer_overview",
        postgresql_where=sa.text("special_condition"),
    )
    op.drop_column("customer_overview", "special_condition")
    op.drop_column("customer_overview", "discount_percent")
    op.drop_table("customer_discounts")
