"""Queue the welcome email once a customer can log in to the shop."""

from typing import Any

from contracts.customers import CustomerAccountActivated
from notifier.adapters.queued_messages import queue_message
from notifier.adapters.shop_settings import storefront_url
from notifier.domain.message_kinds import MessageKind
from notifier.domain.storefront_links import storefront_base
from service_runtime.database import UnitOfWork

KIND: MessageKind = "welcome"


def context_of(event: CustomerAccountActivated, base: str) -> dict[str, Any]:
    """Template variables: the name and where the shop is."""
    return {"first_name": event.first_name, "shop_url": base, "email": event.email}


async def queue_welcome(
    event: CustomerAccountActivated, uow: UnitOfWork, *, storefront_base_url: str
) -> None:
    """Welcome the customer in their language, with a link to the shop."""
    configured = await storefront_url(uow.session, event.shop_id)
    base = storefront_base(configured, storefront_base_url, event.shop_id)
    await queue_message(
        uow.session, event, KIND, event.email, event.language, context_of(event, base)
    )
