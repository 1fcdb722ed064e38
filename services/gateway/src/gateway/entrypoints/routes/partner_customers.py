"""Partner API: the shop's customer overview (O1-O3, P8) and its CSV export (P10).

Both read the gateway's own read model, never the customers service: the list is the hot path.
"""

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Select, select

from gateway.adapters.overview_queries import (
    LARGEST_NUMBER,
    SEARCH_MIN_CHARS,
    Direction,
    OverviewFilters,
    SortKey,
    export_statement,
    is_number,
    read_page,
)
from gateway.adapters.tables import shops
from gateway.domain.customer_export import EXPORT_COLUMNS, export_cells, export_filename
from gateway.entrypoints.deps import PartnerShop, RuntimeDep, SessionDep
from gateway.entrypoints.problems import Problem, problem_responses
from service_runtime.service import ServiceRuntime

router = APIRouter(prefix="/partner/v1", tags=["partner"])

PAGE_SIZES = (10, 25, 50, 100)
EXPORT_BATCH_ROWS = 1_000
"""Rows fetched from the server-side cursor and written per piece of the streamed export."""
UTF8_BOM = "\ufeff"


class InvoiceMarker(BaseModel):
    """The overview's invoice column: green dot when allowed, red '(N unpaid)' when open."""

    pays_by_invoice: bool = Field(
        description="The customer may pay by invoice: shown as a green dot."
    )
    unpaid: int = Field(
        description="Open (unpaid or overdue) invoices: shown in red as '(N unpaid)'; "
        "0 shows nothing."
    )


class CustomerRow(BaseModel):
    customer_id: UUID
    customer_number: int
    company: str | None
    first_name: str
    last_name: str
    email: str
    email_verified: bool
    registered_at: datetime
    profile_changed_at: datetime
    orders: int = Field(description="Orders not cancelled (from billing).")
    order_revenue_net: Decimal = Field(
        description="Net total of the orders not cancelled, in the shop's currency."
    )
    invoice: InvoiceMarker = Field(description="The invoice column (O1).")
    group_id: UUID | None
    group_name: str | None
    newsletter: bool
    tax_exempt: bool
    denied: bool
    b2b: bool
    special_condition: bool = Field(description='"SC": the customer has a custom discount (V2).')
    discount_percent: Decimal | None = Field(
        description='The personal discount in percent (V1); null = "Standard".'
    )


class CustomerPage(BaseModel):
    items: list[CustomerRow]
    page: int
    size: int
    total: int = Field(description="Customers matching the search and filters.")
    sort: str
    direction: str


def _invalid(field: str, reason: str) -> Problem:
    return Problem(
        422,
        "validation_failed",
        "Some fields are not valid",
        f"{field}: {reason}",
        errors=[{"field": field, "reason": reason}],
    )


async def overview_filters(
    shop_id: PartnerShop,
    q: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Search in name, email, customer number and company: 2+ characters, "
            "or a customer number.",
        ),
    ] = None,
    group_id: Annotated[UUID | None, Query(description="Only this group's members.")] = None,
    tax_exempt: Annotated[bool | None, Query()] = None,
    newsletter: Annotated[bool | None, Query(description="Marketing consent.")] = None,
    verified: Annotated[bool | None, Query(description="Email verified.")] = None,
    denied: Annotated[bool | None, Query()] = None,
    b2b: Annotated[bool | None, Query(description="Has a company or a VAT number.")] = None,
    special_condition: Annotated[
        bool | None, Query(description='Has the "SC" marker (a custom discount).')
    ] = None,
    orders_min: Annotated[
        int | None,
        Query(ge=0, le=LARGEST_NUMBER, description="At least this many orders (not cancelled)."),
    ] = None,
    orders_max: Annotated[
        int | None,
        Query(ge=0, le=LARGEST_NUMBER, description="At most this many orders (not cancelled)."),
    ] = None,
    unpaid: Annotated[
        bool | None,
        Query(description="true: has open (unpaid or overdue) invoices; false: has none."),
    ] = None,
) -> OverviewFilters:
    """The list's and the export's search and filters; a blank search means none."""
    search = (q or "").strip() or None
    if search is not None and len(search) < SEARCH_MIN_CHARS and not is_number(search):
        raise _invalid("q", f"must have at least {SEARCH_MIN_CHARS} characters (or be a number)")
    if orders_min is not None and orders_max is not None and orders_min > orders_max:
        raise _invalid("orders_min", f"must not be greater than orders_max ({orders_max})")
    return OverviewFilters(
        shop_id=shop_id,
        search=search,
        group_id=group_id,
        tax_exempt=tax_exempt,
        newsletter=newsletter,
        verified=verified,
        denied=denied,
        b2b=b2b,
        special_condition=special_condition,
        orders_min=orders_min,
        orders_max=orders_max,
        unpaid=unpaid,
    )


