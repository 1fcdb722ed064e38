"""Queue the code that confirms a new email address, sent to that new address (A5)."""

from typing import Any

from contracts.customers import EmailChangeCodeIssued
from notifier.adapters.queued_messages import queue_message
from notifier.domain.message_kinds import MessageKind
from service_runtime.database import UnitOfWork

KIND: MessageKind = "email_change_code"


def context_of(event: EmailChangeCodeIssued) -> dict[str, Any]:
    """Template variables; the code leaves the log once the email is sent or has failed."""
    return {
        "first_name": event.first_name,
        "new_email": event.new_email,
        "code": event.code,
        "expires_at": event.expires_at.isoformat(),
    }


async def queue_email_change_code(event: EmailChangeCodeIssued, uow: UnitOfWork) -> None:
    """Only the new address gets the code: receiving it proves the mailbox is theirs."""
    await queue_message(
        uow.session, event, KIND, event.new_email, event.language, context_of(event)
    )
