"""Tables of the billing database."""

from sqlalchemy import Column, DateTime, String, Table, Uuid

from service_runtime.tables import new_metadata

metadata = new_metadata()

shops = Table(
    "shops",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    comment="Shops this service bills for, with the currency and time zone of their documents.",
)
