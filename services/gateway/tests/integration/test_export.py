"""GET /partner/v1/customers/export over HTTP against the real read model: a streamed CSV
attachment with the list's filters and sort, formulas neutralised, no other shop's customers."""

from __future__ import annotations

import asyncio
import csv
import io
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import update

from contracts.customers import (
    CustomerGroup,
    CustomerGroupChanged,
    CustomersImported,
    CustomerSnapshot,
)
from gateway.adapters.tables import customer_overview as overview
from gateway.domain.customer_export import EXPORT_COLUMNS
from gateway.domain.tokens import new_partner_token
from gateway.entrypoints.routes import partner_customers
from gateway.handlers.customer_overview import apply_customers_imported, apply_group_changed
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from gateway_support import insert_partner_token, insert_shop

pytestmark = pytest.mark.database
DATABASE_PREFIX = "t_gateway_export_"

T0 = datetime(2026, 7, 14, 21, 30, tzinfo=UTC)  # 23:30 in Paris


async def open_shop(runtime: ServiceRuntime, slug: str) -> tuple[UUID, dict[str, str]]:
    shop_id, token = uuid4(), new_partner_token()
    async with runtime.unit_of_work() as uow:
        await insert_shop(
            uow.session,
            shop_id,
            T0,
            brand_name=slug,
            slug=slug,
            default_language="fr",
            sender_email="shop@example.com",
            verification_mode="code",
        )
        await insert_partner_token(uow.session, shop_id, token, "tests", T0)
        await uow.commit()
    return shop_id, {"Authorization": f"Bearer {token}"}


def snapshot(number: int, **changes: Any) -> CustomerSnapshot:
    fields: dict[str, Any] = {
        "customer_id": uuid4(),
        "identity_id": uuid4(),
        "customer_number": number,
        "revision": 1,
        "email": f"c{number}@example.com",
        "email_verified": True,
        "first_name": "Zoé",
        "last_name": f"Müller{number:03d}",
        "language": "de",
        "newsletter": number % 2 == 0,
        "registered_at": T0,
        "profile_changed_at": T0 + timedelta(days=1),
    }
    fields.update(changes)
    return CustomerSnapshot(**fields)


async def load(runtime: ServiceRuntime, shop_id: UUID, customers: list[CustomerSnapshot]) -> None:
    async with runtime.unit_of_work() as uow:
        await apply_customers_imported(
            CustomersImported(
                shop_id=shop_id, import_id=uuid4(), chunk=1, chunks=1, customers=customers
            ),
            uow,
        )
        await uow.commit()


def parse(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need to read UTF-8
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
async def shop(app_runtime: tuple[Any, ServiceRuntime]) -> tuple[UUID, dict[str, str], UUID]:
    runtime = app_runtime[1]
    shop_id, auth = await open_shop(runtime, f"atelier-{uuid4().hex[:6]}")
    group_id = uuid4()
    risky = snapshot(
        1,
        first_name='=HYPERLINK("http://evil.example","x")',
        last_name="\tcmd|calc",
        company="@SUM(A1:A9)",
        phone="+33612345678",
        vat_number="FR40303265045",
        registration_number="-2+3",
        group_id=group_id,
        tax_exempt=True,
        newsletter=True,
    )
    others = [snapshot(n, company="Crème & Brûlée, SARL" if n == 2 else None) for n in range(2, 8)]
    await load(runtime, shop_id, [risky, *others])
    async with runtime.unit_of_work() as uow:
        await apply_group_changed(
            CustomerGroupChanged(
                shop_id=shop_id,
                group=CustomerGroup(group_id=group_id, name="+Resellers"),
                changed_at=T0,
            ),
            uow,
        )
        await uow.session.execute(
            update(overview)
            .where(overview.c.customer_id == risky.customer_id)
            .values(orders_count=3, order_revenue_net=Decimal("1234.5"))
        )
        await uow.commit()
    other_shop, _ = await open_shop(runtime, f"other-{uuid4().hex[:6]}")
    await load(runtime, other_shop, [snapshot(n, email=f"other{n}@example.com") for n in (1, 2)])
    return shop_id, auth, group_id


async def test_the_export_is_a_csv_attachment_named_after_the_shop_and_day(
    client: httpx.AsyncClient,
    app_runtime: tuple[Any, ServiceRuntime],
    shop: tuple[UUID, dict[str, str], UUID],
) -> None:
    _, auth, _ = shop
    response = await client.get("/partner/v1/customers/export", headers=auth)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    day = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="customers-atelier-')
    assert disposition.endswith(f'-{day}.csv"')

    rows = parse(response.content)
    assert rows[0] == list(EXPORT_COLUMNS)
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 8)]  # none of the other shop
    assert {row[3] for row in rows[1:]}.isdisjoint({"other1@example.com", "other2@example.com"})
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["company"] == "Crème & Brûlée, SARL"  # accents and the comma survive
    assert second["first_name"] == "Zoé"
    assert second["group"] == ""
    assert second["registered_at"] == "2026-07-14 23:30:00+02:00"  # the shop's time zone


