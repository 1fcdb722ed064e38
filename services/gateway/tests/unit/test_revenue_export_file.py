"""The revenue export's file building (B6) without HTTP: name, title, cells as a spreadsheet reads
them, the currency format, and no temporary file left behind by an abandoned workbook."""

from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime
from decimal import Decimal

import openpyxl  # type: ignore[import-untyped]
import pytest
from openpyxl.worksheet._writer import ALL_TEMP_FILES  # type: ignore[import-untyped]

from contracts.billing import RevenueRow
from gateway.domain.revenue_export import (
    REVENUE_COLUMNS,
    RevenueWorkbook,
    csv_cells,
    csv_head,
    csv_text,
    currency_format,
    money_text,
    revenue_filename,
    revenue_title,
)


def row(**changes: object) -> RevenueRow:
    fields: dict[str, object] = {
        "provider_invoice_id": "PI-7",
        "provider_invoice_date": date(2026, 11, 30),
        "provider_order_revenue": Decimal("1234.50"),
        "provider_order_id": "PO-7",
        "provider_pay_method": "direct_debit",
        "shop_invoice_id": "2026-000007",
        "shop_order_id": 42,
        "shop_order_revenue": Decimal("2469.00"),
        "shop_pay_method": "invoice",
    }
    fields.update(changes)
    return RevenueRow.model_validate(fields)


def test_the_name_and_the_title_say_whose_month_it_is() -> None:
    assert (
        revenue_filename("print-atelier", 2026, 3, "xlsx") == "print-atelier_revenues_2026_03.xlsx"
    )
    assert (
        revenue_filename("print-atelier", 2026, 11, "csv") == "print-atelier_revenues_2026_11.csv"
    )
    assert revenue_title("Print Atelier", 2026, 3) == "Print Atelier — revenues 2026-03"


def test_money_is_written_to_the_cent_half_up_with_a_dot() -> None:
    assert money_text(Decimal("12.5")) == "12.50"
    assert money_text(Decimal("0.005")) == "0.01"
    assert money_text(Decimal("-0.015")) == "-0.02"
    assert money_text(Decimal("1E+3")) == "1000.00", "never in exponent form"


def test_csv_cells_keep_numbers_numeric_and_neutralise_text() -> None:
    assert csv_cells(row()) == [
        "PI-7",
        "2026-11-30",
        "1234.50",
        "PO-7",
        "direct_debit",
        "2026-000007",
        "42",
        "2469.00",
        "invoice",
    ]
    credit = csv_cells(
        row(
            provider_invoice_id=None,
            provider_invoice_date=None,
            provider_order_revenue=Decimal("-10.00"),
            provider_order_id="-PO",
            provider_pay_method="=1+1",
        )
    )
    assert credit[:5] == ["", "", "-10.00", "'-PO", "'=1+1"], "a negative amount is no formula"

    text = csv_head("=Evil Shop — revenues 2026-11") + csv_text([csv_cells(row())])
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert parsed[0] == ["'=Evil Shop — revenues 2026-11"]
    assert parsed[1] == list(REVENUE_COLUMNS)
    assert parsed[2][2] == "1234.50"


@pytest.mark.parametrize(("currency", "symbol"), [("EUR", "€"), ("USD", "$"), ("CHF", "CHF")])
def test_the_currency_format_shows_the_shops_currency(currency: str, symbol: str) -> None:
    assert currency_format(currency) == f'#,##0.00 "{symbol}"'


def test_the_workbook_holds_numbers_dates_and_text_cells() -> None:
    book = RevenueWorkbook("Print Atelier — revenues 2026-11", "EUR", "2026-11")
    book.add_rows([row(), row(provider_order_id="+cmd", provider_pay_method="x\x07y")])
    book.add_rows([row(provider_invoice_id=None, provider_invoice_date=None)])
    file = io.BytesIO()
    book.save(file)

    sheet = openpyxl.load_workbook(io.BytesIO(file.getvalue())).active
    assert sheet["A1"].value == "Print Atelier — revenues 2026-11"
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == list(REVENUE_COLUMNS)
    first = sheet[3]
    assert first[1].value == datetime(2026, 11, 30)
    assert first[1].number_format == "yyyy-mm-dd"
    assert (first[2].value, first[2].number_format) == (1234.5, '#,##0.00 "€"')
    assert (first[6].value, first[7].value) == (42, 2469)
    second = sheet[4]
    assert (second[3].value, second[4].value) == ("'+cmd", "xy"), "neutralised, control dropped"
    assert (sheet["A5"].value, sheet["B5"].value) == (None, None)
    assert sheet.max_row == 5


def test_an_abandoned_workbook_leaves_no_temporary_file() -> None:
    book = RevenueWorkbook("Shop — revenues 2026-11", "EUR", "2026-11")
    book.add_rows([row()] * 3)
    written = [path for path in ALL_TEMP_FILES if os.path.exists(path)]
    assert written, "openpyxl keeps the rows in a named temporary file"

    book.discard()

    assert not [path for path in written if os.path.exists(path)]