FiltersDep = Annotated[OverviewFilters, Depends(overview_filters)]
SortQuery = Annotated[SortKey, Query(description="Sort over all the shop's customers.")]
DirectionQuery = Annotated[Direction, Query()]


def _row(r: Any) -> CustomerRow:
    return CustomerRow(
        customer_id=r.customer_id,
        customer_number=r.customer_number,
        company=r.company,
        first_name=r.first_name,
        last_name=r.last_name,
        email=r.email,
        email_verified=r.email_verified,
        registered_at=r.registered_at,
        profile_changed_at=r.profile_changed_at,
        orders=r.orders_count,
        order_revenue_net=r.order_revenue_net,
        invoice=InvoiceMarker(pays_by_invoice=r.pays_by_invoice, unpaid=r.unpaid_invoices),
        group_id=r.group_id,
        group_name=r.group_name,
        newsletter=r.newsletter,
        tax_exempt=r.tax_exempt,
        denied=r.denied,
        b2b=r.b2b,
        special_condition=r.special_condition,
        discount_percent=r.discount_percent,
    )


@router.get("/customers", response_model=CustomerPage, responses=problem_responses(401, 422))
async def list_customers(
    filters: FiltersDep,
    session: SessionDep,
    runtime: RuntimeDep,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number.")] = 1,
    size: Annotated[int, Query(description="Rows per page: 10, 25, 50 or 100.")] = 25,
    sort: SortQuery = "customer_number",
    direction: DirectionQuery = "asc",
) -> CustomerPage:
    """The shop's customers, searched, filtered and sorted over all of them, one page at a time."""
    if size not in PAGE_SIZES:
        raise _invalid("size", "must be one of 10, 25, 50, 100")
    found = await read_page(
        session, runtime.sessions, filters, sort, direction, page=page, size=size
    )
    return CustomerPage(
        items=[_row(r) for r in found.rows],
        page=page,
        size=size,
        total=found.total,
        sort=sort,
        direction=direction,
    )


@router.get(
    "/customers/export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The customers as CSV."},
        **problem_responses(401, 422),
    },
)
async def export_customers(
    filters: FiltersDep,
    session: SessionDep,
    runtime: RuntimeDep,
    sort: SortQuery = "customer_number",
    direction: DirectionQuery = "asc",
) -> StreamingResponse:
    """All matching customers as a CSV attachment, streamed (UTF-8 with BOM for spreadsheets)."""
    shop = (
        await session.execute(
            select(shops.c.slug, shops.c.timezone).where(shops.c.shop_id == filters.shop_id)
        )
    ).one()
    zone = ZoneInfo(shop.timezone)
    day = datetime.now(UTC).astimezone(zone).date().isoformat()
    return StreamingResponse(
        _csv_pieces(runtime, export_statement(filters, sort, direction), zone),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{export_filename(shop.slug, day)}"'
        },
    )


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


async def _csv_pieces(
    runtime: ServiceRuntime, statement: Select[Any], zone: ZoneInfo
) -> AsyncIterator[bytes]:
    """The file piece by piece from a server-side cursor: never the whole result in memory.

    The request's session may be closed before the body is sent, so the export has its own.
    """
    yield (UTF8_BOM + _csv_text([list(EXPORT_COLUMNS)])).encode()
    async with runtime.sessions() as session:
        result = await session.stream(statement.execution_options(yield_per=EXPORT_BATCH_ROWS))
        async for rows in result.mappings().partitions():
            yield _csv_text([export_cells(row, zone) for row in rows]).encode()
