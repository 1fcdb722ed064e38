"""Report a customer's new discount to the shop's report addresses (V6): who, old -> new, by whom."""

from decimal import Decimal
from typing import Any

from contracts.vouchers import CustomerDiscountChanged
from notifier.adapters.queued_messages import queue_messages
from notifier.adapters.report_addresses import report_audience
from notifier.domain.message_kinds import MessageKind
from service_runtime.database import UnitOfWork

KIND: MessageKind = "system_change_report"
CHANGE = "customer_discount"
"""Which report the template writes: this one or ``vouchers_activated``."""


def percent_text(percent: Decimal | None) -> str | None:
    """A percentage as JSON keeps it exactly ("12.50"); None stays None ("Standard")."""
    return format(percent, "f") if percent is not None else None


def context_of(event: CustomerDiscountChanged) -> dict[str, Any]:
    """Template variables: the customer, old and new discount (None: "Standard"), SC, who, when."""
    return {
        "change": CHANGE,
        "customer_number": event.customer_number,
        "customer_name": event.customer_name,
        "customer_email": event.customer_email,
        "previous_percent": percent_text(event.previous_percent),
        "discount_percent": percent_text(event.discount_percent),
        "special_condition": event.special_condition,
        "changed_by": event.changed_by,
        "changed_at": event.changed_at.isoformat(),
    }


async def queue_discount_report(event: CustomerDiscountChanged, uow: UnitOfWork) -> None:
    """One report per report address, in the shop's language; none when the partner named none."""
    audience = await report_audience(uow.session, event.shop_id)
    if audience is None:
        return
    await queue_messages(
        uow.session, event, KIND, audience.addresses, audience.language, context_of(event)
    )
