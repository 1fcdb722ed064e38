"""Partner API: the shop's orders in full, with the provider's production order (B3, B5),
cancellations, and payments the payment provider reported (B2).

Every order id is looked up in the partner token's shop: another shop's order answers 404.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from contracts.billing import (
    CancelOrder,
    GetOrder,
    ListOrders,
    Order,
    OrderPage,
    OrderStatus,
    RecordPayment,
)
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.order_bodies import (
    IDEMPOTENCY_KEY_OPENAPI,
    IDEMPOTENCY_KEY_PROBLEM,
    CancellationBody,
    IdempotencyKeyHeader,
    PaymentBody,
)
from gateway.entrypoints.problems import problem_responses

router = APIRouter(prefix="/partner/v1", tags=["partner"])

ORDER_ERRORS = problem_responses(401, 404, 422, 503)


@router.get("/orders", response_model=OrderPage, responses=problem_responses(401, 422, 503))
async def list_orders(
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    status: Annotated[OrderStatus | None, Query(description="Only orders in this status.")] = None,
    customer_id: Annotated[UUID | None, Query(description="Only this customer's orders.")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number.")] = 1,
    size: Annotated[int, Query(ge=1, le=100, description="Orders per page.")] = 25,
) -> OrderPage:
    """The shop's orders, newest first, 'data_rejected' included."""
    return await rpc.call(
        ListOrders(
            shop_id=shop_id,
            correlation_id=correlation,
            customer_id=customer_id,
            status=status,
            page=page,
            size=size,
        ),
        OrderPage,
    )


@router.get("/orders/{order_id}", response_model=Order, responses=ORDER_ERRORS)
async def read_order(
    order_id: UUID, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> Order:
    """One order with its history, payment and the provider's production order."""
    return await rpc.call(
        GetOrder(shop_id=shop_id, correlation_id=correlation, order_id=order_id), Order
    )


@router.post(
    "/orders/{order_id}/cancel",
    response_model=Order,
    responses=problem_responses(401, 404, 409, 422, 503),
)
async def cancel_order(
    order_id: UUID,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    body: CancellationBody | None = None,
) -> Order:
    """Cancel an order before production starts (409 names the current status after that);
    its voucher can be used again."""
    return await rpc.call(
        CancelOrder(
            shop_id=shop_id,
            correlation_id=correlation,
            order_id=order_id,
            cancelled_by="partner",
            reason=body.reason if body else None,
        ),
        Order,
    )


@router.post(
    "/orders/{order_id}/payments",
    response_model=Order,
    responses={**IDEMPOTENCY_KEY_PROBLEM, **problem_responses(401, 404, 409, 422, 503)},
    openapi_extra=IDEMPOTENCY_KEY_OPENAPI,
)
async def record_payment(
    order_id: UUID,
    body: PaymentBody,
    shop_id: PartnerShop,
    key: IdempotencyKeyHeader,
    rpc: RpcDep,
    correlation: CorrelationId,
) -> Order:
    """Record a payment the payment provider reported (nothing is charged here); a prepaid
    order paid in full goes to production. The same Idempotency-Key records it once."""
    return await rpc.call(
        RecordPayment(
            shop_id=shop_id,
            correlation_id=correlation,
            order_id=order_id,
            idempotency_key=key,
            amount=body.amount,
            reference=body.reference,
            paid_at=body.paid_at,
        ),
        Order,
    )
