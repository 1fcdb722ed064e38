"""The partner's customer sheet (P11): the customers service's record with the customer's pricing
(vouchers) and carts (billing), asked for at the same time.

The record decides: without it there is no sheet (its 404 is the answer). Pricing and carts
only complete it: when their service refuses, is slow or is down, the sheet still opens and
says what it lacks.
"""

import asyncio
from collections.abc import Awaitable
from typing import Literal, TypeVar
from uuid import UUID

import structlog
from pydantic import Field

from contracts.billing import CartSummary, CustomerCarts, ListCustomerCarts
from contracts.customers import CustomerSheet, GetCustomer
from contracts.vouchers import CustomerPricing, GetCustomerPricing
from service_runtime.rpc_client import RpcClient

log = structlog.get_logger(__name__)

SheetPart = Literal["pricing", "carts"]
PartT = TypeVar("PartT")


class PartnerCustomerSheet(CustomerSheet):
    """The customer sheet with the discount and its "SC" marker and the open carts."""

    pricing: CustomerPricing | None = Field(
        default=None,
        description="Group adjustment, personal discount and SC; null when it could not be read.",
    )
    carts: list[CartSummary] = Field(
        default_factory=list, description="Open and abandoned carts, latest activity first."
    )
    incomplete: list[SheetPart] = Field(
        default_factory=list,
        description="Parts that could not be read just now (their service did not answer).",
    )


async def optional_part(part: SheetPart, call: Awaitable[PartT]) -> PartT | None:
    """The part, or None whatever went wrong: a refusal, a timeout, an unreachable service."""
    try:
        return await call
    except Exception:  # the sheet must open without this part
        log.warning("customer_sheet_part_missing", part=part, exc_info=True)
        return None


async def read_partner_sheet(
    rpc: RpcClient, shop_id: UUID, customer_id: UUID, correlation: UUID, parts_timeout: float
) -> PartnerCustomerSheet:
    """The three reads run side by side; a refusal of the customers service is raised as is."""

    def envelope() -> dict[str, UUID]:
        return {"shop_id": shop_id, "correlation_id": correlation, "customer_id": customer_id}

    sheet, pricing, carts = await asyncio.gather(
        rpc.call(GetCustomer(**envelope()), CustomerSheet),
        optional_part(
            "pricing",
            rpc.call(GetCustomerPricing(**envelope()), CustomerPricing, wait_seconds=parts_timeout),
        ),
        optional_part(
            "carts",
            rpc.call(ListCustomerCarts(**envelope()), CustomerCarts, wait_seconds=parts_timeout),
        ),
    )
    missing: list[SheetPart] = []
    if pricing is None:
        missing.append("pricing")
    if carts is None:
        missing.append("carts")
    return PartnerCustomerSheet(
        **dict(sheet),
        pricing=pricing,
        carts=carts.items if carts is not None else [],
        incomplete=missing,
    )
