"""Tables of the gateway database: shops, tokens, sessions, throttles and the overview read model."""

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
    Text,
    Uuid,
    literal_column,
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
    Column(
        "unpaid_invoices",
        Integer,
        nullable=False,
        server_default="0",
        comment="Open invoices (from billing, later): the red '(N unpaid)'.",
    ),
    Column("identity_id", Uuid, nullable=True),
    Column(
        "revision",
        Integer,
        nullable=False,
        server_default="0",
        comment="Revision of the last CustomerChanged applied; older ones are ignored.",
    ),
    Column("language", String(5), nullable=True),
    Column("phone", String(20), nullable=True),
    Column("vat_number", String(20), nullable=True),
    Column("registration_number", String(40), nullable=True),
    Column("address_country", String(2), nullable=True),
    Column("newsletter", Boolean, nullable=False, server_default="false"),
    Column("tax_exempt", Boolean, nullable=False, server_default="false"),
    Column("group_id", Uuid, nullable=True),
    Column("denied", Boolean, nullable=False, server_default="false"),
    Column(
        "b2b",
        Boolean,
        nullable=False,
        server_default="false",
        comment="Has business data (company or VAT number): the B2B filter.",
    ),
    Column("pays_by_invoice", Boolean, nullable=False, server_default="false"),
    Column(
        "search_text",
        Text,
        nullable=False,
        server_default="",
        comment="Lower-cased number, names, email and company, trigram-indexed for search.",
    ),
    Column(
        "discount_percent",
        Numeric(5, 2),
        nullable=True,
        comment="Personal discount (V1) from the vouchers service; NULL = Standard.",
    ),
    Column(
        "special_condition",
        Boolean,
        nullable=False,
        server_default="false",
        comment="The 'SC' marker (V2): the customer has a custom discount.",
    ),
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
Index(
    "ix_customer_overview_shop_company_asc",
    customer_overview.c.shop_id,
    customer_overview.c.company.asc().nulls_last(),
    customer_overview.c.customer_id,
)
Index(
    "ix_customer_overview_shop_company_desc",
    customer_overview.c.shop_id,
    customer_overview.c.company.desc().nulls_last(),
    customer_overview.c.customer_id.desc(),
)
Index(
    "ix_customer_overview_shop_orders",
    customer_overview.c.shop_id,
    customer_overview.c.orders_count,
    customer_overview.c.customer_id,
)
Index(
    "ix_customer_overview_shop_revenue",
    customer_overview.c.shop_id,
    customer_overview.c.order_revenue_net,
    customer_overview.c.customer_id,
)
Index(
    "ix_customer_overview_shop_sc",
    customer_overview.c.shop_id,
    customer_overview.c.customer_number,
    postgresql_where=customer_overview.c.special_condition,
)
Index(
    "ix_customer_overview_shop_unpaid",
    customer_overview.c.shop_id,
    customer_overview.c.customer_number,
    postgresql_where=customer_overview.c.unpaid_invoices > literal_column("0"),
)
Index(
    "ix_customer_overview_search",
    customer_overview.c.search_text,
    postgresql_using="gin",
    postgresql_ops={"search_text": "gin_trgm_ops"},
)

overview_shop_totals = Table(
    "overview_shop_totals",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column(
        "customers",
        Integer,
        nullable=False,
        comment="Rows of the shop in customer_overview, changed in the same transactions.",
    ),
    comment="The unfiltered overview's pager total: one key read instead of counting 100,000 "
    "index entries on every page.",
)

overview_groups = Table(
    "overview_groups",
    metadata,
    Column("group_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("system_key", String(20), nullable=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    comment="Customer groups by shop (from CustomerGroupChanged), to show and filter by name.",
)

deleted_customers = Table(
    "deleted_customers",
    metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=False),
    comment="Tombstones: a late CustomerChanged never brings a deleted customer back.",
)

customer_discounts = Table(
    "customer_discounts",
    metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("discount_percent", Numeric(5, 2), nullable=True, comment="NULL = Standard."),
    Column("special_condition", Boolean, nullable=False, server_default="false"),
    Column(
        "revision",
        Integer,
        nullable=False,
        comment="Revision of the last CustomerDiscountChanged applied; older ones are ignored.",
    ),
    comment="Customer discounts (from CustomerDiscountChanged), whichever of a customer's "
    "events comes first: a row added to the overview later takes its discount from here.",
)

customer_billing_figures = Table(
    "customer_billing_figures",
    metadata,
    Column("customer_id", Uuid, primary_key=True),
    Column("shop_id", Uuid, nullable=False),
    Column("orders_count", Integer, nullable=False, comment="Orders not cancelled."),
    Column(
        "order_revenue_net",
        Numeric(14, 2),
        nullable=False,
        comment="Net total of orders not cancelled.",
    ),
    Column("unpaid_invoices", Integer, nullable=False, comment="Unpaid and overdue invoices."),
    Column("unpaid_total", Numeric(14, 2), nullable=False),
    Column(
        "outstanding",
        Numeric(14, 2),
        nullable=False,
        comment="Unpaid invoices plus orders on invoice not invoiced yet.",
    ),
    Column("credit_limit", Numeric(14, 2), nullable=False),
    Column(
        "revision",
        Integer,
        nullable=False,
        comment="Revision of the last CustomerBillingChanged applied; older ones are ignored.",
    ),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    comment="Customers' order and invoice figures (from CustomerBillingChanged), whichever of a "
    "customer's events comes first: a row added to the overview later takes its figures from "
    "here; the customer sheet shows them.",
)

customer_sessions = Table(
    "customer_sessions",
    metadata,
    Column("token_digest", String(64), primary_key=True, comment="SHA-256 of the bearer token."),
    Column("shop_id", Uuid, nullable=False),
    Column("customer_id", Uuid, nullable=False, index=True),
    Column("identity_id", Uuid, nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    comment="Customer tokens, each scoped to one shop and customer; dropped on deny or delete.",
)

rate_limits = Table(
    "rate_limits",
    metadata,
    Column("bucket", String(400), primary_key=True, comment="e.g. 'login:ip:203.0.113.7'."),
    Column("window_started_at", DateTime(timezone=True), nullable=False),
    Column("hits", Integer, nullable=False),
    comment="Fixed-window counters that throttle logins, code checks and reset requests.",
)
