"""Tables of the vouchers database."""

from sqlalchemy import Column, DateTime, Table, Uuid

from service_runtime.tables import new_metadata

metadata = new_metadata()

shops = Table(
    "shops",
    metadata,
    Column("shop_id", Uuid, primary_key=True),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    comment="Shops this service serves; vouchers and adjustments always belong to one.",
)
