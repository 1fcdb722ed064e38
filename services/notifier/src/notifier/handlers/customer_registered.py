"""Send the partner a copy of a customer's registration when they asked for one (N4)."""

from typing import Any

from contracts.customers import CustomerRegistered
from notifier.adapters.queued_messages import queue_messages
from notifier.adapters.shop_settings import partner_audience
from notifier.domain.message_kinds import MessageKind
from service_runtime.database import UnitOfWork

KIND: MessageKind = "registration_copy"
COPIED_SOURCES = frozenset({"storefront", "shared_login"})
"""Registrations the customer made; the partner knows of those it created or imported."""
COPY_KIND = "registration"


def context_of(event: CustomerRegistered) -> dict[str, Any]:
    """Template variables: the new customer as the partner sees them."""
    return {
        "customer_number": event.customer_number,
        "first_name": event.first_name,
        "last_name": event.last_name,
        "email": event.email,
        "company": event.company or None,
        "customer_language": event.language,
        "registered_at": event.registered_at.isoformat(),
    }


async def queue_registration_copy(event: CustomerRegistered, uow: UnitOfWork) -> None:
    """One copy per partner address, in the shop's language, if 'registration' copies are on."""
    if event.source not in COPIED_SOURCES:
        return
    audience = await partner_audience(uow.session, event.shop_id)
    if COPY_KIND not in audience.kinds:
        return
    await queue_messages(
        uow.session, event, KIND, audience.addresses, audience.language, context_of(event)
    )
