"""Tables of the customers database.

A person's identity (login and profile) is global; their record in a shop (number, consent,
group, B2B terms, denied) is per shop (A6, A7).
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB

from service_runtime.tables import new_metadata

metadata = new_metadata()

shops = Table(
    "shops",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column("verification_mode", String(10), nullable=False),
    Column("default_language", String(5), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    comment="Shops known from ShopOpened, with their account settings.",
)

identities = Table(
    "identities",
    metadata,
    Column("identity_id", Uuid, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column(
        "password_hash",
        String(200),
        nullable=True,
        comment="argon2id; NULL until an invited or imported person sets a password.",
    ),
    Column("email_verified_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("language", String(5), nullable=False),
    Column("phone", String(20), nullable=True, comment="E.164."),
    Column("address_line1", String(200), nullable=True),
    Column("address_line2", String(200), nullable=True),
    Column("address_postcode", String(20), nullable=True),
    Column("address_city", String(100), nullable=True),
    Column("address_region", String(100), nullable=True),
    Column("address_country", String(2), nullable=True, comment="ISO 3166-1 alpha-2."),
    Column("company", String(200), nullable=True),
    Column("vat_number", String(20), nullable=True, comment="Compact form, validated."),
    Column("registration_number", String(40), nullable=True),
    Column("profile_changed_at", DateTime(timezone=True), nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column(
        "first_failed_login_at",
        DateTime(timezone=True),
        nullable=True,
        comment="Start of the current window of failed logins (A3).",
    ),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    comment="A person's global login and profile (A6): one per email across all shops.",
)

customer_groups = Table(
    "customer_groups",
    metadata,
    Column("group_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("name_key", String(100), nullable=False, comment="lower(name): unique per shop."),
    Column("system_key", String(20), nullable=True, comment="visitor, guest or customer."),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("shop_id", "name_key"),
    comment="Customer groups of a shop (P6); every shop starts with Visitor, Guest, Customer.",
)

shop_customers = Table(
    "shop_customers",
    metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), nullable=False),
    Column("identity_id", Uuid, ForeignKey("identities.identity_id"), nullable=False),
    Column("customer_number", Integer, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("source", String(20), nullable=False, server_default="storefront"),
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("newsletter", Boolean, nullable=False, server_default="false"),
    Column("newsletter_consent_at", DateTime(timezone=True), nullable=True),
    Column("tax_exempt", Boolean, nullable=False, server_default="false"),
    Column(
        "group_id",
        Uuid,
        ForeignKey("customer_groups.group_id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("denied", Boolean, nullable=False, server_default="false"),
    Column("credit_limit", Numeric(14, 2), nullable=False, server_default="0"),
    Column("payment_terms_days", Integer, nullable=False, server_default="0"),
    Column("risk_level", String(10), nullable=False, server_default="none"),
    Column("pays_by_invoice", Boolean, nullable=False, server_default="false"),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("shop_id", "customer_number"),
    UniqueConstraint("shop_id", "identity_id"),
    CheckConstraint("risk_level IN ('none', 'low', 'medium', 'high')", name="risk_level"),
    comment="A person's record in one shop: number, consent, group, B2B terms, denied.",
)
Index("ix_shop_customers_identity_id", shop_customers.c.identity_id)
Index("ix_shop_customers_group_id", shop_customers.c.group_id)

customer_number_counters = Table(
    "customer_number_counters",
    metadata,
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), primary_key=True),
    Column("last_number", Integer, nullable=False),
    comment="Last customer number given per shop; incremented in the registering transaction.",
)

verification_codes = Table(
    "verification_codes",
    metadata,
    Column(
        "customer_id",
        Uuid,
        ForeignKey("shop_customers.customer_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("code_digest", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("wrong_tries", Integer, nullable=False, default=0),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    comment="The open email verification code of a customer, stored as an HMAC only.",
)

email_change_codes = Table(
    "email_change_codes",
    metadata,
    Column(
        "customer_id",
        Uuid,
        ForeignKey("shop_customers.customer_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("new_email", String(320), nullable=False),
    Column("code_digest", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("wrong_tries", Integer, nullable=False, server_default="0"),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    comment="A pending email change (A5): the code sent to the new address, as an HMAC only.",
)

account_tokens = Table(
    "account_tokens",
    metadata,
    Column("token_digest", String(64), primary_key=True, comment="SHA-256 of the token."),
    Column("purpose", String(20), nullable=False),
    Column(
        "customer_id",
        Uuid,
        ForeignKey("shop_customers.customer_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("shop_id", Uuid, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    CheckConstraint("purpose IN ('password_reset', 'invitation')", name="purpose"),
    comment="One-time links (A4 reset, P1 invitation); only a digest is kept.",
)
Index("ix_account_tokens_customer_id", account_tokens.c.customer_id)

customer_notes = Table(
    "customer_notes",
    metadata,
    Column("note_id", Uuid, primary_key=True),
    Column(
        "customer_id",
        Uuid,
        ForeignKey("shop_customers.customer_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("shop_id", Uuid, nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="The partner's private notes on a customer (P5).",
)
Index("ix_customer_notes_customer_id", customer_notes.c.customer_id, customer_notes.c.created_at)

customer_imports = Table(
    "customer_imports",
    metadata,
    Column("import_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("rows", Integer, nullable=False, server_default="0"),
    Column("bad_rows", Integer, nullable=False, server_default="0"),
    comment="CSV imports being staged (P9); removed when finished, or when abandoned.",
)

import_rows = Table(
    "import_rows",
    metadata,
    Column(
        "import_id",
        Uuid,
        ForeignKey("customer_imports.import_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("line", Integer, primary_key=True),
    Column("email", String(320), nullable=False),
    Column("fields", JSONB, nullable=False, comment="Normalised values of the cells the row sets."),
    comment="Checked rows of a staged import, applied together when the import finishes.",
)

import_errors = Table(
    "import_errors",
    metadata,
    Column(
        "import_id",
        Uuid,
        ForeignKey("customer_imports.import_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("line", Integer, nullable=False),
    Column("column_name", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    comment="Bad cells of a staged import, reported by line number and column.",
)
Index("ix_import_errors_import_id_line", import_errors.c.import_id, import_errors.c.line)
