"""Tables of the billing database: shops, the price list and carts (B1)."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from service_runtime.tables import new_metadata

metadata = new_metadata()

shops = Table(
    "shops",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("default_language", String(5), nullable=False),
    Column(
        "abandon_after_hours",
        Integer,
        nullable=False,
        server_default="24",
        comment="Hours without activity before a cart with lines is abandoned.",
    ),
    comment="Shops this service bills for, with the currency and time zone of their documents.",
)

products = Table(
    "products",
    metadata,
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), primary_key=True),
    Column("sku", String(64), primary_key=True, comment="Compared exactly (case-sensitive)."),
    Column("names", JSONB, nullable=False, comment="Name per language: {en, fr, de}."),
    Column("unit_net", Numeric(14, 4), nullable=False),
    Column("wholesale_unit_cost", Numeric(14, 4), nullable=False),
    Column("vat_rate", Numeric(5, 2), nullable=False),
    Column(
        "production_options",
        JSONB,
        nullable=False,
        comment="Ordered list of {code, names, surcharge_unit_net}; the first is the default.",
    ),
    Column("min_quantity", Integer, nullable=False),
    Column("max_quantity", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    comment="The shop's price list: products of the provider's range at the shop's prices.",
)

shipping_options = Table(
    "shipping_options",
    metadata,
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("names", JSONB, nullable=False, comment="Name per language: {en, fr, de}."),
    Column("net", Numeric(14, 2), nullable=False),
    Column("vat_rate", Numeric(5, 2), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    comment="Shipping options a storefront offers at checkout.",
)

carts = Table(
    "carts",
    metadata,
    Column("cart_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), nullable=False),
    Column("customer_id", Uuid, nullable=True, comment="NULL: an anonymous visitor's cart."),
    Column("status", String(10), nullable=False),
    Column("language", String(5), nullable=False),
    Column("shipping_option", String(40), nullable=True),
    Column("voucher_code", String(60), nullable=True, comment="Upper-case, as applied."),
    Column("line_count", Integer, nullable=False),
    Column("net_total", Numeric(14, 2), nullable=False, comment="From the last pricing."),
    Column("gross_total", Numeric(14, 2), nullable=False, comment="From the last pricing."),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_activity_at", DateTime(timezone=True), nullable=False),
    Column("abandoned_at", DateTime(timezone=True), nullable=True),
    CheckConstraint("status IN ('open', 'abandoned', 'ordered')", name="status"),
    comment="Storefront carts; totals are kept for summaries and the abandonment event.",
)

Index("ix_carts_shop_id_customer_id", carts.c.shop_id, carts.c.customer_id)
Index(
    "ix_carts_abandonment_due",
    carts.c.last_activity_at,
    postgresql_where=text("status = 'open' AND line_count > 0"),
)

cart_lines = Table(
    "cart_lines",
    metadata,
    Column("cart_id", Uuid, primary_key=True),
    Column("line_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("production_option", String(40), nullable=False),
    Column("position", Integer, nullable=False, comment="Lines stay in the order added."),
    ForeignKeyConstraint(["cart_id"], ["carts.cart_id"], ondelete="CASCADE"),
    comment="The lines of a cart: a product, its quantity and production option.",
)
