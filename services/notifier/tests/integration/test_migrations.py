"""Migration stairway: up, down to nothing, up again, on a real PostgreSQL."""

import pytest
from sqlalchemy import create_engine, inspect

from notifier.bootstrap import MIGRATIONS
from service_runtime.migration_ops import downgrade, upgrade

pytestmark = pytest.mark.database


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_database: str) -> None:
    upgrade(MIGRATIONS, empty_database)
    assert {"shop_brands", "messages", "outbox", "inbox"} <= table_names(empty_database)

    downgrade(MIGRATIONS, empty_database, "base")
    assert table_names(empty_database) <= {"alembic_version"}

    upgrade(MIGRATIONS, empty_database)
    assert {"shop_brands", "messages", "outbox", "inbox"} <= table_names(empty_database)
