"""Alembic helpers shared by every service: the env.py body and the messaging tables."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, pool

from service_runtime.tables import OUTBOX_CHANNEL, runtime_metadata


def sync_url(url: str) -> str:
    """Alembic runs synchronously; psycopg 3 serves both modes under the same URL."""
    return url.replace("+asyncpg", "+psycopg")


def run_migrations(metadata: MetaData) -> None:
    """The whole of a service's ``migrations/env.py``: migrate the URL Alembic was given."""
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set: call service_runtime.migration_ops.upgrade")
    target: Sequence[MetaData] = [metadata, runtime_metadata]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    """An Alembic config pointing at a service's migrations and database (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    """Migrate a service's database, as the deploy job and the local run do."""
    command.upgrade(alembic_config(migrations_dir, database_url), revision)


def downgrade(migrations_dir: Path, database_url: str, revision: str) -> None:
    """Step a service's database back (the stairway test uses it)."""
    command.downgrade(alembic_config(migrations_dir, database_url), revision)


OUTBOX_TRIGGER_DDL = (
    f"""
    CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('{OUTBOX_CHANNEL}', ''); RETURN NULL; END $$;
    """,
    "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox "
    "FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox()",
)
"""Wakes the relay once per inserting statement (not per row)."""


def create_messaging_tables() -> None:
    """Create outbox and inbox and the relay's wake-up trigger (first revision of each service)."""
    runtime_metadata.create_all(op.get_bind())
    for statement in OUTBOX_TRIGGER_DDL:
        op.execute(statement)


def drop_messaging_tables() -> None:
    """Undo :func:`create_messaging_tables`."""
    op.execute("DROP TRIGGER IF EXISTS outbox_notify ON outbox")
    op.execute("DROP FUNCTION IF EXISTS notify_outbox()")
    runtime_metadata.drop_all(op.get_bind())
