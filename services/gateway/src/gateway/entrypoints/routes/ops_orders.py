"""Operator API: the print provider's side of a shop's orders (B5), standing in for the
provider's platform: its view of the orders and the production steps it reports.

The path names the shop: an unknown shop, or an order of another shop, answers 404.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from contracts.billing import AdvanceOrder, ListOrders, Order, OrderPage, OrderStatus
from gateway.entrypoints.deps import CorrelationId, RpcDep, StorefrontShop, require_operator
from gateway.entrypoints.order_bodies import ProviderStepBody, fields_refused
from gateway.entrypoints.problems import problem_responses

router = APIRouter(
    prefix="/ops/v1/shops/{shop_id}", tags=["operator"], dependencies=[Depends(require_operator)]
)

ShopInPath = StorefrontShop
"""Any known shop: its id in the path, checked against the gateway's shops."""


@router.get("/orders", response_model=OrderPage, responses=problem_responses(401, 404, 422, 503))
async def list_shop_orders(
    shop_id: ShopInPath,
    rpc: RpcDep,
    correlation: CorrelationId,
    status: Annotated[OrderStatus | None, Query(description="Only orders in this status.")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number.")] = 1,
    size: Annotated[int, Query(ge=1, le=100, description="Orders per page.")] = 25,
) -> OrderPage:
    """The shop's orders, newest first, e.g. status=placed for the production queue."""
    return await rpc.call(
        ListOrders(
            shop_id=shop_id, correlation_id=correlation, status=status, page=page, size=size
        ),
        OrderPage,
    )


@router.post(
    "/orders/{order_id}/steps",
    response_model=Order,
    responses=problem_responses(401, 404, 409, 422, 503),
)
async def report_step(
    order_id: UUID,
    body: ProviderStepBody,
    shop_id: ShopInPath,
    rpc: RpcDep,
    correlation: CorrelationId,
) -> Order:
    """A production step of the order: data received, checked or rejected, in production,
    shipped (with the tracking number; it invoices the order). An impossible step answers
    409 /problems/invalid_transition naming the current status; a prepaid order not paid
    yet answers 409 /problems/awaiting_payment."""
    if problems := body.problems():
        raise fields_refused(problems)
    return await rpc.call(
        AdvanceOrder(
            shop_id=shop_id,
            correlation_id=correlation,
            order_id=order_id,
            step=body.step,
            note=body.note,
            tracking_number=body.tracking_number,
            provider_invoice_id=body.provider_invoice_id,
            provider_invoice_date=body.provider_invoice_date,
        ),
        Order,
    )
