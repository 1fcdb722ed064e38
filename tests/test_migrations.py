"""Every service's migrations: the stairway (up, down, up per revision) and no model drift."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine

from service_runtime.migration_ops import alembic_config, downgrade, sync_url, upgrade
from service_runtime.tables import runtime_metadata
from service_runtime.testing import RealServers, throwaway_database

pytestmark = pytest.mark.database

SERVICES = ("customers", "vouchers", "billing", "notifier", "gateway")
ROOT = Path(__file__).resolve().parents[1]


def migrations_dir(service: str) -> Path:
    return ROOT / "services" / service / "src" / service / "migrations"


@pytest.mark.parametrize("service", SERVICES)
def test_each_revision_upgrades_downgrades_and_upgrades_again(
    service: str, servers: RealServers
) -> None:
    with throwaway_database(servers, f"t_mig_{service}_") as url:
        script = ScriptDirectory.from_config(alembic_config(migrations_dir(service), url))
        revisions = list(reversed(list(script.walk_revisions())))
        assert revisions, f"{service} has no migration"
        for revision in revisions:
            upgrade(migrations_dir(service), url, revision.revision)
            downgrade(migrations_dir(service), url, revision.down_revision or "base")
            upgrade(migrations_dir(service), url, revision.revision)


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_create_exactly_the_tables_the_code_declares(
    service: str, servers: RealServers
) -> None:
    tables: MetaData = importlib.import_module(f"{service}.adapters.tables").metadata
    with throwaway_database(servers, f"t_drift_{service}_") as url:
        upgrade(migrations_dir(service), url)
        engine = create_engine(sync_url(url))
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), [tables, runtime_metadata])
        engine.dispose()
    assert diff == []
