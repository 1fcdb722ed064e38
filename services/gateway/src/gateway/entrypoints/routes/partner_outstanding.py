"""Partner API: the outstanding list (P7), what each customer owes against their credit limit.

Billing computes it from its own invoices and orders: the amounts must be the ones an order on
invoice is checked against, not a copy that may lag behind.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.billing import ListOutstanding, Outstanding
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.problems import problem_responses

router = APIRouter(prefix="/partner/v1", tags=["partner"])


@router.get("/outstanding", response_model=Outstanding, responses=problem_responses(401, 422, 503))
async def list_outstanding(
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    over_limit_only: Annotated[
        bool, Query(description="Only customers whose outstanding is above their credit limit.")
    ] = False,
) -> Outstanding:
    """Customers who owe something (unpaid invoices and orders on invoice not invoiced yet),
    largest outstanding first, each against their credit limit, over-limit ones flagged."""
    return await rpc.call(
        ListOutstanding(
            shop_id=shop_id, correlation_id=correlation, over_limit_only=over_limit_only
        ),
        Outstanding,
    )
