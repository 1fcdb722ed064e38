"""Storefront API: payment options, placing an order as a customer or a guest, and the
customer's own orders (B2, B3, A8, A10).

Every order a customer reads goes through order_views: never the provider's side, never
'data_rejected' (N3). Billing checks that an order is the customer's (it gets their id); the
gateway checks the answer again, so another customer's order can only ever answer 404.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from contracts.billing import (
    CancelOrder,
    GetOrder,
    ListOrders,
    ListPaymentOptions,
    Order,
    OrderPage,
    PaymentOptions,
    PlaceOrder,
)
from gateway.entrypoints.deps import (
    CorrelationId,
    CustomerSession,
    OptionalCustomer,
    ReadSessionDep,
    RpcDep,
    StorefrontShop,
)
from gateway.entrypoints.order_bodies import (
    IDEMPOTENCY_KEY_OPENAPI,
    IDEMPOTENCY_KEY_PROBLEM,
    CancellationBody,
    IdempotencyKeyHeader,
    OrderRequest,
    fields_refused,
)
from gateway.entrypoints.order_views import (
    CustomerOrder,
    CustomerOrderPage,
    customer_order,
    customer_order_page,
    customer_refusal,
)
from gateway.entrypoints.problems import Problem, problem_responses
from gateway.entrypoints.routes.storefront_products import shop_language
from service_runtime.rpc_client import RpcRefused

router = APIRouter(prefix="/storefront/v1/shops/{shop_id}", tags=["storefront"])

PLACE_ORDER_WAIT = 15.0
"""Seconds a placement may take: billing prices the cart and redeems its voucher through the
vouchers service inside it (two calls), then commits."""

Page = Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number.")]
Size = Annotated[int, Query(ge=1, le=100, description="Orders per page.")]


def order_not_found() -> Problem:
    return Problem(404, "order_not_found", "Unknown order", "There is no such order.")


def key_used_for_another_order() -> Problem:
    return Problem(
        409,
        "idempotency_key_reused",
        "Idempotency-Key used for another order",
        "This Idempotency-Key already placed an order for another cart or buyer; "
        "send a new key for a new order.",
        errors=[{"field": "Idempotency-Key", "reason": "was used for another order"}],
    )


def own(order: Order, customer_id: UUID) -> CustomerOrder:
    """The customer view of an order that is this customer's; anything else is 'not found'."""
    if order.customer_id != customer_id:
        raise order_not_found()
    return customer_order(order)


@router.get(
    "/payment-options",
    response_model=PaymentOptions,
    responses=problem_responses(401, 404, 422, 503),
)
async def read_payment_options(
    shop_id: StorefrontShop,
    customer: OptionalCustomer,
    rpc: RpcDep,
    correlation: CorrelationId,
    cart_id: Annotated[
        UUID | None,
        Query(description="With the cart, 'invoice' is also checked against the credit limit."),
    ] = None,
) -> PaymentOptions:
    """The payment methods this checkout may offer; 'invoice' only to customers who pay by
    invoice and stay within their credit limit (the figures say why not)."""
    return await rpc.call(
        ListPaymentOptions(
            shop_id=shop_id,
            correlation_id=correlation,
            customer_id=customer.customer_id if customer else None,
            cart_id=cart_id,
        ),
        PaymentOptions,
    )


@router.post(
    "/orders",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomerOrder,
    responses={**IDEMPOTENCY_KEY_PROBLEM, **problem_responses(401, 404, 409, 422, 503)},
    openapi_extra=IDEMPOTENCY_KEY_OPENAPI,
)
async def place_order(
    body: OrderRequest,
    shop_id: StorefrontShop,
    customer: OptionalCustomer,
    key: IdempotencyKeyHeader,
    session: ReadSessionDep,
    rpc: RpcDep,
    correlation: CorrelationId,
    response: Response,
) -> CustomerOrder:
    """Order the cart, as the logged-in customer or as a guest (no account is created).

    The same Idempotency-Key again answers the same order (201 again), never a second one.
    A customer's order answers with its Location. Refusals name their reason:
    /problems/credit_limit_exceeded (both figures in the detail), /problems/voucher_<reason>,
    /problems/cart_not_found (404), and 503 with Retry-After while a service is not ready.
    """
    customer_id = customer.customer_id if customer else None
    if problems := body.problems(as_customer=customer is not None):
        raise fields_refused(problems)
    guest = None
    if body.guest is not None:
        guest = body.guest_contact(body.guest.language or await shop_language(session, shop_id))
    order = await rpc.call(
        PlaceOrder(
            shop_id=shop_id,
            correlation_id=correlation,
            idempotency_key=key,
            cart_id=body.cart_id,
            customer_id=customer_id,
            guest=guest,
            payment_method=body.payment_method,
            billing_address=body.billing_address.to_contract() if body.billing_address else None,
            shipping_address=(
                body.shipping_address.to_contract() if body.shipping_address else None
            ),
        ),
        Order,
        wait_seconds=PLACE_ORDER_WAIT,
    )
    # A key answers the order it placed first: it must be this caller's and this cart's.
    if order.cart_id != body.cart_id or order.customer_id != customer_id:
        raise key_used_for_another_order()
    if customer_id is not None:
        response.headers["Location"] = f"/storefront/v1/shops/{shop_id}/me/orders/{order.order_id}"
    return customer_order(order)


@router.get(
    "/me/orders", response_model=CustomerOrderPage, responses=problem_responses(401, 404, 422, 503)
)
async def list_own_orders(
    customer: CustomerSession,
    rpc: RpcDep,
    correlation: CorrelationId,
    page: Page = 1,
    size: Size = 25,
) -> CustomerOrderPage:
    """The customer's orders in this shop, newest first, with where each stands (A8)."""
    result = await rpc.call(
        ListOrders(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            customer_id=customer.customer_id,
            page=page,
            size=size,
        ),
        OrderPage,
    )
    mine = result.model_copy(
        update={"items": [s for s in result.items if s.customer_id == customer.customer_id]}
    )
    return customer_order_page(mine)


@router.get(
    "/me/orders/{order_id}",
    response_model=CustomerOrder,
    responses=problem_responses(401, 404, 422, 503),
)
async def read_own_order(
    order_id: UUID, customer: CustomerSession, rpc: RpcDep, correlation: CorrelationId
) -> CustomerOrder:
    """One of the customer's orders with its prices, history and tracking number."""
    order = await rpc.call(
        GetOrder(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            order_id=order_id,
            customer_id=customer.customer_id,
        ),
        Order,
    )
    return own(order, customer.customer_id)


@router.post(
    "/me/orders/{order_id}/cancel",
    response_model=CustomerOrder,
    responses=problem_responses(401, 404, 409, 422, 503),
)
async def cancel_own_order(
    order_id: UUID,
    customer: CustomerSession,
    rpc: RpcDep,
    correlation: CorrelationId,
    body: CancellationBody | None = None,
) -> CustomerOrder:
    """Cancel the order while production has not started (409 names the current status
    after that); its voucher can be used again."""
    try:
        order = await rpc.call(
            CancelOrder(
                shop_id=customer.shop_id,
                correlation_id=correlation,
                order_id=order_id,
                cancelled_by="customer",
                customer_id=customer.customer_id,
                reason=body.reason if body else None,
            ),
            Order,
        )
    except RpcRefused as refusal:
        raise RpcRefused(customer_refusal(refusal.error)) from refusal
    return own(order, customer.customer_id)
