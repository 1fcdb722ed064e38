"""Fixtures of the billing tests: the real servers and migrated throwaway databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from billing.bootstrap import MIGRATIONS
from service_runtime.testing import (
    RealServers,
    migrated_template,
    real_servers,
    throwaway_database,
)


@pytest.fixture(scope="session")
def servers() -> RealServers:
    return real_servers()


@pytest.fixture(scope="session")
def migrated_database_template(servers: RealServers) -> Iterator[str]:
    """Migrated once per run and never connected to afterwards, so tests copy it quickly."""
    with migrated_template(servers, MIGRATIONS, "t_billing_tpl_") as name:
        yield name


@pytest.fixture
def empty_database(servers: RealServers) -> Iterator[str]:
    """Nothing in it: migration tests start here."""
    with throwaway_database(servers, "t_billing_") as url:
        yield url


@pytest.fixture
def database_url(servers: RealServers, migrated_database_template: str) -> Iterator[str]:
    """A migrated database of this test's own."""
    with throwaway_database(servers, "t_billing_", template=migrated_database_template) as url:
        yield url
