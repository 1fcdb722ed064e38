"""Invoice documents rendered off the event path: a document is stored pending, with the invoice
it shows, and a background worker renders its PDF (retrying with backoff when that fails).

Existing documents are rendered already and stay as they are.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE_COMMENT = (
    "Each invoice and credit note: pending until rendered, then its PDF (never changed)."
)
OLD_TABLE_COMMENT = (
    "Each invoice and credit note as the PDF rendered when it was issued (never changed)."
)


def upgrade() -> None:
    op.alter_column(
        "invoice_documents",
        "pdf",
        existing_type=sa.LargeBinary(),
        nullable=True,
        comment="None until the rendering worker made it.",
    )
    op.alter_column(
        "invoice_documents",
        "rendered_at",
        existing_type=sa.DateTime(timezone=True),
        nullable=True,
        server_default=None,
    )
    op.add_column(
        "invoice_documents",
        sa.Column(
            "invoice",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="The issued invoice as its event carried it, kept until the PDF is rendered.",
        ),
    )
    op.add_column(
        "invoice_documents",
        sa.Column(
            "render_attempts",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="Failed rendering attempts so far.",
        ),
    )
    op.add_column(
        "invoice_documents",
        sa.Column(
            "next_render_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
            comment="A pending document is rendered once this moment has passed.",
        ),
    )
    op.add_column(
        "invoice_documents",
        sa.Column(
            "render_error",
            sa.Text(),
            nullable=True,
            comment="Why the last rendering attempt failed.",
        ),
    )
    op.create_check_constraint(
        op.f("ck_invoice_documents_render_attempts"), "invoice_documents", "render_attempts >= 0"
    )
    op.create_check_constraint(
        op.f("ck_invoice_documents_pending_or_rendered"),
        "invoice_documents",
        "(pdf IS NULL AND rendered_at IS NULL AND invoice IS NOT NULL)"
        " OR (pdf IS NOT NULL AND rendered_at IS NOT NULL AND invoice IS NULL)",
    )
    op.create_index(
        op.f("ix_invoice_documents_next_render_at"),
        "invoice_documents",
        ["next_render_at"],
        postgresql_where=sa.text("rendered_at IS NULL"),
    )
    op.create_table_comment("invoice_documents", TABLE_COMMENT, existing_comment=OLD_TABLE_COMMENT)


def downgrade() -> None:
    """Refused while documents wait for rendering: 0004 has no place for them, and dropping
    them would lose issued invoices and their queued emails. Let the 0005 service render
    them first."""
    pending = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM invoice_documents WHERE pdf IS NULL"))
        .scalar_one()
    )
    if pending:
        raise RuntimeError(
            f"{pending} invoice documents are not rendered yet: run the notifier at revision "
            "0005 until they are, then downgrade"
        )
    op.create_table_comment("invoice_documents", OLD_TABLE_COMMENT, existing_comment=TABLE_COMMENT)
    op.drop_index(op.f("ix_invoice_documents_next_render_at"), table_name="invoice_documents")
    op.drop_constraint(
        op.f("ck_invoice_documents_pending_or_rendered"), "invoice_documents", type_="check"
    )
    op.drop_constraint(
        op.f("ck_invoice_documents_render_attempts"), "invoice_documents", type_="check"
    )
    op.drop_column("invoice_documents", "render_error")
    op.drop_column("invoice_documents", "next_render_at")
    op.drop_column("invoice_documents", "render_attempts")
    op.drop_column("invoice_documents", "invoice")
    op.alter_column(
        "invoice_documents",
        "rendered_at",
        existing_type=sa.DateTime(timezone=True),
        nullable=False,
        server_default=sa.text("now()"),
    )
    op.alter_column(
        "invoice_documents",
        "pdf",
        existing_type=sa.LargeBinary(),
        nullable=False,
        comment=None,
        existing_comment="None until the rendering worker made it.",
    )
