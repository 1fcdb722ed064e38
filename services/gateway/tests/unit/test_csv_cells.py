"""Export cells: formula neutralising (OWASP CSV injection) and how values are written."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gateway.domain.csv_cells import neutralise
from gateway.domain.customer_export import EXPORT_COLUMNS, export_cells, export_filename


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","click")',
        "+33612345678",
        "-2+3",
        "@SUM(A1:A2)",
        "\tcmd",
        "\r=1",
        "=",
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_leading_quote(cell: str) -> None:
    assert neutralise(cell) == f"'{cell}"


@pytest.mark.parametrize(
    "cell", ["", "Ada", "ada@example.com", "1+1", " =1", "a=b", "'=already", "Zoé", "12.50"]
)
def test_other_cells_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell


def test_export_cells_write_values_as_the_import_reads_them() -> None:
    row: dict[str, Any] = dict.fromkeys(EXPORT_COLUMNS)
    row.update(
        customer_number=7,
        first_name="=cmd",
        last_name="Lovelace",
        email="ada@example.com",
        email_verified=True,
        newsletter=False,
        tax_exempt=False,
        denied=False,
        phone="+33612345678",
        registered_at=datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
        profile_changed_at=datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=UTC),
        orders=0,
        order_revenue_net=Decimal("12.5"),
    )
    cells = dict(zip(EXPORT_COLUMNS, export_cells(row, ZoneInfo("Europe/Paris")), strict=True))
    assert cells["customer_number"] == "7"
    assert cells["first_name"] == "'=cmd"
    assert cells["phone"] == "'+33612345678"
    assert (cells["email_verified"], cells["newsletter"]) == ("true", "false")
    assert cells["company"] == cells["group"] == ""
    assert cells["registered_at"] == "2026-02-01 00:30:00+01:00"
    assert cells["profile_changed_at"] == "2026-07-01 14:00:00+02:00"
    assert (cells["orders"], cells["order_revenue_net"]) == ("0", "12.50")


def test_the_file_is_named_after_the_shop_and_the_day() -> None:
    assert (
        export_filename("atelier-lumiere", "2026-11-27")
        == "customers-atelier-lumiere-2026-11-27.csv"
    )
