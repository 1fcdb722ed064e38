"""Migrations on a real PostgreSQL: the stairway, and existing shops carried through 0002 and 0003."""

import uuid

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

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


def test_0003_gives_existing_shops_no_report_addresses_and_the_default_currency(
    empty_database: str,
) -> None:
    shop_id = uuid.uuid4()
    upgrade(MIGRATIONS, empty_database, "0002")
    engine = create_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO shop_brands (shop_id, brand_name, sender_email, default_language, "
                    "timezone, updated_at, sender_name) VALUES (:shop, 'Atelier', "
                    "'hello@atelier.example', 'fr', 'Europe/Paris', now(), 'Atelier')"
                ),
                {"shop": shop_id},
            )
            conn.execute(
                text(
                    "INSERT INTO partner_copy_settings VALUES "
                    "(:shop, ARRAY['hello@atelier.example'], '{invoice}', now())"
                ),
                {"shop": shop_id},
            )

        upgrade(MIGRATIONS, empty_database, "0003")

        with engine.connect() as conn:
            partner = conn.execute(text("SELECT * FROM partner_copy_settings")).one()
            currency = conn.execute(text("SELECT currency FROM shop_brands")).scalar_one()
        assert (partner.addresses, partner.kinds, partner.report_addresses) == (
            ["hello@atelier.example"],
            ["invoice"],
            [],
        )
        assert currency == "EUR"

        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(
                text("UPDATE partner_copy_settings SET report_addresses = :many"),
                {"many": [f"r{n}@atelier.example" for n in range(21)]},
            )

        downgrade(MIGRATIONS, empty_database, "0002")
        with engine.connect() as conn:
            partner = conn.execute(text("SELECT * FROM partner_copy_settings")).one()
        assert not hasattr(partner, "report_addresses")
        assert partner.kinds == ["invoice"]
    finally:
        engine.dispose()


def test_0004_adds_invoice_documents_and_leaves_queued_mail_without_attachment(
    empty_database: str,
) -> None:
    shop_id = uuid.uuid4()
    upgrade(MIGRATIONS, empty_database, "0003")
    engine = create_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO messages (id, shop_id, source_message_id, kind, recipient, "
                    "language, context) VALUES (:id, :shop, :source, 'welcome', "
                    "'ada@example.com', 'fr', '{}')"
                ),
                {"id": uuid.uuid4(), "shop": shop_id, "source": uuid.uuid4()},
            )

        upgrade(MIGRATIONS, empty_database, "0004")

        assert "invoice_documents" in table_names(empty_database)
        with engine.connect() as conn:
            attached = conn.execute(text("SELECT invoice_id FROM messages")).scalar_one()
        assert attached is None
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE messages SET invoice_id = :missing"), {"missing": shop_id})

        downgrade(MIGRATIONS, empty_database, "0003")
        assert "invoice_documents" not in table_names(empty_database)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM messages")).scalar_one() == 1
    finally:
        engine.dispose()


def test_0005_keeps_rendered_documents_and_refuses_to_drop_pending_ones(
    empty_database: str,
) -> None:
    shop_id, rendered_id, pending_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    upgrade(MIGRATIONS, empty_database, "0004")
    engine = create_engine(empty_database)
    insert = text(
        "INSERT INTO invoice_documents (invoice_id, shop_id, invoice_number, kind, filename, pdf) "
        "VALUES (:id, :shop, '2026-000001', 'invoice', 'invoice_2026-000001.pdf', :pdf)"
    )
    try:
        with engine.begin() as conn:
            conn.execute(insert, {"id": rendered_id, "shop": shop_id, "pdf": b"%PDF-old"})

        upgrade(MIGRATIONS, empty_database, "0005")

        with engine.connect() as conn:
            old = conn.execute(text("SELECT * FROM invoice_documents")).one()
        assert (old.pdf, old.invoice, old.render_attempts) == (b"%PDF-old", None, 0)
        assert old.rendered_at is not None
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert, {"id": pending_id, "shop": shop_id, "pdf": None})  # no invoice
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO invoice_documents (invoice_id, shop_id, invoice_number, kind, "
                    "filename, invoice) VALUES (:id, :shop, '2026-000002', 'invoice', "
                    "'invoice_2026-000002.pdf', '{}')"
                ),
                {"id": pending_id, "shop": shop_id},
            )

        with pytest.raises(RuntimeError, match="1 invoice documents are not rendered yet"):
            downgrade(MIGRATIONS, empty_database, "0004")
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE invoice_documents SET pdf = 'x', rendered_at = now(), invoice = NULL")
            )
        downgrade(MIGRATIONS, empty_database, "0004")
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT count(*) FROM invoice_documents")).scalar_one()
        assert kept == 2
    finally:
        engine.dispose()
