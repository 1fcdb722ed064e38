"""GET /partner/v1/revenue-export (B6) over HTTP with a fake billing that serves the month in
slices: both files opened (csv module, openpyxl), name, title, columns, numbers and sums,
formulas neutralised, every slice asked for in turn, bad input and a silent billing refused."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import openpyxl  # type: ignore[import-untyped]
import pytest
from openpyxl.worksheet._writer import ALL_TEMP_FILES  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Command
from contracts.billing import ListRevenueRows, RevenuePage, RevenueRow
from gateway.entrypoints.routes.partner_revenue_export import ExportInterrupted
from service_runtime.rpc_client import RpcTimeout
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from price_support import FakeServices, open_shop, refused, serving

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_revenue_"

HEADER = [
    "provider invoice ID",
    "provider invoice date",
    "provider order revenue",
    "provider order ID",
    "provider pay method",
    "shop invoice ID",
    "shop order ID",
    "shop order revenue",
    "shop pay method",
]
SLICE = 4
"""Rows the fake billing sends per slice: 11 rows come in three."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def revenue_row(n: int) -> RevenueRow:
    """Invoice n of November 2026; the 6th is a credit note (negative), the 9th has text that
    a spreadsheet would run, the 11th has no provider invoice yet."""
    sign = Decimal(-1) if n == 6 else Decimal(1)
    return RevenueRow(
        provider_invoice_id=None if n == 11 else f"PI-{n:05d}",
        provider_invoice_date=None if n == 11 else date(2026, 11, n + 2),
        provider_order_revenue=sign * (Decimal("21.05") * n),
        provider_order_id="@SUM(A1:A9)" if n == 9 else f"PO-{n:04X}",
        provider_pay_method='=HYPERLINK("http://evil.example","pay")' if n == 9 else "sepa",
        shop_invoice_id=f"2026-{n:06d}",
        shop_order_id=100 + n,
        shop_order_revenue=sign * (Decimal("49.95") * n),
        shop_pay_method="invoice" if n % 2 else "card",
    )


ROWS = [revenue_row(n) for n in range(1, 12)]


def serve(rows: list[RevenueRow]) -> Callable[[ListRevenueRows], RevenuePage]:
    """Billing's slicing: rows after the ``after`` invoice number, SLICE at a time."""

    def answer(command: ListRevenueRows) -> RevenuePage:
        rest = [r for r in rows if command.after is None or r.shop_invoice_id > command.after]
        piece = rest[:SLICE]
        more = len(rest) > SLICE
        return RevenuePage(
            currency="EUR", rows=piece, next_after=piece[-1].shop_invoice_id if more else None
        )

    return answer


@pytest.fixture
def sessions(app_runtime: tuple[Any, ServiceRuntime]) -> async_sessionmaker[AsyncSession]:
    return app_runtime[1].sessions


@pytest.fixture
def services(app_runtime: tuple[Any, ServiceRuntime]) -> Iterator[FakeServices]:
    fake = FakeServices()
    with serving(app_runtime[0], fake):
        yield fake


async def atelier(sessions: async_sessionmaker[AsyncSession]) -> tuple[UUID, str, dict[str, str]]:
    shop_id, partner = await open_shop(sessions, brand_name="Print Atelier")
    return shop_id, f"shop-{shop_id}", partner


def asked(services: FakeServices) -> list[ListRevenueRows]:
    return [c for c in services.calls if isinstance(c, ListRevenueRows)]


async def export(
    client: httpx.AsyncClient, partner: dict[str, str], file_format: str, **params: Any
) -> httpx.Response:
    return await client.get(
        "/partner/v1/revenue-export",
        params={"year": 2026, "month": 11, "format": file_format, **params},
        headers=partner,
    )


def total(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal("0.00"))


