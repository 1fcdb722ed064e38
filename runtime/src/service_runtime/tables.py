"""The outbox and inbox tables every service keeps in its own database.

They live on their own ``MetaData`` so a service's Alembic environment can include them
beside its own tables; ``migration_ops`` creates them in each service's first revision.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A MetaData with the naming convention all our migrations rely on."""
    return MetaData(naming_convention=NAMING_CONVENTION)


runtime_metadata = new_metadata()

outbox = Table(
    "outbox",
    runtime_metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("message_id", Uuid, nullable=False, unique=True),
    Column("routing_key", String(200), nullable=False),
    Column("message_type", String(100), nullable=False),
    Column("correlation_id", Uuid, nullable=False),
    Column("payload", Text, nullable=False, comment="The message as JSON, published verbatim."),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    comment="Events committed with the change that caused them, waiting for the relay.",
)

inbox = Table(
    "inbox",
    runtime_metadata,
    Column("consumer", String(100), primary_key=True),
    Column("message_id", Uuid, primary_key=True),
    Column("message_type", String(100), nullable=False),
    Column("handled_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("reply", JSONB, nullable=True, comment="A command's reply, repeated on redelivery."),
    comment="Messages already handled, written in the same transaction as their effects.",
)

Index("ix_inbox_handled_at", inbox.c.handled_at)

OUTBOX_CHANNEL = "outbox"
"""LISTEN/NOTIFY channel the outbox trigger notifies (one per database)."""
