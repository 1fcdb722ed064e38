"""Tables of the vouchers database.

``customers`` and ``customer_groups`` are projections of the customers service's events,
plus the pricing columns this service owns (discount, adjustment); ``vouchers`` and
``redemptions`` are this service's own.
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
    PrimaryKeyConstraint,
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
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column(
        "currency",
        String(3),
        nullable=False,
        server_default="EUR",
        comment="ISO 4217 code of the shop's prices, for the texts of voucher refusals.",
    ),
    comment="Shops this service serves; vouchers and adjustments always belong to one.",
)

customers = Table(
    "customers",
    metadata,
    Column("shop_id", Uuid, nullable=False),
    Column("customer_id", Uuid, nullable=False),
    Column("customer_number", Integer, nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("email", String(320), nullable=False),
    Column("group_id", Uuid, nullable=True),
    Column("tax_exempt", Boolean, nullable=False),
    Column("revision", Integer, nullable=False, comment="Snapshot revision last applied."),
    Column(
        "discount_percent",
        Numeric(5, 2),
        nullable=True,
        comment='Personal discount 1-100 (V1); NULL = "Standard".',
    ),
    Column(
        "discount_revision",
        Integer,
        nullable=False,
        server_default="0",
        comment="Grows with every change of the discount (CustomerDiscountChanged.revision).",
    ),
    Column("discount_changed_at", DateTime(timezone=True), nullable=True),
    PrimaryKeyConstraint("shop_id", "customer_id"),
    CheckConstraint(
        "discount_percent IS NULL OR discount_percent BETWEEN 1 AND 100", name="discount_percent"
    ),
    comment="Shop customers as the customers service announces them, with their discount.",
)

customer_groups = Table(
    "customer_groups",
    metadata,
    Column("shop_id", Uuid, nullable=False),
    Column("group_id", Uuid, nullable=False),
    Column("name", String(100), nullable=False),
    Column("system_key", String(20), nullable=True, comment="visitor, guest or customer."),
    Column(
        "adjustment_percent",
        Numeric(5, 2),
        nullable=False,
        server_default="0",
        comment="V3: negative lowers product prices, positive raises them.",
    ),
    Column(
        "changed_at",
        DateTime(timezone=True),
        nullable=False,
        comment="CustomerGroupChanged.changed_at last applied: an older rename never wins.",
    ),
    PrimaryKeyConstraint("shop_id", "group_id"),
    CheckConstraint("adjustment_percent BETWEEN -100 AND 100", name="adjustment_percent"),
    comment="Customer groups as the customers service announces them, with their adjustment.",
)

deleted_records = Table(
    "deleted_records",
    metadata,
    Column("shop_id", Uuid, nullable=False),
    Column("record_id", Uuid, nullable=False, comment="A customer_id or a group_id."),
    Column("kind", String(10), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("shop_id", "record_id"),
    CheckConstraint("kind IN ('customer', 'group')", name="kind"),
    comment="Customers and groups deleted upstream: a late snapshot never brings them back.",
)

vouchers = Table(
    "vouchers",
    metadata,
    Column("voucher_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("code", String(40), nullable=False, comment="Upper-case; unique per shop."),
    Column("kind", String(10), nullable=False),
    Column("value", Numeric(12, 2), nullable=False, comment="Percent or amount, per kind."),
    Column("min_order_value", Numeric(14, 2), nullable=False),
    Column("valid_from", DateTime(timezone=True), nullable=True),
    Column("valid_until", DateTime(timezone=True), nullable=True),
    Column("redemption_limit", Integer, nullable=False),
    Column(
        "use_count",
        Integer,
        nullable=False,
        server_default="0",
        comment="Live redemptions; only ever changed by one atomic UPDATE.",
    ),
    Column("customer_id", Uuid, nullable=True, comment="Only this customer may use it."),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("shop_id", "code"),
    CheckConstraint("kind IN ('percent', 'fixed')", name="kind"),
    CheckConstraint("use_count >= 0 AND use_count <= redemption_limit", name="use_count"),
    comment="Voucher codes of a shop (V4) with their terms and use counts.",
)
Index(
    "ix_vouchers_shop_id_created_at_voucher_id",
    vouchers.c.shop_id,
    vouchers.c.created_at,
    vouchers.c.voucher_id,
)
Index("ix_vouchers_shop_id_customer_id", vouchers.c.shop_id, vouchers.c.customer_id)

redemptions = Table(
    "redemptions",
    metadata,
    Column("shop_id", Uuid, nullable=False),
    Column("order_id", Uuid, nullable=False),
    Column("voucher_id", Uuid, ForeignKey("vouchers.voucher_id"), nullable=False),
    Column("customer_id", Uuid, nullable=True),
    Column("redeemed_at", DateTime(timezone=True), nullable=False),
    Column(
        "released_at",
        DateTime(timezone=True),
        nullable=True,
        comment="Set when the order gave the code back; NULL while the order holds it.",
    ),
    PrimaryKeyConstraint("shop_id", "order_id"),
    comment="Which order holds which voucher code; one per order.",
)
Index("ix_redemptions_voucher_id", redemptions.c.voucher_id)
