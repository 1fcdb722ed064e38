"""The partner's monthly revenue export (B6) as a file: a title row, the header, then one row per
order invoiced (or credited) that month, as a spreadsheet and the partner's accountant read it.

Money stays a number (a dot decimal in CSV, a numeric cell with the shop's currency format in
XLSX), dates are ISO in CSV and date cells in XLSX, and every text cell is formula-neutralised.
"""

import csv
import io
import os
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any, Literal

from babel.numbers import get_currency_symbol
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from contracts.billing import RevenueRow
from gateway.domain.csv_cells import neutralise

RevenueFormat = Literal["csv", "xlsx"]

REVENUE_COLUMNS = (
    "provider invoice ID",
    "provider invoice date",
    "provider order revenue",
    "provider order ID",
    "provider pay method",
    "shop invoice ID",
    "shop order ID",
    "shop order revenue",
    "shop pay method",
)
"""The header, word for word as B6 names the columns."""

MEDIA_TYPES: dict[RevenueFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UTF8_BOM = "\ufeff"
"""Lets spreadsheets open the CSV as UTF-8 (the brand name and the title's dash)."""
CENT = Decimal("0.01")
DATE_FORMAT = "yyyy-mm-dd"
COLUMN_WIDTHS = (22, 20, 22, 22, 20, 18, 14, 20, 18)


def revenue_filename(shop_slug: str, year: int, month: int, file_format: RevenueFormat) -> str:
    """``<shop slug>_revenues_YYYY_MM.<ext>``."""
    return f"{shop_slug}_revenues_{year:04d}_{month:02d}.{file_format}"


def revenue_title(brand_name: str, year: int, month: int) -> str:
    """The first row: whose revenues and which month, e.g. 'Print Atelier — revenues 2026-11'."""
    return f"{brand_name} — revenues {year:04d}-{month:02d}"


def money_text(amount: Decimal) -> str:
    """To the cent, half-up, with a dot: what any spreadsheet reads back as a number."""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def _text(value: str | None) -> str:
    return neutralise(value or "")


def csv_cells(row: RevenueRow) -> list[str]:
    """One row's cells in REVENUE_COLUMNS order: numbers as numbers, text neutralised."""
    invoice_date = row.provider_invoice_date
    return [
        _text(row.provider_invoice_id),
        invoice_date.isoformat() if invoice_date is not None else "",
        money_text(row.provider_order_revenue),
        _text(row.provider_order_id),
        _text(row.provider_pay_method),
        _text(row.shop_invoice_id),
        str(row.shop_order_id),
        money_text(row.shop_order_revenue),
        _text(row.shop_pay_method),
    ]


def csv_text(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def csv_head(title: str) -> str:
    """What the CSV starts with: the BOM, the title row and the header."""
    return UTF8_BOM + csv_text([[neutralise(title)], list(REVENUE_COLUMNS)])


def currency_format(currency: str) -> str:
    """A number format showing the amount with the currency's symbol, e.g. '#,##0.00 "€"'."""
    symbol = get_currency_symbol(currency, locale="en").replace('"', "")
    return f'#,##0.00 "{symbol}"'


def _sheet_text(value: str | None) -> str | None:
    """Neutralised, and without the control characters an XLSX cell cannot hold; None stays
    an empty cell."""
    if value is None:
        return None
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(cleaned)


class RevenueWorkbook:
    """The XLSX file, written row by row in openpyxl's write-only mode: rows go to a temporary
    file as they come, so memory stays flat whatever the month's size."""

    def __init__(self, title: str, currency: str, sheet_name: str) -> None:
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(sheet_name)
        for index, width in enumerate(COLUMN_WIDTHS):
            self._sheet.column_dimensions[chr(ord("A") + index)].width = width
        self._money_format = currency_format(currency)
        bold = Font(bold=True)
        self._sheet.append([self._cell(_sheet_text(title), font=bold)])
        self._sheet.append([self._cell(name, font=bold) for name in REVENUE_COLUMNS])

    def _cell(self, value: Any, *, number_format: str | None = None, font: Any = None) -> Any:
        cell = WriteOnlyCell(self._sheet, value=value)
        if number_format is not None:
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        return cell

    def _money(self, amount: Decimal) -> Any:
        return self._cell(
            amount.quantize(CENT, rounding=ROUND_HALF_UP), number_format=self._money_format
        )

    def _date(self, day: date | None) -> Any:
        return self._cell(day, number_format=DATE_FORMAT) if day is not None else None

    def add_rows(self, rows: Iterable[RevenueRow]) -> None:
        for row in rows:
            self._sheet.append(
                [
                    _sheet_text(row.provider_invoice_id),
                    self._date(row.provider_invoice_date),
                    self._money(row.provider_order_revenue),
                    _sheet_text(row.provider_order_id),
                    _sheet_text(row.provider_pay_method),
                    _sheet_text(row.shop_invoice_id),
                    row.shop_order_id,
                    self._money(row.shop_order_revenue),
                    _sheet_text(row.shop_pay_method),
                ]
            )

    def save(self, file: IO[bytes]) -> None:
        """Zip the workbook into ``file`` (a write-only workbook can be saved once); openpyxl
        removes its temporary file of rows then."""
        self._book.save(file)

    def discard(self) -> None:
        """Remove the rows written so far of a workbook that will not be saved: openpyxl keeps
        them in a named temporary file it would otherwise delete only when the process exits."""
        if not self._sheet.closed:
            self._sheet.close()
        writer = self._sheet._writer
        if writer is not None and isinstance(writer.out, str) and os.path.exists(writer.out):
            writer.cleanup()
