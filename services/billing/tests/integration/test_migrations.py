"""Migration 0002 on a real PostgreSQL: shops opened before it get English and 24 hours."""

import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from billing.bootstrap import MIGRATIONS
from service_runtime.migration_ops import downgrade, upgrade

pytestmark = pytest.mark.database

NEW_TABLES = {"products", "shipping_options", "carts", "cart_lines"}


def test_0002_backfills_existing_shops_and_steps_back_cleanly(empty_database: str) -> None:
    shop_id = uuid.uuid4()
    upgrade(MIGRATIONS, empty_database, "0001")
    engine = create_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO shops VALUES (:shop, 'EUR', 'Europe/Paris', now())"),
                {"shop": shop_id},
            )

        upgrade(MIGRATIONS, empty_database, "0002")

        with engine.connect() as conn:
            shop = conn.execute(text("SELECT * FROM shops")).one()
            default = conn.execute(
                text(
                    "SELECT column_default FROM information_schema.columns "
                    "WHERE table_name = 'shops' AND column_name = 'default_language'"
                )
            ).scalar()
        assert (shop.shop_id, shop.default_language, shop.abandon_after_hours) == (
            shop_id,
            "en",
            24,
        )
        assert default is None, "new shops take ShopOpened's language, never a silent 'en'"
        assert set(inspect(engine).get_table_names()) >= NEW_TABLES

        downgrade(MIGRATIONS, empty_database, "0001")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("shops")}
            assert conn.execute(text("SELECT shop_id FROM shops")).scalar() == shop_id
            tables = set(inspect(conn).get_table_names())
        assert columns == {"shop_id", "currency", "timezone", "opened_at"}
        assert not tables & NEW_TABLES
    finally:
        engine.dispose()
