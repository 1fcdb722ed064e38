"""P9: a partner's CSV import, streamed by the gateway in chunks and applied all or nothing.

Each StageCustomerImport checks its rows cell by cell and keeps the good ones and the
errors aside; FinishCustomerImport adds the checks that need the whole file, then either
applies every row in this one transaction or applies nothing and lists every error.
"""

from __future__ import annotations

from contracts.customers import (
    FinishCustomerImport,
    ImportChunkChecked,
    ImportOutcome,
    StageCustomerImport,
)
from customers.adapters.import_apply import apply_import, problems_at_finish
from customers.adapters.import_events import announce_import
from customers.adapters.import_staging import (
    ImportOfAnotherShop,
    ShopUnknown,
    count_chunk,
    drop_import,
    load_header,
    lock_import,
    open_import,
    save_header,
    shop_groups,
    stage_errors,
    stage_rows,
    staged_errors,
)
from customers.domain.import_rows import (
    CheckedChunk,
    ImportHeader,
    RowChecker,
    is_blank,
    read_header,
)
from customers.handlers.refusals import not_in_shop, shop_not_ready
from service_runtime.database import UnitOfWork


async def stage_customer_import(
    command: StageCustomerImport, uow: UnitOfWork
) -> ImportChunkChecked:
    """Blank rows are skipped; a bad header makes every row bad (it is reported once, line 1)."""
    session = uow.session
    try:
        created = await open_import(session, command.shop_id, command.import_id)
    except ImportOfAnotherShop as exc:
        raise not_in_shop("import") from exc
    except ShopUnknown as exc:
        raise shop_not_ready() from exc
    header, header_errors = read_header(command.header)
    if created:
        await save_header(session, command.import_id, header)
        await stage_errors(session, command.import_id, header_errors)
    if header_errors:
        rows = sum(not is_blank(cells) for cells in command.rows)
        await count_chunk(session, command.import_id, rows, rows)
        return ImportChunkChecked(rows=rows, bad_rows=rows)
    checker = RowChecker(header, await shop_groups(session, command.shop_id))
    chunk = CheckedChunk(checker, command.first_line, command.rows)
    await stage_rows(session, command.import_id, chunk.good_rows())
    await stage_errors(session, command.import_id, chunk.errors)
    await count_chunk(session, command.import_id, chunk.rows, chunk.bad_rows)
    return ImportChunkChecked(rows=chunk.rows, bad_rows=chunk.bad_rows)


async def finish_customer_import(command: FinishCustomerImport, uow: UnitOfWork) -> ImportOutcome:
    session = uow.session
    rows = await lock_import(session, command.shop_id, command.import_id)
    if rows is None:
        raise not_in_shop("import")
    header = await load_header(session, command.import_id) or ImportHeader((), ())
    errors = await staged_errors(session, command.import_id)
    errors += await problems_at_finish(session, command.shop_id, command.import_id, header)
    if errors:
        await drop_import(session, command.import_id)
        errors.sort(key=lambda e: (e.line, header.position(e.column), e.column, e.reason))
        return ImportOutcome(applied=False, rows=rows, errors=errors)
    applied = await apply_import(session, command.shop_id, command.import_id)
    await announce_import(session, command, command.import_id, applied.created + applied.updated)
    await drop_import(session, command.import_id)
    return ImportOutcome(applied=True, rows=rows, created=applied.created, updated=applied.updated)