async def test_the_csv_export_has_the_title_the_columns_and_every_slices_rows(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    shop, slug, partner = await atelier(sessions)
    services.on(ListRevenueRows, serve(ROWS))

    response = await export(client, partner, "csv")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{slug}_revenues_2026_11.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Print Atelier — revenues 2026-11"]
    assert rows[1] == HEADER
    body = rows[2:]
    assert [r[5] for r in body] == [f"2026-{n:06d}" for n in range(1, 12)], "each row once"
    assert all(len(r) == len(HEADER) for r in body)

    money = re.compile(r"^-?\d+\.\d{2}$")
    assert all(money.match(r[2]) and money.match(r[7]) for r in body), "dot decimals, cents"
    assert total([Decimal(r[2]) for r in body]) == total([r.provider_order_revenue for r in ROWS])
    assert total([Decimal(r[7]) for r in body]) == total([r.shop_order_revenue for r in ROWS])
    assert body[5][2:4] == ["-126.30", "PO-0006"], "the credit note stays negative"
    assert body[0] == [
        "PI-00001",
        "2026-11-03",
        "21.05",
        "PO-0001",
        "sepa",
        "2026-000001",
        "101",
        "49.95",
        "invoice",
    ]
    assert body[8][3:5] == ["'@SUM(A1:A9)", '\'=HYPERLINK("http://evil.example","pay")']
    assert body[10][:2] == ["", ""], "no provider invoice yet: empty cells"

    commands = asked(services)
    assert [c.after for c in commands] == [None, "2026-000004", "2026-000008"]
    assert {(c.shop_id, c.year, c.month, c.limit) for c in commands} == {(shop, 2026, 11, 2000)}


async def test_the_xlsx_export_has_numbers_dates_and_neutralised_text(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    _, slug, partner = await atelier(sessions)
    services.on(ListRevenueRows, serve(ROWS))

    response = await export(client, partner, "xlsx")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{slug}_revenues_2026_11.xlsx"'
    )
    assert int(response.headers["content-length"]) == len(response.content)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "2026-11"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Print Atelier — revenues 2026-11"
    assert list(values[1]) == HEADER
    body = list(sheet.iter_rows(min_row=3))
    assert [r[5].value for r in body] == [f"2026-{n:06d}" for n in range(1, 12)]

    first = body[0]
    assert (first[2].data_type, first[7].data_type, first[6].data_type) == ("n", "n", "n")
    assert "€" in first[2].number_format
    assert first[7].number_format == first[2].number_format
    assert first[6].value == 101
    assert first[1].is_date
    assert first[1].value == datetime(2026, 11, 3)
    assert body[10][0].value is None
    assert body[10][1].value is None

    def cents(cell: Any) -> Decimal:
        return Decimal(str(cell.value)).quantize(Decimal("0.01"))

    assert total([cents(r[2]) for r in body]) == total([r.provider_order_revenue for r in ROWS])
    assert total([cents(r[7]) for r in body]) == total([r.shop_order_revenue for r in ROWS])
    assert cents(body[5][7]) == Decimal("-299.70")
    assert (body[8][3].value, body[8][4].value) == (
        "'@SUM(A1:A9)",
        '\'=HYPERLINK("http://evil.example","pay")',
    )
    assert {r[4].data_type for r in body} == {"s"}, "no cell is a formula"
    assert [c.after for c in asked(services)] == [None, "2026-000004", "2026-000008"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
async def test_a_month_without_invoices_has_the_title_and_the_header_only(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    services: FakeServices,
    file_format: str,
) -> None:
    _, _, partner = await atelier(sessions)
    services.on(ListRevenueRows, serve([]))

    response = await export(client, partner, file_format, month=2)

    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith(f'_revenues_2026_02.{file_format}"')
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        rows = [[v for v in r if v is not None] for r in book.active.iter_rows(values_only=True)]
    assert rows == [["Print Atelier — revenues 2026-02"], HEADER]
    assert len(asked(services)) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": 1999}, "year"),
        ({"year": "twenty"}, "year"),
        ({"year": None}, "year"),
        ({"month": 13}, "month"),
        ({"month": 0}, "month"),
        ({"format": "pdf"}, "format"),
    ],
)
async def test_bad_months_and_formats_are_refused_by_name(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    services: FakeServices,
    params: dict[str, Any],
    field: str,
) -> None:
    _, _, partner = await atelier(sessions)
    services.on(ListRevenueRows, serve(ROWS))
    query = {"year": 2026, "month": 11, "format": "csv", **params}
    response = await client.get(
        "/partner/v1/revenue-export",
        params={k: v for k, v in query.items() if v is not None},
        headers=partner,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert asked(services) == []


async def no_openpyxl_files_within(seconds: float) -> bool:
    """Polls: the clean-up runs in the export's thread once its step in progress is done."""
    deadline = time.monotonic() + seconds
    while [path for path in ALL_TEMP_FILES if os.path.exists(path)]:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def timed_out(command: Command) -> Any:
    raise RpcTimeout(f"{type(command).__name__} got no answer within 10 s")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
async def test_a_silent_billing_is_a_503_before_the_first_byte(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    services: FakeServices,
    file_format: str,
) -> None:
    _, _, partner = await atelier(sessions)
    services.on(ListRevenueRows, timed_out)

    response = await export(client, partner, file_format)

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/billing_unavailable"
    assert response.headers["retry-after"] == "5"


async def test_an_xlsx_whose_later_slice_fails_is_refused_whole(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    """The XLSX is finished before it is sent, so a later slice's silence is still a 503."""
    _, _, partner = await atelier(sessions)
    slices = serve(ROWS)
    services.on(ListRevenueRows, lambda c: timed_out(c) if c.after else slices(c))

    response = await export(client, partner, "xlsx")

    assert response.status_code == 503
    assert [c.after for c in asked(services)] == [None, "2026-000004"]
    assert await no_openpyxl_files_within(5.0), "openpyxl's rows are removed after the failure"


async def test_billings_refusal_and_a_missing_token_are_answered_as_such(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    _, _, partner = await atelier(sessions)
    services.on(ListRevenueRows, refused("shop_not_ready", 503))
    refusal = await export(client, partner, "csv")
    assert (refusal.status_code, refusal.json()["type"]) == (503, "/problems/shop_not_ready")

    anonymous = await client.get(
        "/partner/v1/revenue-export", params={"year": 2026, "month": 11, "format": "csv"}
    )
    assert anonymous.status_code == 401


async def test_a_csv_whose_later_slice_fails_is_cut_never_quietly_short(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], services: FakeServices
) -> None:
    """The CSV's status is sent with its first rows: a later silence can only break the
    transfer, so the partner's download fails instead of ending as if complete."""
    _, _, partner = await atelier(sessions)
    slices = serve(ROWS)
    services.on(ListRevenueRows, lambda c: timed_out(c) if c.after == "2026-000008" else slices(c))

    with pytest.raises(ExportInterrupted, match="no answer"):
        await export(client, partner, "csv")
    assert [c.after for c in asked(services)] == [None, "2026-000004", "2026-000008"]
