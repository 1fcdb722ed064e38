"""System change report addresses (V6) next to the partner addresses, and each shop's currency.

Existing shops get no report addresses (no reports until the partner names some, as new shops)
and the currency EUR, the platform's default, until a newer ShopOpened states another.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "partner_copy_settings",
        sa.Column(
            "report_addresses",
            postgresql.ARRAY(sa.Text()),
            server_default="{}",
            nullable=False,
            comment="Where system change reports go (V6); empty: no reports are sent.",
        ),
    )
    op.create_check_constraint(
        op.f("ck_partner_copy_settings_report_addresses"),
        "partner_copy_settings",
        "cardinality(report_addresses) <= 20",
    )
    op.add_column(
        "shop_brands",
        sa.Column(
            "currency",
            sa.String(length=3),
            server_default="EUR",
            nullable=False,
            comment="ISO 4217 code of the shop's prices; amounts in partner reports are in it.",
        ),
    )


def downgrade() -> None:
    op.drop_column("shop_brands", "currency")
    op.drop_constraint(
        op.f("ck_partner_copy_settings_report_addresses"), "partner_copy_settings", type_="check"
    )
    op.drop_column("partner_copy_settings", "report_addresses")
