"""P7: the partner's outstanding list, what each customer owes against the credit limit."""

from __future__ import annotations

from decimal import Decimal

from billing.adapters.invoice_records import shop_clock
from billing.adapters.outstanding import outstanding_customers
from billing.handlers.refusals import shop_not_ready
from contracts.billing import ListOutstanding, Outstanding
from service_runtime.database import UnitOfWork


async def list_outstanding(command: ListOutstanding, uow: UnitOfWork) -> Outstanding:
    """Largest outstanding first; ``total`` adds up the customers listed."""
    clock = await shop_clock(uow.session, command.shop_id)
    if clock is None:
        raise shop_not_ready()
    listed = await outstanding_customers(
        uow.session, command.shop_id, over_limit_only=command.over_limit_only
    )
    return Outstanding(
        currency=clock.currency,
        customers=listed,
        total=sum((c.outstanding for c in listed), Decimal("0.00")),
    )
