"""The partner's customer sheet (P11): the customers service's record with the customer's pricing
and vouchers (vouchers), carts, orders and invoices (billing) and the billing figures the
gateway keeps, all asked for at the same time.

The record decides: without it there is no sheet (its 404 is the answer). Every other part only
completes it: when its service refuses, is slow or is down, the sheet still opens and says what
it lacks.
"""

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, TypeVar
from uuid import UUID

import structlog
from pydantic import AwareDatetime, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.billing import (
    CartSummary,
    CustomerBillingFigures,
    CustomerCarts,
    InvoicePage,
    InvoiceSummary,
    ListCustomerCarts,
    ListInvoices,
    ListOrders,
    OrderPage,
    OrderSummary,
)
from contracts.customers import CustomerSheet, GetCustomer
from contracts.vouchers import (
    CustomerPricing,
    GetCustomerPricing,
    ListVouchers,
    Voucher,
    VoucherPage,
)
from gateway.adapters.billing_figures import KnownFigures, read_figures
from service_runtime.rpc_client import RpcClient

log = structlog.get_logger(__name__)

SheetPart = Literal["pricing", "carts", "orders", "invoices", "vouchers", "billing"]
PartT = TypeVar("PartT")
ZERO = Decimal("0.00")

SHEET_LIST_SIZE = 100
"""Orders, invoices and vouchers the sheet shows, newest first (the largest page billing gives)."""


class SheetBilling(CustomerBillingFigures):
    """The customer's billing figures as billing last reported them to the gateway."""

    over_limit: bool = Field(description="The outstanding amount is above the credit limit.")
    changed_at: AwareDatetime | None = Field(
        description="When billing last changed them; null: no order yet (all zero, and the "
        "credit limit of the customer's B2B terms)."
    )


class PartnerCustomerSheet(CustomerSheet):
    """The customer sheet with the discount and its "SC" marker, carts, orders, invoices,
    vouchers and billing figures."""

    pricing: CustomerPricing | None = Field(
        default=None,
        description="Group adjustment, personal discount and SC; null when it could not be read.",
    )
    carts: list[CartSummary] = Field(
        default_factory=list, description="Open and abandoned carts, latest activity first."
    )
    orders: list[OrderSummary] = Field(
        default_factory=list,
        description=f"The newest {SHEET_LIST_SIZE} orders with their status, newest first.",
    )
    invoices: list[InvoiceSummary] = Field(
        default_factory=list,
        description=f"The newest {SHEET_LIST_SIZE} invoices and credit notes, newest first; "
        "status 'unpaid' or 'overdue' marks the open ones.",
    )
    vouchers: list[Voucher] = Field(
        default_factory=list,
        description=f"The newest {SHEET_LIST_SIZE} vouchers issued to this customer only.",
    )
    billing: SheetBilling | None = Field(
        default=None,
        description="Orders, revenue, unpaid invoices, outstanding and credit limit; null when "
        "they could not be read.",
    )
    incomplete: list[SheetPart] = Field(
        default_factory=list,
        description="Parts that could not be read just now (their service did not answer).",
    )


@dataclass(frozen=True)
class FiguresRead:
    """What the gateway's table holds for the customer: None when billing reported nothing."""

    found: KnownFigures | None


async def optional_part(part: SheetPart, call: Awaitable[PartT]) -> PartT | None:
    """The part, or None whatever went wrong: a refusal, a timeout, an unreachable service."""
    try:
        return await call
    except Exception:  # the sheet must open without this part
        log.warning("customer_sheet_part_missing", part=part, exc_info=True)
        return None


async def _read_figures(
    sessions: async_sessionmaker[AsyncSession], shop_id: UUID, customer_id: UUID
) -> FiguresRead:
    async with sessions() as session:
        return FiguresRead(await read_figures(session, shop_id, customer_id))


async def _not_asked() -> None:
    return None


def sheet_billing(read: FiguresRead, sheet: CustomerSheet) -> SheetBilling:
    """Billing's figures; before the first order, zeros and the record's credit limit."""
    if read.found is None:
        values = CustomerBillingFigures(
            orders_count=0,
            order_revenue_net=ZERO,
            unpaid_invoices=0,
            unpaid_total=ZERO,
            outstanding=ZERO,
            credit_limit=sheet.customer.b2b.credit_limit,
        )
        changed_at: datetime | None = None
    else:
        values, changed_at = read.found.values, read.found.changed_at
    return SheetBilling(
        **dict(values),
        over_limit=values.outstanding > values.credit_limit,
        changed_at=changed_at,
    )


async def read_partner_sheet(
    rpc: RpcClient,
    shop_id: UUID,
    customer_id: UUID,
    correlation: UUID,
    parts_timeout: float,
    *,
    figures: async_sessionmaker[AsyncSession] | None = None,
) -> PartnerCustomerSheet:
    """Every read runs side by side; a refusal of the customers service is raised as is.

    ``figures`` are the gateway's database sessions the billing figures are read with; without
    them the sheet names "billing" incomplete.
    """

    def envelope() -> dict[str, UUID]:
        return {"shop_id": shop_id, "correlation_id": correlation, "customer_id": customer_id}

    def newest() -> dict[str, int]:
        return {"page": 1, "size": SHEET_LIST_SIZE}

    wait = parts_timeout
    completing = asyncio.gather(
        optional_part(
            "pricing",
            rpc.call(GetCustomerPricing(**envelope()), CustomerPricing, wait_seconds=wait),
        ),
        optional_part(
            "carts", rpc.call(ListCustomerCarts(**envelope()), CustomerCarts, wait_seconds=wait)
        ),
        optional_part(
            "orders",
            rpc.call(ListOrders(**envelope(), **newest()), OrderPage, wait_seconds=wait),
        ),
        optional_part(
            "invoices",
            rpc.call(ListInvoices(**envelope(), **newest()), InvoicePage, wait_seconds=wait),
        ),
        optional_part(
            "vouchers",
            rpc.call(ListVouchers(**envelope(), **newest()), VoucherPage, wait_seconds=wait),
        ),
        optional_part("billing", _read_figures(figures, shop_id, customer_id))
        if figures is not None
        else _not_asked(),
    )
    sheet, (pricing, carts, orders, invoices, vouchers, billing) = await asyncio.gather(
        rpc.call(GetCustomer(**envelope()), CustomerSheet), completing
    )
    parts: dict[SheetPart, object | None] = {
        "pricing": pricing,
        "carts": carts,
        "orders": orders,
        "invoices": invoices,
        "vouchers": vouchers,
        "billing": billing,
    }
    return PartnerCustomerSheet(
        **dict(sheet),
        pricing=pricing,
        carts=carts.items if carts is not None else [],
        orders=orders.items if orders is not None else [],
        invoices=invoices.items if invoices is not None else [],
        vouchers=vouchers.items if vouchers is not None else [],
        billing=sheet_billing(billing, sheet) if billing is not None else None,
        incomplete=[part for part, value in parts.items() if value is None],
    )
