"""Keeps a CSV import's checked rows and errors aside until the import finishes (P9).

Rows go in with one COPY per chunk. Line 1 of ``import_rows`` (the file's header line)
holds the header's columns as written, so that errors found at the end name them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.customers import ImportRowError
from customers.adapters.tables import (
    customer_groups,
    customer_imports,
    import_errors,
    import_rows,
    shops,
)
from customers.domain.import_rows import HEADER_LINE, CheckedRow, ImportHeader

ABANDONED_AFTER = timedelta(hours=1)


class ImportOfAnotherShop(Exception):
    """The import id was staged by another shop: to this shop it does not exist."""


class ShopUnknown(Exception):
    """No ShopOpened for this shop has arrived yet."""


async def open_import(session: AsyncSession, shop_id: UUID, import_id: UUID) -> bool:
    """Lock the import, creating it for ``shop_id`` on its first chunk; True when created.

    Starting an import also removes imports abandoned for more than an hour.
    """
    owner = await session.scalar(
        select(customer_imports.c.shop_id)
        .where(customer_imports.c.import_id == import_id)
        .with_for_update()
    )
    if owner is None:
        if not await session.scalar(select(exists().where(shops.c.shop_id == shop_id))):
            raise ShopUnknown
        now = datetime.now(UTC)
        await session.execute(
            delete(customer_imports).where(customer_imports.c.started_at < now - ABANDONED_AFTER)
        )
        created = await session.scalar(
            upsert(customer_imports)
            .values(import_id=import_id, shop_id=shop_id, started_at=now)
            .on_conflict_do_nothing()
            .returning(customer_imports.c.import_id)
        )
        if created is not None:
            return True
        return await open_import(session, shop_id, import_id)
    if owner != shop_id:
        raise ImportOfAnotherShop
    return False


async def lock_import(session: AsyncSession, shop_id: UUID, import_id: UUID) -> int | None:
    """Lock a staged import of ``shop_id`` to finish it; its number of data rows, or None."""
    return await session.scalar(
        select(customer_imports.c.rows)
        .where(customer_imports.c.import_id == import_id, customer_imports.c.shop_id == shop_id)
        .with_for_update()
    )


async def shop_groups(session: AsyncSession, shop_id: UUID) -> dict[str, UUID]:
    """The shop's groups by lower-cased name, as import rows name them."""
    rows = await session.execute(
        select(customer_groups.c.name_key, customer_groups.c.group_id).where(
            customer_groups.c.shop_id == shop_id
        )
    )
    return {row.name_key: row.group_id for row in rows}


async def save_header(session: AsyncSession, import_id: UUID, header: ImportHeader) -> None:
    await session.execute(
        insert(import_rows).values(
            import_id=import_id, line=HEADER_LINE, email="", fields=header.as_json()
        )
    )


async def load_header(session: AsyncSession, import_id: UUID) -> ImportHeader | None:
    data = await session.scalar(
        select(import_rows.c.fields).where(
            import_rows.c.import_id == import_id, import_rows.c.line == HEADER_LINE
        )
    )
    return ImportHeader.from_json(data) if data is not None else None


async def stage_rows(session: AsyncSession, import_id: UUID, rows: Iterable[CheckedRow]) -> None:
    """One COPY for the whole chunk, fed as rows come: the cheapest way into PostgreSQL."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    async with (
        driver.cursor() as cursor,
        cursor.copy("COPY import_rows (import_id, line, email, fields) FROM STDIN") as copy,
    ):
        for row in rows:
            await copy.write_row((import_id, row.line, row.email, dumps(row.fields)))


async def stage_errors(
    session: AsyncSession, import_id: UUID, errors: Sequence[ImportRowError]
) -> None:
    if errors:
        await session.execute(
            insert(import_errors),
            [
                {
                    "import_id": import_id,
                    "line": e.line,
                    "column_name": e.column,
                    "reason": e.reason,
                }
                for e in errors
            ],
        )


async def count_chunk(session: AsyncSession, import_id: UUID, rows: int, bad_rows: int) -> None:
    await session.execute(
        update(customer_imports)
        .where(customer_imports.c.import_id == import_id)
        .values(
            rows=customer_imports.c.rows + rows,
            bad_rows=customer_imports.c.bad_rows + bad_rows,
        )
    )


async def staged_errors(session: AsyncSession, import_id: UUID) -> list[ImportRowError]:
    rows = await session.execute(
        select(import_errors.c.line, import_errors.c.column_name, import_errors.c.reason).where(
            import_errors.c.import_id == import_id
        )
    )
    return [ImportRowError(line=r.line, column=r.column_name, reason=r.reason) for r in rows]


async def drop_import(session: AsyncSession, import_id: UUID) -> None:
    """Staged rows and errors go with it (ON DELETE CASCADE)."""
    await session.execute(delete(customer_imports).where(customer_imports.c.import_id == import_id))
