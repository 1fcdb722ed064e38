"""Tables of the customers database."""

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)

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
    Column("password_hash", String(200), nullable=False),
    Column("email_verified_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="A person's global login (A6): one per email across all shops.",
)

shop_customers = Table(
    "shop_customers",
    metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), nullable=False),
    Column("identity_id", Uuid, ForeignKey("identities.identity_id"), nullable=False),
    Column("customer_number", Integer, nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("language", String(5), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("shop_id", "customer_number"),
    UniqueConstraint("shop_id", "identity_id"),
    comment="A person's record in one shop, with the shop's customer number.",
)

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
    Column("customer_id", Uuid, ForeignKey("shop_customers.customer_id"), primary_key=True),
    Column("code_digest", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("wrong_tries", Integer, nullable=False, default=0),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    comment="The open email verification code of a customer, stored as an HMAC only.",
)
