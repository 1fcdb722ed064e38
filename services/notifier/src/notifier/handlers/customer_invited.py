"""Queue the invitation of a customer the partner created, with the link to set a password (P1)."""

from typing import Any

from contracts.customers import CustomerInvited
from notifier.adapters.queued_messages import queue_message
from notifier.adapters.shop_settings import storefront_url
from notifier.domain.message_kinds import MessageKind
from notifier.domain.storefront_links import storefront_base, token_link
from service_runtime.database import UnitOfWork

KIND: MessageKind = "invitation"
PATH = "invitation"


def context_of(event: CustomerInvited, base: str) -> dict[str, Any]:
    """Template variables; the link (it holds the token) leaves the log once sent or failed."""
    return {
        "first_name": event.first_name,
        "link": token_link(base, PATH, event.token),
        "expires_at": event.expires_at.isoformat(),
    }


async def queue_invitation(
    event: CustomerInvited, uow: UnitOfWork, *, storefront_base_url: str
) -> None:
    """The link starts at the shop's storefront (or the platform's route for the shop)."""
    configured = await storefront_url(uow.session, event.shop_id)
    base = storefront_base(configured, storefront_base_url, event.shop_id)
    await queue_message(
        uow.session, event, KIND, event.email, event.language, context_of(event, base)
    )
