"""Invoice PDFs (B4), and the invoice a queued email carries as its attachment.

Existing messages carry no attachment (invoice_id stays NULL).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_documents",
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "customer_id",
            sa.Uuid(),
            nullable=True,
            comment="The buyer's customer id when issued; none for a guest. Only they may download it.",
        ),
        sa.Column(
            "invoice_number", sa.String(length=11), nullable=False, comment="E.g. 2026-000123."
        ),
        sa.Column(
            "kind", sa.String(length=16), nullable=False, comment="'invoice' or 'credit_note'."
        ),
        sa.Column("filename", sa.Text(), nullable=False, comment="E.g. invoice_2026-000123.pdf."),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column(
            "rendered_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('invoice', 'credit_note')", name=op.f("ck_invoice_documents_kind")
        ),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_invoice_documents")),
        comment="Each invoice and credit note as the PDF rendered when it was issued (never changed).",
    )
    op.add_column(
        "messages",
        sa.Column(
            "invoice_id",
            sa.Uuid(),
            nullable=True,
            comment="The invoice PDF this email carries as an attachment; none for most emails.",
        ),
    )
    op.create_foreign_key(
        op.f("fk_messages_invoice_id_invoice_documents"),
        "messages",
        "invoice_documents",
        ["invoice_id"],
        ["invoice_id"],
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_messages_invoice_id_invoice_documents"), "messages", type_="foreignkey"
    )
    op.drop_column("messages", "invoice_id")
    op.drop_table("invoice_documents")
