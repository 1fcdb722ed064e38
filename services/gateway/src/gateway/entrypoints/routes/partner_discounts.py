"""Partner API: a customer's personal discount (V1, V2) and each group's adjustment (V3).

The vouchers service keeps them; a discount set here reaches the overview's "SC" marker
through its CustomerDiscountChanged event, and the shop's report addresses by email (V6).
"""

from uuid import UUID

from fastapi import APIRouter
from pydantic import Field

from contracts.money import Percent
from contracts.vouchers import (
    CustomerPricing,
    GroupAdjustment,
    GroupAdjustments,
    ListGroupAdjustments,
    SetCustomerDiscount,
    SetGroupAdjustment,
)
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.problems import problem_responses
from gateway.entrypoints.profile_bodies import Body

router = APIRouter(prefix="/partner/v1", tags=["partner"])


class DiscountBody(Body):
    discount_percent: Percent | None = Field(
        ge=1,
        le=100,
        description='1 to 100 with up to two decimals (10, "12.5"); null = "Standard" '
        "(no personal discount).",
        examples=["10", None],
    )


class AdjustmentBody(Body):
    percent: Percent = Field(
        ge=-100,
        le=100,
        description="Negative lowers the group's product prices, positive raises them; 0 none.",
        examples=["-5", "10"],
    )


@router.put(
    "/customers/{customer_id}/discount",
    response_model=CustomerPricing,
    responses=problem_responses(401, 404, 422, 503),
)
async def set_customer_discount(
    customer_id: UUID,
    body: DiscountBody,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
) -> CustomerPricing:
    """Give the customer a personal discount on product prices (not shipping, not production
    time), or back to "Standard" with null; a custom one marks the customer "SC"."""
    return await rpc.call(
        SetCustomerDiscount(
            shop_id=shop_id,
            correlation_id=correlation,
            customer_id=customer_id,
            discount_percent=body.discount_percent,
            changed_by="partner",
        ),
        CustomerPricing,
    )


@router.get(
    "/group-adjustments", response_model=GroupAdjustments, responses=problem_responses(401, 503)
)
async def list_group_adjustments(
    shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> GroupAdjustments:
    """Every customer group of the shop with its adjustment (0 where none is set)."""
    return await rpc.call(
        ListGroupAdjustments(shop_id=shop_id, correlation_id=correlation), GroupAdjustments
    )


@router.put(
    "/groups/{group_id}/adjustment",
    response_model=GroupAdjustment,
    responses=problem_responses(401, 404, 422, 503),
)
async def set_group_adjustment(
    group_id: UUID,
    body: AdjustmentBody,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
) -> GroupAdjustment:
    """Set the group's discount (negative) or surcharge (positive) in percent."""
    return await rpc.call(
        SetGroupAdjustment(
            shop_id=shop_id, correlation_id=correlation, group_id=group_id, percent=body.percent
        ),
        GroupAdjustment,
    )
