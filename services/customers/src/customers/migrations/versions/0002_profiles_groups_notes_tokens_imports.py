"""Profiles move to identities; groups, notes, one-time tokens, email changes, CSV imports.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_groups",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "name_key",
            sa.String(length=100),
            nullable=False,
            comment="lower(name): unique per shop.",
        ),
        sa.Column(
            "system_key", sa.String(length=20), nullable=True, comment="visitor, guest or customer."
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_customer_groups_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_customer_groups")),
        sa.UniqueConstraint(
            "shop_id", "name_key", name=op.f("uq_customer_groups_shop_id_name_key")
        ),
        comment="Customer groups of a shop (P6); every shop starts with Visitor, Guest, Customer.",
    )
    op.create_table(
        "customer_imports",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), server_default="0", nullable=False),
        sa.Column("bad_rows", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.shop_id"], name=op.f("fk_customer_imports_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("import_id", name=op.f("pk_customer_imports")),
        comment="CSV imports being staged (P9); removed when finished, or when abandoned.",
    )
    op.create_table(
        "import_errors",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("column_name", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["customer_imports.import_id"],
            name=op.f("fk_import_errors_import_id_customer_imports"),
            ondelete="CASCADE",
        ),
        comment="Bad cells of a staged import, reported by line number and column.",
    )
    op.create_index(
        "ix_import_errors_import_id_line", "import_errors", ["import_id", "line"], unique=False
    )
    op.create_table(
        "import_rows",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column(
            "fields",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="Normalised values of the cells the row sets.",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["customer_imports.import_id"],
            name=op.f("fk_import_rows_import_id_customer_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "line", name=op.f("pk_import_rows")),
        comment="Checked rows of a staged import, applied together when the import finishes.",
    )
    op.create_table(
        "account_tokens",
        sa.Column(
            "token_digest", sa.String(length=64), nullable=False, comment="SHA-256 of the token."
        ),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('password_reset', 'invitation')", name=op.f("ck_account_tokens_purpose")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["shop_customers.customer_id"],
            name=op.f("fk_account_tokens_customer_id_shop_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_digest", name=op.f("pk_account_tokens")),
        comment="One-time links (A4 reset, P1 invitation); only a digest is kept.",
    )
    op.create_index(
        "ix_account_tokens_customer_id", "account_tokens", ["customer_id"], unique=False
    )
    op.create_table(
        "customer_notes",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["shop_customers.customer_id"],
            name=op.f("fk_customer_notes_customer_id_shop_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_customer_notes")),
        comment="The partner's private notes on a customer (P5).",
    )
    op.create_index(
        "ix_customer_notes_customer_id",
        "customer_notes",
        ["customer_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "email_change_codes",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("new_email", sa.String(length=320), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wrong_tries", sa.Integer(), server_default="0", nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["shop_customers.customer_id"],
            name=op.f("fk_email_change_codes_customer_id_shop_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_email_change_codes")),
        comment="A pending email change (A5): the code sent to the new address, as an HMAC only.",
    )
    op.add_column("identities", sa.Column("first_name", sa.String(length=100), nullable=True))
    op.add_column("identities", sa.Column("last_name", sa.String(length=100), nullable=True))
    op.add_column("identities", sa.Column("language", sa.String(length=5), nullable=True))
    op.add_column(
        "identities", sa.Column("phone", sa.String(length=20), nullable=True, comment="E.164.")
    )
    op.add_column("identities", sa.Column("address_line1", sa.String(length=200), nullable=True))
    op.add_column("identities", sa.Column("address_line2", sa.String(length=200), nullable=True))
    op.add_column("identities", sa.Column("address_postcode", sa.String(length=20), nullable=True))
    op.add_column("identities", sa.Column("address_city", sa.String(length=100), nullable=True))
    op.add_column("identities", sa.Column("address_region", sa.String(length=100), nullable=True))
    op.add_column(
        "identities",
        sa.Column(
            "address_country", sa.String(length=2), nullable=True, comment="ISO 3166-1 alpha-2."
        ),
    )
    op.add_column("identities", sa.Column("company", sa.String(length=200), nullable=True))
    op.add_column(
        "identities",
        sa.Column(
            "vat_number", sa.String(length=20), nullable=True, comment="Compact form, validated."
        ),
    )
    op.add_column(
        "identities", sa.Column("registration_number", sa.String(length=40), nullable=True)
    )
    op.add_column(
        "identities", sa.Column("profile_changed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "identities", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "identities",
        sa.Column(
            "first_failed_login_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="Start of the current window of failed logins (A3).",
        ),
    )
    op.add_column(
        "identities", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True)
    )
    op.alter_column(
        "identities",
        "password_hash",
        existing_type=sa.VARCHAR(length=200),
        nullable=True,
        comment="argon2id; NULL until an invited or imported person sets a password.",
    )
    op.create_table_comment(
        "identities",
        "A person's global login and profile (A6): one per email across all shops.",
        existing_comment="A person's global login (A6): one per email across all shops.",
        schema=None,
    )
    op.add_column(
        "shop_customers",
        sa.Column("source", sa.String(length=20), server_default="storefront", nullable=False),
    )
    op.add_column(
        "shop_customers", sa.Column("revision", sa.Integer(), server_default="1", nullable=False)
    )
    op.add_column(
        "shop_customers",
        sa.Column("newsletter", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column(
        "shop_customers",
        sa.Column("newsletter_consent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "shop_customers",
        sa.Column("tax_exempt", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column("shop_customers", sa.Column("group_id", sa.Uuid(), nullable=True))
    op.add_column(
        "shop_customers", sa.Column("denied", sa.Boolean(), server_default="false", nullable=False)
    )
    op.add_column(
        "shop_customers",
        sa.Column(
            "credit_limit", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False
        ),
    )
    op.add_column(
        "shop_customers",
        sa.Column("payment_terms_days", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "shop_customers",
        sa.Column("risk_level", sa.String(length=10), server_default="none", nullable=False),
    )
    op.add_column(
        "shop_customers",
        sa.Column("pays_by_invoice", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column(
        "shop_customers", sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index("ix_shop_customers_group_id", "shop_customers", ["group_id"], unique=False)
    op.create_index(
        "ix_shop_customers_identity_id", "shop_customers", ["identity_id"], unique=False
    )
    op.create_foreign_key(
        op.f("fk_shop_customers_group_id_customer_groups"),
        "shop_customers",
        "customer_groups",
        ["group_id"],
        ["group_id"],
        ondelete="SET NULL",
    )
    op.create_table_comment(
        "shop_customers",
        "A person's record in one shop: number, consent, group, B2B terms, denied.",
        existing_comment="A person's record in one shop, with the shop's customer number.",
        schema=None,
    )
    op.execute(
        "UPDATE identities i SET first_name = c.first_name, last_name = c.last_name,"
        " language = c.language, profile_changed_at = c.updated_at"
        " FROM shop_customers c WHERE c.identity_id = i.identity_id"
    )
    op.execute(
        "UPDATE identities SET profile_changed_at = created_at WHERE profile_changed_at IS NULL"
    )
    for column in ("first_name", "last_name", "language", "profile_changed_at"):
        op.alter_column("identities", column, nullable=False)
    op.execute(
        "INSERT INTO customer_groups (group_id, shop_id, name, name_key, system_key, created_at)"
        " SELECT gen_random_uuid(), s.shop_id, g.name, lower(g.name), g.key, now()"
        " FROM shops s CROSS JOIN (VALUES ('Visitor', 'visitor'), ('Guest', 'guest'),"
        " ('Customer', 'customer')) AS g(name, key)"
    )
    op.drop_column("shop_customers", "last_name")
    op.drop_column("shop_customers", "language")
    op.drop_column("shop_customers", "first_name")
    op.drop_constraint(
        op.f("fk_verification_codes_customer_id_shop_customers"),
        "verification_codes",
        type_="foreignkey",
    )
    op.create_foreign_key(
        op.f("fk_verification_codes_customer_id_shop_customers"),
        "verification_codes",
        "shop_customers",
        ["customer_id"],
        ["customer_id"],
        ondelete="CASCADE",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_verification_codes_customer_id_shop_customers"),
        "verification_codes",
        type_="foreignkey",
    )
    op.create_foreign_key(
        op.f("fk_verification_codes_customer_id_shop_customers"),
        "verification_codes",
        "shop_customers",
        ["customer_id"],
        ["customer_id"],
    )
    op.add_column("shop_customers", sa.Column("first_name", sa.VARCHAR(length=100), nullable=True))
    op.add_column("shop_customers", sa.Column("language", sa.VARCHAR(length=5), nullable=True))
    op.add_column("shop_customers", sa.Column("last_name", sa.VARCHAR(length=100), nullable=True))
    op.execute(
        "UPDATE shop_customers c SET first_name = i.first_name, last_name = i.last_name,"
        " language = i.language FROM identities i WHERE c.identity_id = i.identity_id"
    )
    for column in ("first_name", "last_name", "language"):
        op.alter_column("shop_customers", column, nullable=False)
    op.create_table_comment(
        "shop_customers",
        "A person's record in one shop, with the shop's customer number.",
        existing_comment="A person's record in one shop: number, consent, group, B2B terms, denied.",
        schema=None,
    )
    op.drop_constraint(
        op.f("fk_shop_customers_group_id_customer_groups"), "shop_customers", type_="foreignkey"
    )
    op.drop_index("ix_shop_customers_identity_id", table_name="shop_customers")
    op.drop_index("ix_shop_customers_group_id", table_name="shop_customers")
    op.drop_column("shop_customers", "last_login_at")
    op.drop_column("shop_customers", "pays_by_invoice")
    op.drop_column("shop_customers", "risk_level")
    op.drop_column("shop_customers", "payment_terms_days")
    op.drop_column("shop_customers", "credit_limit")
    op.drop_column("shop_customers", "denied")
    op.drop_column("shop_customers", "group_id")
    op.drop_column("shop_customers", "tax_exempt")
    op.drop_column("shop_customers", "newsletter_consent_at")
    op.drop_column("shop_customers", "newsletter")
    op.drop_column("shop_customers", "revision")
    op.drop_column("shop_customers", "source")
    op.create_table_comment(
        "identities",
        "A person's global login (A6): one per email across all shops.",
        existing_comment="A person's global login and profile (A6): one per email across all shops.",
        schema=None,
    )
    op.alter_column(
        "identities",
        "password_hash",
        existing_type=sa.VARCHAR(length=200),
        nullable=False,
        comment=None,
        existing_comment="argon2id; NULL until an invited or imported person sets a password.",
    )
    op.drop_column("identities", "locked_until")
    op.drop_column("identities", "first_failed_login_at")
    op.drop_column("identities", "failed_logins")
    op.drop_column("identities", "profile_changed_at")
    op.drop_column("identities", "registration_number")
    op.drop_column("identities", "vat_number")
    op.drop_column("identities", "company")
    op.drop_column("identities", "address_country")
    op.drop_column("identities", "address_region")
    op.drop_column("identities", "address_city")
    op.drop_column("identities", "address_postcode")
    op.drop_column("identities", "address_line2")
    op.drop_column("identities", "address_line1")
    op.drop_column("identities", "phone")
    op.drop_column("identities", "language")
    op.drop_column("identities", "last_name")
    op.drop_column("identities", "first_name")
    op.drop_table("email_change_codes")
    op.drop_index("ix_customer_notes_customer_id", table_name="customer_notes")
    op.drop_table("customer_notes")
    op.drop_index("ix_account_tokens_customer_id", table_name="account_tokens")
    op.drop_table("account_tokens")
    op.drop_table("import_rows")
    op.drop_index("ix_import_errors_import_id_line", table_name="import_errors")
    op.drop_table("import_errors")
    op.drop_table("customer_imports")
    op.drop_table("customer_groups")
