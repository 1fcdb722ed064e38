"""Partner API: CSV import of customers (P9), streamed from the request body to the customers
service in chunks while the file is still arriving; nothing is imported unless every row is good.
"""

import asyncio
from collections import deque
from uuid import UUID, uuid4

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from contracts.customers import (
    FinishCustomerImport,
    ImportChunkChecked,
    ImportOutcome,
    StageCustomerImport,
)
from gateway.domain.csv_import_stream import (
    CsvFileProblem,
    RowChunk,
    consecutive_chunks,
    header_and_rows,
)
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.problems import (
    PROBLEM_JSON,
    Problem,
    ProblemDocument,
    problem_responses,
)
from service_runtime.rpc_client import RpcClient

router = APIRouter(prefix="/partner/v1", tags=["partner"])

CHUNK_ROWS = 2_000
CHUNKS_IN_FLIGHT = 2
"""Chunks being checked while the next one is parsed: parsing and checking overlap."""
FINISH_WAIT_SECONDS = 300.0
"""Applying a large import in one transaction takes a while."""
CSV_MEDIA_TYPES = ("text/csv", "application/octet-stream")


class ImportApplied(BaseModel):
    applied: bool
    rows: int
    created: int
    updated: int


class ImportRowProblem(BaseModel):
    line: int = Field(description="File line: 1 is the header, the first data row is line 2.")
    column: str = Field(description="The header cell of the bad column ('' for the file).")
    field: str = Field(description="Same as column ('file' when the file is unreadable).")
    reason: str


class ImportRejected(BaseModel):
    """The import_rejected problem document: nothing was imported."""

    type: str = Field(examples=["/problems/import_rejected"])
    title: str
    status: int
    detail: str = Field(examples=["2 rows have errors; nothing was imported"])
    instance: str
    errors: list[ImportRowProblem]


def _check_media_type(request: Request) -> None:
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media_type.strip().lower() not in CSV_MEDIA_TYPES or charset not in ("", "utf-8", "utf8"):
        raise Problem(
            415,
            "unsupported_media_type",
            "Unsupported media type",
            "Send the file as the request body with Content-Type text/csv (UTF-8).",
        )


def _rejected(request: Request, errors: list[ImportRowProblem]) -> JSONResponse:
    """422 import_rejected listing every bad cell by line and column."""
    rows = len({error.line for error in errors})
    document = ImportRejected(
        type="/problems/import_rejected",
        title="The import was rejected",
        status=422,
        detail=f"{rows} row{' has' if rows == 1 else 's have'} errors; nothing was imported",
        instance=request.url.path,
        errors=errors,
    )
    return JSONResponse(document.model_dump(), status_code=422, media_type=PROBLEM_JSON)


class _Stager:
    """Sends chunks to be checked, at most CHUNKS_IN_FLIGHT at a time."""

    def __init__(self, rpc: RpcClient, shop_id: UUID, correlation: UUID, header: list[str]) -> None:
        self.rpc, self.shop_id, self.correlation, self.header = rpc, shop_id, correlation, header
        self.import_id = uuid4()
        self.in_flight: deque[asyncio.Task[ImportChunkChecked]] = deque()
        self.sent = 0

    def _stage(self, chunk: RowChunk) -> StageCustomerImport:
        return StageCustomerImport(
            shop_id=self.shop_id,
            correlation_id=self.correlation,
            import_id=self.import_id,
            header=self.header,
            first_line=chunk.first_line,
            rows=chunk.rows,
        )

    async def send(self, chunk: RowChunk) -> None:
        command = self._stage(chunk)
        self.sent += 1
        if self.sent == 1:
            # The first chunk makes the import this shop's: it goes alone.
            await self.rpc.call(command, ImportChunkChecked)
            return
        if len(self.in_flight) >= CHUNKS_IN_FLIGHT:
            await self.in_flight.popleft()
        self.in_flight.append(asyncio.create_task(self.rpc.call(command, ImportChunkChecked)))

    async def drain(self) -> None:
        while self.in_flight:
            await self.in_flight.popleft()

    async def abandon(self) -> None:
        for task in self.in_flight:
            task.cancel()
        await asyncio.gather(*self.in_flight, return_exceptions=True)
        self.in_flight.clear()


@router.post(
    "/customers/import",
    response_model=ImportApplied,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
    responses={
        **problem_responses(401),
        415: {"model": ProblemDocument, "description": "The body is not text/csv (UTF-8)."},
        422: {
            "model": ImportRejected,
            "description": "import_rejected: every bad cell by line and column; nothing imported.",
        },
    },
)
async def import_customers(
    request: Request, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> ImportApplied | JSONResponse:
    """Create or update the shop's customers from a CSV file (header row; comma; UTF-8)."""
    _check_media_type(request)
    stager: _Stager | None = None
    try:
        header, rows = await header_and_rows(request.stream())
        stager = _Stager(rpc, shop_id, correlation, header.cells)
        async for chunk in consecutive_chunks(rows, CHUNK_ROWS):
            await stager.send(chunk)
        if stager.sent == 0:  # a header alone: the service still checks it
            await stager.send(RowChunk(header.line + 1))
        await stager.drain()
    except CsvFileProblem as problem:
        unreadable = ImportRowProblem(
            line=problem.line, column="", field="file", reason=problem.reason
        )
        return _rejected(request, [unreadable])
    finally:
        if stager is not None:  # nothing left in flight after drain(); else stop waiting
            await stager.abandon()
    outcome = await rpc.call(
        FinishCustomerImport(
            shop_id=shop_id, correlation_id=correlation, import_id=stager.import_id
        ),
        ImportOutcome,
        wait_seconds=FINISH_WAIT_SECONDS,
    )
    if not outcome.applied:
        errors = [
            ImportRowProblem(line=e.line, column=e.column, field=e.column, reason=e.reason)
            for e in outcome.errors
        ]
        return _rejected(request, errors)
    return ImportApplied(
        applied=True, rows=outcome.rows, created=outcome.created, updated=outcome.updated
    )
