"""POST /partner/v1/customers/import over HTTP with a fake request/reply client that records
what the customers service would receive: chunking, line numbers, BOM, refusals, 415/422."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from contracts.base import Command, CommandError
from contracts.customers import (
    FinishCustomerImport,
    ImportChunkChecked,
    ImportOutcome,
    ImportRowError,
    StageCustomerImport,
)
from gateway.bootstrap import create_app
from gateway.config import GatewaySettings
from gateway.entrypoints.deps import get_rpc, partner_shop
from gateway.entrypoints.routes import partner_import
from service_runtime.rpc_client import RpcRefused

SHOP_ID = uuid4()
CSV = {"Content-Type": "text/csv"}


class FakeRpc:
    """Answers like the customers service; records every command and how many overlap."""

    def __init__(self, outcome: ImportOutcome | None = None, delay: float = 0.0) -> None:
        self.commands: list[tuple[Command, float | None]] = []
        self.outcome = outcome
        self.delay = delay
        self.in_flight = 0
        self.most_in_flight = 0
        self.refuse_stage: CommandError | None = None

    @property
    def stages(self) -> list[StageCustomerImport]:
        return [c for c, _ in self.commands if isinstance(c, StageCustomerImport)]

    @property
    def finishes(self) -> list[tuple[FinishCustomerImport, float | None]]:
        return [(c, w) for c, w in self.commands if isinstance(c, FinishCustomerImport)]

    async def call(
        self, command: Command, result_type: type[BaseModel], *, wait_seconds: float | None = None
    ) -> Any:
        self.commands.append((command, wait_seconds))
        if isinstance(command, StageCustomerImport):
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                await asyncio.sleep(self.delay)
            finally:
                self.in_flight -= 1
            if self.refuse_stage is not None and len(self.stages) > 1:
                raise RpcRefused(self.refuse_stage)
            assert result_type is ImportChunkChecked
            return ImportChunkChecked(rows=len(command.rows), bad_rows=0)
        assert isinstance(command, FinishCustomerImport)
        assert result_type is ImportOutcome
        rows = sum(len(stage.rows) for stage in self.stages)
        return self.outcome or ImportOutcome(applied=True, rows=rows, created=rows - 1, updated=1)


@pytest.fixture
def rpc() -> FakeRpc:
    return FakeRpc()


@pytest.fixture(scope="module")
def app() -> Iterator[FastAPI]:
    """No database and no broker: the partner's shop and the client are overridden."""
    app = create_app(GatewaySettings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    app.dependency_overrides[partner_shop] = lambda: SHOP_ID
    yield app
    app.dependency_overrides.clear()


@pytest.fixture
async def client(app: FastAPI, rpc: FakeRpc) -> AsyncIterator[httpx.AsyncClient]:
    app.dependency_overrides[get_rpc] = lambda: rpc
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client
    del app.dependency_overrides[get_rpc]


async def pieces(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def by_line(stages: list[StageCustomerImport]) -> dict[int, list[str]]:
    """Each row under the file line the service will report it on: first_line + index."""
    return {
        stage.first_line + index: row for stage in stages for index, row in enumerate(stage.rows)
    }


async def test_a_large_file_goes_in_chunks_of_2000_rows_then_finishes(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    body = "\ufeffname,email\r\n" + "".join(
        f"Client {n},client{n}@example.com\r\n" for n in range(2, 4502)
    )
    correlation = uuid4()
    response = await client.post(
        "/partner/v1/customers/import",
        content=pieces(body.encode(), 1000),
        headers={**CSV, "X-Correlation-ID": str(correlation)},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"applied": True, "rows": 4500, "created": 4499, "updated": 1}

    stages = rpc.stages
    assert [(s.first_line, len(s.rows)) for s in stages] == [(2, 2000), (2002, 2000), (4002, 500)]
    assert {tuple(s.header) for s in stages} == {("name", "email")}  # BOM stripped
    assert len({s.import_id for s in stages}) == 1
    assert {(s.shop_id, s.correlation_id) for s in stages} == {(SHOP_ID, correlation)}
    assert by_line(stages)[4501] == ["Client 4501", "client4501@example.com"]
    [(finish, wait)] = rpc.finishes
    assert isinstance(rpc.commands[-1][0], FinishCustomerImport)
    assert (finish.import_id, finish.shop_id, wait) == (stages[0].import_id, SHOP_ID, 300.0)


async def test_at_most_two_chunks_are_checked_at_once(
    client: httpx.AsyncClient, rpc: FakeRpc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partner_import, "CHUNK_ROWS", 10)
    rpc.delay = 0.01
    body = "email\n" + "".join(f"c{n}@example.com\n" for n in range(100))
    response = await client.post(
        "/partner/v1/customers/import", content=pieces(body.encode(), 50), headers=CSV
    )
    assert response.status_code == 200
    assert len(rpc.stages) == 10
    assert rpc.most_in_flight == 2
    assert [s.first_line for s in rpc.stages] == list(range(2, 102, 10))


async def test_line_numbers_count_physical_lines(client: httpx.AsyncClient, rpc: FakeRpc) -> None:
    body = (
        "name,email,company\n"
        "Ada,ada@example.com,\n"  # 2
        'Jean,jean@example.com,"Two\nlines"\n'  # 3-4
        "Zoé,zoe@example.com,Crème\n"  # 5
        "\n"  # 6
        "Max,max@example.com,\n"  # 7
    ).encode()
    response = await client.post(
        "/partner/v1/customers/import", content=pieces(body, 3), headers=CSV
    )
    assert response.status_code == 200
    assert {line: row[0] for line, row in by_line(rpc.stages).items()} == {
        2: "Ada",
        3: "Jean",
        5: "Zoé",
        7: "Max",
    }
    assert by_line(rpc.stages)[3][2] == "Two\nlines"


async def test_bad_rows_reject_the_whole_import_with_their_lines(
    client: httpx.AsyncClient, rpc: FakeRpc
) -> None:
    rpc.outcome = ImportOutcome(
        applied=False,
        rows=3,
        errors=[
            ImportRowError(line=3, column="email", reason="is not a valid email address"),
            ImportRowError(line=3, column="phone", reason="is not a valid phone number"),
            ImportRowError(line=4, column="email", reason="same email as line 2"),
        ],
    )
    body = b"name,email,phone\nA,a@example.com,\nB,bad,12\nC,a@example.com,\n"
    response = await client.post("/partner/v1/customers/import", content=body, headers=CSV)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/import_rejected"
    assert problem["detail"] == "2 rows have errors; nothing was imported"
    assert problem["errors"] == [
        {"line": 3, "column": "email", "field": "email", "reason": "is not a valid email address"},
        {"line": 3, "column": "phone", "field": "phone", "reason": "is not a valid phone number"},
        {"line": 4, "column": "email", "field": "email", "reason": "same email as line 2"},
    ]


@pytest.mark.parametrize("size", [1, 5, 4096])
async def test_a_file_that_is_not_utf8_is_refused_at_its_line(
    client: httpx.AsyncClient, rpc: FakeRpc, size: int
) -> None:
    body = "name,email\nZoé,zoe@example.com\n".encode() + b"Ren\xe9,rene@example.com\n"
    response = await client.post(
        "/partner/v1/customers/import", content=pieces(body, size), headers=CSV
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/import_rejected"
    assert problem["errors"] == [
        {"line": 3, "column": "", "field": "file", "reason": "is not valid UTF-8"}
    ]
    assert rpc.finishes == []


@pytest.mark.parametrize("body", [b"", b"\xef\xbb\xbf", b"\r\n\r\n"])
async def test_an_empty_file_is_refused(
    client: httpx.AsyncClient, rpc: FakeRpc, body: bytes
) -> None:
    response = await client.post("/partner/v1/customers/import", content=body, headers=CSV)
    assert response.status_code == 422
    assert response.json()["errors"][0]["line"] == 1
    assert "header" in response.json()["errors"][0]["reason"]
    assert rpc.commands == []


async def test_a_header_alone_is_still_checked(client: httpx.AsyncClient, rpc: FakeRpc) -> None:
    response = await client.post(
        "/partner/v1/customers/import", content=b"name,email\n", headers=CSV
    )
    assert response.status_code == 200
    assert [(s.first_line, s.rows, s.header) for s in rpc.stages] == [(2, [], ["name", "email"])]
    assert len(rpc.finishes) == 1


@pytest.mark.parametrize(
    "content_type",
    ["text/csv; charset=utf-8", "application/octet-stream", "TEXT/CSV;charset=UTF-8"],
)
async def test_csv_or_binary_bodies_are_accepted(
    client: httpx.AsyncClient, content_type: str
) -> None:
    response = await client.post(
        "/partner/v1/customers/import",
        content=b"name,email\nA,a@example.com\n",
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "text/csv; charset=latin-1", None]
)
async def test_other_media_types_are_refused(
    client: httpx.AsyncClient, rpc: FakeRpc, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post(
        "/partner/v1/customers/import", content=b"name,email\n", headers=headers
    )
    assert response.status_code == 415
    assert response.json()["type"] == "/problems/unsupported_media_type"
    assert rpc.commands == []


async def test_a_refused_chunk_stops_the_import(
    client: httpx.AsyncClient, rpc: FakeRpc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partner_import, "CHUNK_ROWS", 5)
    rpc.refuse_stage = CommandError(
        code="not_found", status=404, title="Not found", detail="No such import"
    )
    body = "email\n" + "".join(f"c{n}@example.com\n" for n in range(40))
    response = await client.post("/partner/v1/customers/import", content=body.encode(), headers=CSV)
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not_found"
    assert rpc.finishes == []
    assert len(rpc.stages) < 8


async def test_the_import_needs_a_partner_token() -> None:
    app = create_app(GatewaySettings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.post("/partner/v1/customers/import", content=b"", headers=CSV)
    assert response.status_code == 401
