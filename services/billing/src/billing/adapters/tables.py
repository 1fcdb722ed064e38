"""Tables of the billing database: shops, price list, carts (B1), customers as billing knows
them, orders and placements (B2, B3, B5), payments, invoices (B4) and number sequences."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

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
    Column(
        "payment_methods",
        ARRAY(String(20)),
        nullable=False,
        server_default="{card,paypal,bank_transfer,invoice}",
        comment="Payment methods the shop offers (PaymentMethod).",
    ),
    Column(
        "provider_pay_method",
        String(60),
        nullable=False,
        server_default="direct_debit",
        comment="How the partner pays the print provider (revenue export).",
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

customers = Table(
    "customers",
    metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("revision", Integer, nullable=False, comment="Of the last snapshot applied."),
    Column("customer_number", Integer, nullable=False),
    Column("email", String(320), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("language", String(5), nullable=False),
    Column("company", String(200), nullable=True),
    Column("vat_number", String(20), nullable=True),
    Column("address", JSONB, nullable=True, comment="PostalAddress, as the customer gave it."),
    Column("tax_exempt", Boolean, nullable=False),
    Column("pays_by_invoice", Boolean, nullable=False),
    Column("credit_limit", Numeric(14, 2), nullable=False),
    Column("payment_terms_days", Integer, nullable=False),
    Column("risk_level", String(10), nullable=False),
    Column(
        "figures_revision",
        Integer,
        nullable=False,
        server_default="0",
        comment="Revision of the last CustomerBillingChanged published for this customer.",
    ),
    comment="What billing needs about a shop customer, kept from the customers service's events.",
)
Index("ix_customers_shop_id", customers.c.shop_id, customers.c.customer_id)

deleted_customers = Table(
    "deleted_customers",
    metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("pseudonym_id", Uuid, nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=False),
    comment="Deleted customers: a late snapshot never brings them back (A9).",
)

number_sequences = Table(
    "number_sequences",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column("name", String(20), primary_key=True, comment="'order' or 'invoice-<year>'."),
    Column("last_value", Integer, nullable=False),
    comment="Gap-free per-shop numbers: taken by an UPDATE in the transaction that uses them.",
)

placements = Table(
    "placements",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column("idempotency_key", String(200), primary_key=True),
    Column("order_id", Uuid, nullable=False, unique=True),
    Column("cart_id", Uuid, nullable=False),
    Column("customer_id", Uuid, nullable=True),
    Column("voucher_code", String(60), nullable=True),
    Column("state", String(12), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("settled_at", DateTime(timezone=True), nullable=True),
    CheckConstraint("state IN ('pending', 'placed', 'abandoned')", name="state"),
    comment="Placement attempts, committed before the voucher is redeemed: a pending one left "
    "behind by a crash is abandoned by a sweep, which gives the voucher back.",
)
Index(
    "ix_placements_pending",
    placements.c.created_at,
    postgresql_where=text("state = 'pending'"),
)

orders = Table(
    "orders",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), nullable=False),
    Column("order_number", Integer, nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("cart_id", Uuid, nullable=False),
    Column("customer_id", Uuid, nullable=True, comment="NULL: guest, or pseudonymised."),
    Column("customer_number", Integer, nullable=True),
    Column("pseudonym_id", Uuid, nullable=True, comment="Set when the customer was deleted (A9)."),
    Column("guest", Boolean, nullable=False),
    Column("email", String(320), nullable=True),
    Column("first_name", String(100), nullable=True),
    Column("last_name", String(100), nullable=True),
    Column("company", String(200), nullable=True),
    Column("vat_number", String(20), nullable=True),
    Column("language", String(5), nullable=False),
    Column("billing_address", JSONB, nullable=True),
    Column("shipping_address", JSONB, nullable=True),
    Column("payment_method", String(20), nullable=False),
    Column("payment_status", String(20), nullable=False),
    Column("amount_paid", Numeric(14, 2), nullable=False, server_default="0"),
    Column("paid_at", DateTime(timezone=True), nullable=True),
    Column("payment_terms_days", Integer, nullable=False, server_default="0"),
    Column("status", String(20), nullable=False),
    Column("history", JSONB, nullable=False, comment="StatusChange list, oldest first."),
    Column("currency", String(3), nullable=False),
    Column("pricing", JSONB, nullable=False, comment="PricedCart at placement."),
    Column("net_total", Numeric(14, 2), nullable=False),
    Column("vat_total", Numeric(14, 2), nullable=False),
    Column("gross_total", Numeric(14, 2), nullable=False),
    Column("voucher_code", String(60), nullable=True),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    Column("cancelled_at", DateTime(timezone=True), nullable=True),
    Column("cancelled_by", String(10), nullable=True),
    Column("tracking_number", String(100), nullable=True),
    Column("invoice_id", Uuid, nullable=True),
    Column("provider_order_id", String(40), nullable=False),
    Column("wholesale_net", Numeric(14, 2), nullable=False),
    Column("released_at", DateTime(timezone=True), nullable=True),
    Column("provider_invoice_id", String(60), nullable=True),
    Column("provider_invoice_date", Date, nullable=True),
    Column("provider_pay_method", String(60), nullable=True),
    CheckConstraint(
        "status IN ('placed', 'data_received', 'data_checked', 'data_rejected', "
        "'in_production', 'shipped', 'cancelled')",
        name="status",
    ),
    CheckConstraint(
        "payment_status IN ('awaiting_payment', 'paid', 'on_invoice')", name="payment_status"
    ),
    UniqueConstraint("shop_id", "order_number", name="uq_orders_shop_id_order_number"),
    UniqueConstraint("shop_id", "idempotency_key", name="uq_orders_shop_id_idempotency_key"),
    UniqueConstraint("provider_order_id", name="uq_orders_provider_order_id"),
    comment="Shop orders with the prices they were placed at and their provider production order.",
)
Index("ix_orders_shop_placed", orders.c.shop_id, orders.c.placed_at.desc())
Index(
    "ix_orders_shop_customer_placed",
    orders.c.shop_id,
    orders.c.customer_id,
    orders.c.placed_at.desc(),
)

payments = Table(
    "payments",
    metadata,
    Column("payment_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("order_id", Uuid, ForeignKey("orders.order_id"), nullable=False, index=True),
    Column("idempotency_key", String(200), nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("paid_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("shop_id", "idempotency_key", name="uq_payments_shop_id_idempotency_key"),
    comment="Payments reported by the payment provider (recorded, never processed here).",
)

invoices = Table(
    "invoices",
    metadata,
    Column("invoice_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, ForeignKey("shops.shop_id"), nullable=False),
    Column("invoice_number", String(11), nullable=False, comment="'2026-000123'."),
    Column("kind", String(12), nullable=False),
    Column("credited_invoice_id", Uuid, nullable=True),
    Column("order_id", Uuid, ForeignKey("orders.order_id"), nullable=False),
    Column("customer_id", Uuid, nullable=True, comment="NULL: guest, or pseudonymised (A9)."),
    Column("document", JSONB, nullable=False, comment="The Invoice as issued; never changed."),
    Column("net_total", Numeric(14, 2), nullable=False),
    Column("gross_total", Numeric(14, 2), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("issue_date", Date, nullable=False, comment="In the shop's time zone."),
    Column("due_date", Date, nullable=False),
    Column("status", String(10), nullable=False),
    Column("paid_on", Date, nullable=True),
    CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind"),
    CheckConstraint("status IN ('unpaid', 'paid', 'overdue', 'credited')", name="status"),
    UniqueConstraint("shop_id", "invoice_number", name="uq_invoices_shop_id_invoice_number"),
    comment="Issued invoices and credit notes (B4); only status and paid_on ever change.",
)
Index("ix_invoices_shop_issued", invoices.c.shop_id, invoices.c.issued_at.desc())
Index(
    "ix_invoices_shop_customer_status",
    invoices.c.shop_id,
    invoices.c.customer_id,
    invoices.c.status,
)
Index(
    "ix_invoices_shop_issue_date_number",
    invoices.c.shop_id,
    invoices.c.issue_date,
    invoices.c.invoice_number,
)
Index("ix_invoices_order_id", invoices.c.order_id)
Index(
    "ix_invoices_overdue_due",
    invoices.c.due_date,
    postgresql_where=text("status = 'unpaid'"),
)
