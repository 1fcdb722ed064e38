"""Queue the email that carries a customer's verification code (A2, N3)."""

from typing import Any

from contracts.customers import VerificationCodeIssued
from notifier.adapters.queued_messages import queue_message
from notifier.domain.message_kinds import MessageKind
from service_runtime.database import UnitOfWork

KIND: MessageKind = "verification_code"


def context_of(event: VerificationCodeIssued) -> dict[str, Any]:
    """Template variables; the code leaves the log once the email is sent or has failed."""
    return {
        "first_name": event.first_name,
        "code": event.code,
        "expires_at": event.expires_at.isoformat(),
    }


async def queue_verification_code(event: VerificationCodeIssued, uow: UnitOfWork) -> None:
    """Insert a queued message; the same event a second time queues nothing (N5)."""
    await queue_message(uow.session, event, KIND, event.email, event.language, context_of(event))
