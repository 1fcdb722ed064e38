"""Partner API: the shop's customer overview (O1-O3), read from the gateway's own read model."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import func, select

from gateway.adapters.tables import customer_overview as overview
from gateway.entrypoints.deps import PartnerShop, SessionDep
from gateway.entrypoints.problems import Problem

router = APIRouter(prefix="/partner/v1", tags=["partner"])

PAGE_SIZES = (10, 25, 50, 100)
SORT_COLUMNS = {
    "customer_number": overview.c.customer_number,
    "company": overview.c.company,
    "name": overview.c.sort_name,
    "orders": overview.c.orders_count,
    "order_revenue": overview.c.order_revenue_net,
}


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
    orders: int
    order_revenue_net: Decimal


class CustomerPage(BaseModel):
    items: list[CustomerRow]
    page: int
    size: int
    total: int
    sort: str
    direction: str


@router.get("/customers", response_model=CustomerPage)
async def list_customers(
    shop_id: PartnerShop,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, description="1-based page number.")] = 1,
    size: Annotated[int, Query(description="Rows per page: 10, 25, 50 or 100.")] = 25,
    sort: Annotated[
        Literal["customer_number", "company", "name", "orders", "order_revenue"], Query()
    ] = "customer_number",
    direction: Annotated[Literal["asc", "desc"], Query()] = "asc",
) -> CustomerPage:
    """The shop's customers, sorted over all of them, one page at a time."""
    if size not in PAGE_SIZES:
        raise Problem(
            422,
            "validation_failed",
            "Some fields are not valid",
            "size: must be one of 10, 25, 50, 100",
            errors=[{"field": "size", "reason": "must be one of 10, 25, 50, 100"}],
        )
    column = SORT_COLUMNS[sort]
    order = column.asc() if direction == "asc" else column.desc()
    tie = overview.c.customer_id.asc() if direction == "asc" else overview.c.customer_id.desc()
    rows = (
        await session.execute(
            select(overview)
            .where(overview.c.shop_id == shop_id)
            .order_by(order.nulls_last(), tie)
            .limit(size)
            .offset((page - 1) * size)
        )
    ).all()
    total = await session.scalar(
        select(func.count()).select_from(overview).where(overview.c.shop_id == shop_id)
    )
    items = [
        CustomerRow(
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
        )
        for r in rows
    ]
    return CustomerPage(
        items=items, page=page, size=size, total=total or 0, sort=sort, direction=direction
    )
