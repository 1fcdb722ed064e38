"""Tell the merchant that a customer deleted their own account, with their comment (A9)."""

from typing import Any

from contracts.customers import CustomerDeleted
from notifier.adapters.queued_messages import queue_messages
from notifier.adapters.shop_settings import partner_audience
from notifier.domain.message_kinds import MessageKind
from service_runtime.database import UnitOfWork

KIND: MessageKind = "account_deleted"


def context_of(event: CustomerDeleted) -> dict[str, Any]:
    """Template variables: who left, when, and what they said (None: no comment)."""
    comment = (event.comment or "").strip()
    return {
        "customer_number": event.customer_number,
        "first_name": event.first_name,
        "last_name": event.last_name,
        "email": event.email,
        "comment": comment or None,
        "deleted_at": event.deleted_at.isoformat(),
    }


async def queue_account_deleted(event: CustomerDeleted, uow: UnitOfWork) -> None:
    """One email per partner address in the shop's language; a partner's own deletion sends none."""
    if event.deleted_by != "customer":
        return
    audience = await partner_audience(uow.session, event.shop_id)
    await queue_messages(
        uow.session, event, KIND, audience.addresses, audience.language, context_of(event)
    )
