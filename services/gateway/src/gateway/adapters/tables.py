"""Tables of the gateway database: shops, partner tokens and the customer-overview read model."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Uuid,
)

from service_runtime.tables import new_metadata

metadata = new_metadata()

shops = Table(
    "shops",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column("brand_name", String(120), nullable=False),
    Column("slug", String(140), nullable=False, unique=True),
    Column("default_language", String(5), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("sender_email", String(320), nullable=False),
    Column("verification_mode", String(10), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    comment="Partner shops; the gateway owns them and announces them with ShopOpened.",
)

partner_tokens = Table(
    "partner_tokens",
    metadata,
    Column("token_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), nullable=False),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("label", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    comment="Partner API tokens, each scoped to one shop; only a SHA-256 digest is kept.",
)

customer_overview = Table(
    "customer_overview",
    metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("customer_number", Integer, nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column(
        "sort_name", String(210), nullable=False, comment="'last first', lower-cased, for sorting."
    ),
    Column("company", String(200), nullable=True),
    Column("email", String(320), nullable=False),
    Column("email_verified", Boolean, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("profile_changed_at", DateTime(timezone=True), nullable=False),
    Column("orders_count", Integer, nullable=False, server_default="0"),
    Column("order_revenue_net", Numeric(14, 2), nullable=False, server_default="0"),
    comment="Read model of the partner's customer list, kept from customers/billing events.",
)

Index(
    "ix_customer_overview_shop_number",
    customer_overview.c.shop_id,
    customer_overview.c.customer_number,
    unique=True,
)
Index(
    "ix_customer_overview_shop_name",
    customer_overview.c.shop_id,
    customer_overview.c.sort_name,
    customer_overview.c.customer_id,
)
