"""B4 and B6 end to end: 200 orders shipped at the same moment get invoice numbers 1..200
with no gap and no duplicate; the month's revenue export in CSV and XLSX adds up; the
overview shows the orders, the revenue and "(200 unpaid)"."""

from __future__ import annotations

import csv
import io
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from devtools.api_client import Gateway

sys.path.insert(0, str(Path(__file__).parent))
from order_journeys import (
    STEPS_TO_PRODUCTION,
    cart,
    customer,
    ok,
    overview_shows,
    pays_by_invoice,
    place,
    selling_shop,
    step,
)

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database]

ORDERS = 200
COLUMNS = [
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


def test_two_hundred_shipments_at_once_number_their_invoices_without_gaps(api: Gateway) -> None:
    shop = selling_shop(api, "Numbered Prints", [f"owner.{uuid.uuid4().hex[:6]}@numbers.example"])
    customer_id, _, token = customer(api, shop, "nina")
    pays_by_invoice(api, shop, customer_id, "1000000.00")

    def ready_order(index: int) -> dict[str, Any]:
        basket = cart(api, shop, token, [{"sku": "FLY", "quantity": 100 + index}])
        body = {"cart_id": basket["cart_id"], "payment_method": "invoice"}
        order = ok(place(api, shop, token, body), 201)
        for name in STEPS_TO_PRODUCTION:
            ok(step(api, shop, order["order_id"], name))
        return order

    with ThreadPoolExecutor(max_workers=8) as pool:
        orders = list(pool.map(ready_order, range(ORDERS)))

    # All 200 'shipped' steps at once, each on its own connection.
    base_url = str(api.http.base_url)

    def ship(order: dict[str, Any]) -> dict[str, Any]:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            response = client.post(
                f"/ops/v1/shops/{shop.shop_id}/orders/{order['order_id']}/steps",
                headers=api.operator,
                json={"step": "shipped", "tracking_number": f"T-{order['order_number']}"},
            )
        return ok(response)

    with ThreadPoolExecutor(max_workers=ORDERS) as pool:
        shipped = list(pool.map(ship, orders))

    numbers = sorted(o["invoice_number"] for o in shipped)
    year = numbers[0][:4]
    assert numbers == [f"{year}-{n:06d}" for n in range(1, ORDERS + 1)]
    listed = []
    for page in (1, 2):
        invoices = ok(
            api.http.get(
                "/partner/v1/invoices", headers=shop.partner, params={"page": page, "size": 100}
            )
        )
        listed += [i["invoice_number"] for i in invoices["items"]]
    assert sorted(listed) == numbers

    net = sum(Decimal(o["pricing"]["net_total"]) for o in orders)
    wholesale = sum(Decimal(o["provider"]["wholesale_net"]) for o in shipped)
    overview_shows(
        api,
        shop,
        customer_id,
        orders=ORDERS,
        order_revenue_net=f"{net:.2f}",
        unpaid=ORDERS,
    )

    # B6: the month's export in both formats, named after the shop, adding up to the orders.
    first = ok(
        api.http.get(
            f"/partner/v1/invoices/{invoices['items'][0]['invoice_id']}", headers=shop.partner
        )
    )
    issue_year, issue_month = (int(part) for part in first["issue_date"].split("-")[:2])
    params = {"year": issue_year, "month": issue_month}
    stem = f"{shop.slug}_revenues_{issue_year}_{issue_month:02d}"

    as_csv = api.http.get(
        "/partner/v1/revenue-export", headers=shop.partner, params={**params, "format": "csv"}
    )
    assert as_csv.status_code == 200, as_csv.text
    assert f'filename="{stem}.csv"' in as_csv.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert "Numbered Prints" in " ".join(rows[0])
    assert rows[1] == COLUMNS
    data = rows[2:]
    assert len(data) == ORDERS
    assert sorted(r[5] for r in data) == numbers
    assert sum(Decimal(r[7]) for r in data) == net
    assert sum(Decimal(r[2]) for r in data) == wholesale
    assert {r[8] for r in data} == {"invoice"}
    assert all(r[0] and r[1] and r[3] and r[4] for r in data), "the provider's side is filled"

    as_xlsx = api.http.get(
        "/partner/v1/revenue-export", headers=shop.partner, params={**params, "format": "xlsx"}
    )
    assert as_xlsx.status_code == 200, as_xlsx.text
    assert f'filename="{stem}.xlsx"' in as_xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).active
    assert sheet is not None
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "Numbered Prints" in " ".join(str(c) for c in cells[0] if c is not None)
    assert cells[1] == COLUMNS
    assert len(cells[2:]) == ORDERS
    assert all(isinstance(r[7], int | float) for r in cells[2:]), "money as numbers"
    assert sum(Decimal(str(r[7])) for r in cells[2:]).quantize(Decimal("0.01")) == net
    assert sum(Decimal(str(r[2])) for r in cells[2:]).quantize(Decimal("0.01")) == wholesale
