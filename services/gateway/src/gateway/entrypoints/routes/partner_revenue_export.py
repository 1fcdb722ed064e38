"""Partner API: the monthly revenue export (B6), CSV or XLSX, for the partner's accountant.

Billing hands the month's rows over slice by slice (the next one is asked for while the last
is written), so neither the gateway nor billing ever holds a whole month. The first slice is read
before the response starts: a billing that does not answer gets a 503, never a cut file.
"""

import asyncio
import os
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from typing import IO, Annotated, Any
from uuid import UUID

import structlog
from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from contracts.billing import ListRevenueRows, RevenuePage
from gateway.adapters.tables import shops
from gateway.domain.revenue_export import (
    MEDIA_TYPES,
    RevenueFormat,
    RevenueWorkbook,
    csv_cells,
    csv_head,
    csv_text,
    revenue_filename,
    revenue_title,
)
from gateway.entrypoints.deps import CorrelationId, PartnerShop, ReadSessionDep, RpcDep
from gateway.entrypoints.problems import Problem, problem_responses
from service_runtime.rpc_client import RpcClient, RpcTimeout

log = structlog.get_logger(__name__)

router = APIRouter(prefix="/partner/v1", tags=["partner"])

SLICE_ROWS = 2000
"""Rows billing sends per ListRevenueRows."""
FILE_CHUNK = 256 * 1024
"""Bytes of the finished XLSX file read and sent at a time."""

ReadSlice = Callable[[str | None], Coroutine[Any, Any, RevenuePage]]


def slice_reader(
    rpc: RpcClient, shop_id: UUID, correlation: UUID, year: int, month: int
) -> ReadSlice:
    async def read(after: str | None) -> RevenuePage:
        command = ListRevenueRows(
            shop_id=shop_id,
            correlation_id=correlation,
            year=year,
            month=month,
            after=after,
            limit=SLICE_ROWS,
        )
        return await rpc.call(command, RevenuePage)

    return read


async def slices(first: RevenuePage, read: ReadSlice) -> AsyncGenerator[RevenuePage, None]:
    """Every slice of the month, from ``first`` on; the next is on its way while one is used."""
    page = first
    while True:
        following = (
            asyncio.create_task(read(page.next_after)) if page.next_after is not None else None
        )
        try:
            yield page
            if following is None:
                return
            page = await following
        finally:
            if following is not None and not following.done():
                following.cancel()


class ExportInterrupted(Exception):
    """A slice failed after the file had started: the transfer is broken off, never ended as if
    the file were complete (no error handler may answer it: the response has started)."""


def billing_unavailable(exc: RpcTimeout) -> Problem:
    return Problem(
        503,
        "billing_unavailable",
        "The billing service is not answering",
        f"The revenue export could not be read: {exc}. Try again in a moment.",
        headers={"Retry-After": "5"},
    )


async def csv_pieces(title: str, pages: AsyncGenerator[RevenuePage, None]) -> AsyncIterator[bytes]:
    """The CSV, one slice of rows at a time."""
    yield csv_head(title).encode()
    try:
        async with aclosing(pages):
            async for page in pages:
                yield csv_text(csv_cells(row) for row in page.rows).encode()
    except Exception as exc:
        # The status is sent already: the only way left to tell is a cut connection.
        log.warning("revenue_export_interrupted", reason=str(exc))
        raise ExportInterrupted(str(exc)) from exc


async def write_workbook(
    title: str, sheet_name: str, first: RevenuePage, read: ReadSlice
) -> IO[bytes]:
    """The whole XLSX in a temporary file (rewound); openpyxl's work runs off the event loop,
    in one thread of its own so that steps never overlap. Whatever stops it (billing, a client
    gone) leaves no file behind, once the step in progress is done."""
    book = RevenueWorkbook(title, first.currency, sheet_name)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by file_pieces or below
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="revenue-xlsx")
    loop = asyncio.get_running_loop()

    def clean_up() -> None:
        file.close()
        book.discard()

    try:
        async with aclosing(slices(first, read)) as pages:
            async for page in pages:
                await loop.run_in_executor(worker, book.add_rows, page.rows)
        await loop.run_in_executor(worker, book.save, file)
        file.seek(0)
    except BaseException:
        worker.submit(clean_up)
        raise
    finally:
        worker.shutdown(wait=False)
    return file


async def file_pieces(file: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(file.read, FILE_CHUNK):
            yield chunk
    finally:
        file.close()


@router.get(
    "/revenue-export",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {media_type: {} for media_type in MEDIA_TYPES.values()},
            "description": "The month's revenues as an attachment named "
            "<shop slug>_revenues_YYYY_MM.csv or .xlsx: a title row, the header (provider "
            "invoice ID, provider invoice date, provider order revenue, provider order ID, "
            "provider pay method, shop invoice ID, shop order ID, shop order revenue, shop pay "
            "method), one row per order invoiced or credited that month.",
        },
        **problem_responses(401, 422, 503),
    },
)
async def export_revenues(
    shop_id: PartnerShop,
    session: ReadSessionDep,
    rpc: RpcDep,
    correlation: CorrelationId,
    year: Annotated[int, Query(ge=2000, le=2100, description="Year of the invoices, e.g. 2026.")],
    month: Annotated[int, Query(ge=1, le=12, description="Month of the invoices, 1-12.")],
    file_format: Annotated[
        RevenueFormat, Query(alias="format", description="csv (UTF-8, comma) or xlsx.")
    ] = "csv",
) -> StreamingResponse:
    """A month's revenues (B6) as CSV or XLSX, streamed: money as numbers, formula-safe text."""
    shop = (
        await session.execute(
            select(shops.c.slug, shops.c.brand_name).where(shops.c.shop_id == shop_id)
        )
    ).one()
    await session.commit()  # hand the connection back before billing is asked
    title = revenue_title(shop.brand_name, year, month)
    read = slice_reader(rpc, shop_id, correlation, year, month)
    headers = {
        "Content-Disposition": 'attachment; filename="'
        f'{revenue_filename(shop.slug, year, month, file_format)}"'
    }
    try:
        first = await read(None)
        if file_format == "csv":
            return StreamingResponse(
                csv_pieces(title, slices(first, read)),
                media_type=MEDIA_TYPES["csv"],
                headers=headers,
            )
        file = await write_workbook(title, f"{year:04d}-{month:02d}", first, read)
    except RpcTimeout as exc:
        raise billing_unavailable(exc) from exc
    headers["Content-Length"] = str(os.fstat(file.fileno()).st_size)
    return StreamingResponse(file_pieces(file), media_type=MEDIA_TYPES["xlsx"], headers=headers)
