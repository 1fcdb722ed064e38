"""Migrations on a real PostgreSQL: the stairway, and existing shops and mail carried through 0002."""

import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

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
    assert {"shop_brands", "partner_copy_settings", "messages", "outbox", "inbox"} <= table_names(
        empty_database
    )

    downgrade(MIGRATIONS, empty_database, "base")
    assert table_names(empty_database) <= {"alembic_version"}

    upgrade(MIGRATIONS, empty_database)
    assert {"shop_brands", "partner_copy_settings", "messages", "outbox", "inbox"} <= table_names(
        empty_database
    )


def test_0002_keeps_existing_shops_and_their_log(empty_database: str) -> None:
    shop_id, source = uuid.uuid4(), uuid.uuid4()
    upgrade(MIGRATIONS, empty_database, "0001")
    engine = create_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO shop_brands VALUES "
                    "(:shop, 'Atelier', 'hello@atelier.example', 'fr', 'Europe/Paris', now())"
                ),
                {"shop": shop_id},
            )
            conn.execute(
                text(
                    "INSERT INTO messages (id, shop_id, source_message_id, kind, recipient, "
                    "language, context) VALUES (:id, :shop, :source, 'verification_code', "
                    "'ada@example.com', 'fr', '{}')"
                ),
                {"id": uuid.uuid4(), "shop": shop_id, "source": source},
            )

        upgrade(MIGRATIONS, empty_database, "0002")

        with engine.connect() as conn:
            brand = conn.execute(text("SELECT * FROM shop_brands")).one()
            partner = conn.execute(text("SELECT * FROM partner_copy_settings")).one()
        assert (brand.sender_name, brand.primary_color, brand.legal_notice) == (
            "Atelier",
            "#1f2937",
            "",
        )
        assert (partner.shop_id, partner.addresses, partner.kinds) == (
            shop_id,
            ["hello@atelier.example"],
            [],
        )

        with engine.begin() as conn:  # a fan-out the old key could not hold
            for recipient in ("a@atelier.example", "b@atelier.example"):
                conn.execute(
                    text(
                        "INSERT INTO messages (id, shop_id, source_message_id, kind, recipient, "
                        "language, context) VALUES (:id, :shop, :source, 'account_deleted', "
                        ":recipient, 'fr', '{}')"
                    ),
                    {"id": uuid.uuid4(), "shop": shop_id, "source": source, "recipient": recipient},
                )
        downgrade(MIGRATIONS, empty_database, "0001")
        with engine.connect() as conn:
            kinds = conn.execute(text("SELECT kind FROM messages ORDER BY kind")).scalars().all()
        assert kinds == ["account_deleted", "verification_code"]
    finally:
        engine.dispose()
