"""CSV import (P9) through the stage and finish handlers, against the real database."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Table, func, insert, select

from contracts.customers import (
    CustomerInvited,
    CustomerRegistered,
    CustomersImported,
    FinishCustomerImport,
    ImportRowError,
    StageCustomerImport,
)
from customers.adapters.customer_records import load_record, snapshot_of
from customers.adapters.tables import (
    customer_imports,
    identities,
    import_errors,
    import_rows,
    shop_customers,
)
from customers.handlers.customer_import import finish_customer_import, stage_customer_import
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from customers_support import (
    add_customer,
    add_record,
    events,
    group_id,
    identity_of,
    import_csv,
    open_shop,
    refusal,
    run,
)

pytestmark = pytest.mark.database

HEADER = ["Name", "E-Mail", "Phone", "Newsletter", "Group"]
COMPANY = 'Nina "Beste" Straße \\ Söhne\tGmbH'
"""Quotes, a backslash, a tab and non-ASCII letters: through COPY and the SQL-built JSON."""


async def count(runtime: ServiceRuntime, table: Table) -> int:
    async with runtime.sessions() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


async def test_a_broken_row_imports_nothing_and_names_its_line_and_column(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    rows = [
        ["Ada Lovelace", "ada@example.com", "+33612345678", "yes", "Customer"],
        ["Bob Martin", "bob@example.com", "", "", ""],
        ["Eve Curie", "eve@example.com", "call me", "maybe", "guest"],
        ["", "", "", "", ""],
        ["Zoe Zed", "zoe@example.com", "", ""],
        ["Max Mustermann", "not-an-email", "", "no", "Platinum"],
    ]
    checked, outcome = await import_csv(runtime, shop, HEADER, rows, chunk=2)
    assert [(c.rows, c.bad_rows) for c in checked] == [(2, 0), (1, 1), (2, 2)]
    assert outcome.applied is False
    assert (outcome.rows, outcome.created, outcome.updated) == (5, 0, 0)
    assert [(e.line, e.column) for e in outcome.errors] == [
        (4, "Phone"),
        (4, "Newsletter"),
        (6, "row"),
        (7, "E-Mail"),
        (7, "Group"),
    ]
    by_place = {(e.line, e.column): e.reason for e in outcome.errors}
    assert by_place[(6, "row")] == "has 4 cells, the header has 5"
    assert by_place[(4, "Newsletter")] == "must be true or false (yes/no, 1/0), or empty"
    assert by_place[(7, "Group")] == "is not a customer group of this shop"
    assert "@" in by_place[(7, "E-Mail")]
    for table in (shop_customers, identities, customer_imports, import_rows, import_errors):
        assert await count(runtime, table) == 0
    assert await events(runtime, CustomersImported) == []


async def test_header_problems_are_reported_at_line_one(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    checked, outcome = await import_csv(
        runtime,
        shop,
        ["\ufeffEmail", "Nickname", "first_name", "EMAIL", ""],
        [["a@example.com", "A", "Ada", "a@example.com", ""]] * 3,
        chunk=2,
    )
    assert [(c.rows, c.bad_rows) for c in checked] == [(2, 2), (1, 1)]
    assert outcome.applied is False
    assert outcome.rows == 3
    assert {(e.line, e.column, e.reason) for e in outcome.errors} == {
        (
            1,
            "Nickname",
            "unknown column (known: name, first_name, last_name, email, phone,"
            " company, vat_number, language, newsletter, group, tax_exempt)",
        ),
        (1, "EMAIL", "column appears twice"),
        (1, "", "column has no name"),
        (1, "last_name", "required column is missing"),
    }


async def test_each_later_line_with_a_repeated_email_is_an_error(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    rows = [
        ["Ada Lovelace", "ada@example.com", "", "", ""],
        ["Bob Martin", "bob@example.com", "", "", ""],
        ["Ada King", " ADA@example.COM ", "", "", ""],
        ["Ada Byron", "ada@example.com", "", "", ""],
    ]
    _, outcome = await import_csv(runtime, shop, HEADER, rows, chunk=3)
    assert outcome.applied is False
    assert outcome.errors == [
        ImportRowError(line=4, column="E-Mail", reason="same email as line 2"),
        ImportRowError(line=5, column="E-Mail", reason="same email as line 2"),
    ]
    assert await count(runtime, identities) == 0


async def test_a_clean_file_creates_and_updates_only_what_it_sets(runtime: ServiceRuntime) -> None:
    shop, other_shop = await open_shop(runtime), await open_shop(runtime)
    ada = await add_customer(runtime, shop, "ada@example.com")
    bob_elsewhere = await add_customer(
        runtime, other_shop, "bob@example.com", first_name="Bob", last_name="Martin"
    )
    guest = await group_id(runtime, shop, "guest")
    customer_group = await group_id(runtime, shop, "customer")
    header = ["name", "email", "phone", "company", "language", "newsletter", "group", "tax_exempt"]
    rows = [
        ["Nina New", "nina@example.com", "+49 30 1234567", COMPANY, "de", "1", "GUEST", "yes"],
        ["Augusta Ada King", "Ada@Example.com", "", "", "", "yes", "", ""],
        ["Robert Other", "bob@example.com", "+33612345678", "", "fr", "", "", ""],
        ["Omar Last", "omar@example.com", "", "", "", "", "", ""],
    ]
    _, outcome = await import_csv(runtime, shop, header, rows, chunk=2)
    assert outcome.errors == []
    assert (outcome.applied, outcome.rows, outcome.created, outcome.updated) == (True, 4, 3, 1)

    async with runtime.sessions() as session:
        records = {
            row.email: snapshot_of(row)
            for row in [
                await load_record(session, shop, customer_id)
                for customer_id in await session.scalars(
                    select(shop_customers.c.customer_id).where(shop_customers.c.shop_id == shop)
                )
            ]
            if row is not None
        }
        people = {
            r.email: r
            for r in await session.execute(
                select(
                    identities.c.email, identities.c.password_hash, identities.c.email_verified_at
                )
            )
        }
    updated = records["ada@example.com"]
    assert (updated.customer_id, updated.first_name, updated.last_name) == (
        ada,
        "Augusta Ada",
        "King",
    )
    assert (updated.phone, updated.company, updated.language) == (
        "+33612345678",
        "Analytical Engines",
        "en",
    )
    assert updated.newsletter is True
    assert updated.newsletter_consent_at is not None
    assert (updated.tax_exempt, updated.group_id, updated.revision) == (False, None, 2)
    assert updated.source == "storefront"

    assert [records[e].customer_number for e in ("nina@example.com", "bob@example.com")] == [2, 3]
    assert records["omar@example.com"].customer_number == 4
    nina = records["nina@example.com"]
    assert (nina.first_name, nina.last_name, nina.phone, nina.company, nina.language) == (
        "Nina",
        "New",
        "+49301234567",
        'Nina "Beste" Straße \\ Söhne GmbH',
        "de",
    )
    assert (nina.newsletter, nina.tax_exempt, nina.group_id, nina.source) == (
        True,
        True,
        guest,
        "import",
    )
    assert nina.email_verified is False
    assert people["nina@example.com"].password_hash is None
    assert people["nina@example.com"].email_verified_at is None
    omar = records["omar@example.com"]
    assert (omar.language, omar.newsletter, omar.group_id) == ("en", False, customer_group)

    bob = records["bob@example.com"]
    assert bob.identity_id == await identity_of(runtime, bob_elsewhere)
    assert (bob.first_name, bob.last_name, bob.phone, bob.language) == (
        "Bob",
        "Martin",
        "+33612345678",
        "en",
    )
    assert people["bob@example.com"].password_hash is not None

    announced = await events(runtime, CustomersImported)
    assert [(e.chunk, e.chunks) for e in announced] == [(1, 1)]
    assert [c.email for c in announced[0].customers] == [
        "nina@example.com",
        "ada@example.com",
        "bob@example.com",
        "omar@example.com",
    ]
    assert all(c == records[c.email] for c in announced[0].customers)
    assert await events(runtime, CustomerInvited) == []
    assert await events(runtime, CustomerRegistered) == []
    for table in (customer_imports, import_rows, import_errors):
        assert await count(runtime, table) == 0


async def test_numbers_follow_the_file_and_events_come_in_chunks_of_500(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    await add_customer(runtime, shop, "first@example.com")
    rows = [[f"Person {n}", f"p{n}@example.com", "", "", ""] for n in range(1, 1201)]
    rows.insert(600, ["", "", "", "", ""])
    checked, outcome = await import_csv(runtime, shop, HEADER, rows, chunk=500)
    assert [c.rows for c in checked] == [500, 499, 201]  # line 602 is blank
    assert (outcome.applied, outcome.created, outcome.updated) == (True, 1200, 0)
    announced = await events(runtime, CustomersImported)
    assert [(e.chunk, e.chunks, len(e.customers)) for e in announced] == [
        (1, 3, 500),
        (2, 3, 500),
        (3, 3, 200),
    ]
    snapshots = [c for e in announced for c in e.customers]
    assert [c.email for c in snapshots] == [f"p{n}@example.com" for n in range(1, 1201)]
    assert [c.customer_number for c in snapshots] == list(range(2, 1202))
    assert {e.import_id for e in announced} == {announced[0].import_id}
    assert len({e.message_id for e in announced}) == 3


async def test_a7_refuses_rows_that_change_a_shared_profile(runtime: ServiceRuntime) -> None:
    shop, other_shop = await open_shop(runtime), await open_shop(runtime)
    ada = await add_customer(runtime, shop, "ada@example.com")
    await add_record(runtime, other_shop, await identity_of(runtime, ada))
    header = ["first_name", "last_name", "email", "phone", "newsletter"]

    _, refused = await import_csv(
        runtime,
        shop,
        header,
        [
            ["Ada", "Lovelace", "ada@example.com", "+4930123456", "yes"],
            ["Eve", "Curie", "eve@example.com", "", ""],
        ],
    )
    assert refused.applied is False
    assert [(e.line, e.column) for e in refused.errors] == [(2, "phone")]
    assert "shared with another shop" in refused.errors[0].reason
    assert await count(runtime, identities) == 1

    _, applied = await import_csv(
        runtime,
        shop,
        header,
        [
            ["Ada", "Lovelace", "ada@example.com", "+33 6 12 34 56 78", "yes"],
            ["Eve", "Curie", "eve@example.com", "", ""],
        ],
    )
    assert (applied.applied, applied.created, applied.updated) == (True, 1, 1)
    async with runtime.sessions() as session:
        row = await load_record(session, shop, ada)
    assert row is not None
    assert snapshot_of(row).newsletter is True


async def test_an_import_belongs_to_the_shop_that_started_it(runtime: ServiceRuntime) -> None:
    shop, other_shop = await open_shop(runtime), await open_shop(runtime)
    import_id = uuid4()
    stage = StageCustomerImport(
        shop_id=shop,
        import_id=import_id,
        header=HEADER,
        first_line=2,
        rows=[["Ada Lovelace", "ada@example.com", "", "", ""]],
    )
    await run(runtime, stage_customer_import, stage)
    for command, handler in (
        (stage.model_copy(update={"shop_id": other_shop}), stage_customer_import),
        (FinishCustomerImport(shop_id=other_shop, import_id=import_id), finish_customer_import),
    ):
        error = await refusal(runtime, handler, command)
        assert (error.code, error.status) == ("not_found", 404)
    outcome = await run(
        runtime, finish_customer_import, FinishCustomerImport(shop_id=shop, import_id=import_id)
    )
    assert (outcome.applied, outcome.created) == (True, 1)


async def test_starting_an_import_removes_abandoned_ones(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    abandoned, recent = uuid4(), uuid4()
    async with runtime.unit_of_work() as uow:
        now = datetime.now(UTC)
        for import_id, started in ((abandoned, now - timedelta(hours=2)), (recent, now)):
            await uow.session.execute(
                insert(customer_imports).values(
                    import_id=import_id, shop_id=shop, started_at=started
                )
            )
        await uow.commit()
    await import_csv(runtime, shop, HEADER, [["Ada Lovelace", "ada@example.com", "", "", ""]])
    async with runtime.sessions() as session:
        left: list[UUID] = list(await session.scalars(select(customer_imports.c.import_id)))
    assert left == [recent]