async def test_cells_a_spreadsheet_would_run_are_neutralised(
    client: httpx.AsyncClient, shop: tuple[UUID, dict[str, str], UUID]
) -> None:
    _, auth, _ = shop
    rows = parse((await client.get("/partner/v1/customers/export", headers=auth)).content)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first == {
        "customer_number": "1",
        "first_name": '\'=HYPERLINK("http://evil.example","x")',
        "last_name": "'\tcmd|calc",
        "email": "c1@example.com",
        "email_verified": "true",
        "company": "'@SUM(A1:A9)",
        "vat_number": "FR40303265045",
        "registration_number": "'-2+3",
        "phone": "'+33612345678",
        "language": "de",
        "newsletter": "true",
        "tax_exempt": "true",
        "group": "'+Resellers",
        "denied": "false",
        "registered_at": "2026-07-14 23:30:00+02:00",
        "profile_changed_at": "2026-07-15 23:30:00+02:00",
        "orders": "3",
        "order_revenue_net": "1234.50",
    }


async def test_the_export_follows_the_lists_filters_and_sort(
    client: httpx.AsyncClient, shop: tuple[UUID, dict[str, str], UUID]
) -> None:
    _, auth, group_id = shop
    response = await client.get(
        "/partner/v1/customers/export",
        params={"newsletter": "true", "sort": "name", "direction": "desc"},
        headers=auth,
    )
    rows = parse(response.content)
    assert [row[0] for row in rows[1:]] == [
        "6",
        "4",
        "2",
        "1",
    ]  # Müller006 ... then the tab-led name
    response = await client.get(
        "/partner/v1/customers/export", params={"group_id": str(group_id)}, headers=auth
    )
    assert [row[0] for row in parse(response.content)[1:]] == ["1"]
    response = await client.get(
        "/partner/v1/customers/export", params={"q": "müller00"}, headers=auth
    )
    assert [row[0] for row in parse(response.content)[1:]] == [str(n) for n in range(2, 8)]
    response = await client.get("/partner/v1/customers/export", params={"q": "x"}, headers=auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"


async def asgi_body_pieces(app: Any, path: str, headers: dict[str, str]) -> list[bytes]:
    """Call the app as a server would and keep each body message it sends (httpx's test
    transport joins them)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("gateway", 80),
    }
    pieces: list[bytes] = []
    requested, finished = False, asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200
        elif message["type"] == "http.response.body":
            if message.get("body"):
                pieces.append(message["body"])
            if not message.get("more_body"):
                finished.set()

    await app(scope, receive, send)
    return pieces


async def test_the_export_streams_in_batches_from_a_cursor(
    app_runtime: tuple[Any, ServiceRuntime],
    shop: tuple[UUID, dict[str, str], UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, auth, _ = shop
    monkeypatch.setattr(partner_customers, "EXPORT_BATCH_ROWS", 2)
    pieces = await asgi_body_pieces(app_runtime[0], "/partner/v1/customers/export", auth)
    assert len(pieces) == 5  # the header, then the 7 rows two by two
    assert [len(parse(pieces[0] + piece)) - 1 for piece in pieces[1:]] == [2, 2, 2, 1]
    rows = parse(b"".join(pieces))
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 8)]


async def test_the_export_needs_a_partner_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/partner/v1/customers/export")
    assert response.status_code == 401
