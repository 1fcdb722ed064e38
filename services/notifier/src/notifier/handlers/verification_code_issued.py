"""Queue the email that carries a customer's verification code (A2, N3)."""

from uuid import uuid4

from sqlalchemy.dialects.postgresql import insert

from contracts.customers import VerificationCodeIssued
from notifier.adapters.tables import messages
from service_runtime.database import UnitOfWork

KIND = "verification_code"


async def queue_verification_code(event: VerificationCodeIssued, uow: UnitOfWork) -> None:
    """Insert a queued message; the same event a second time queues nothing (N5)."""
    await uow.session.execute(
        insert(messages)
        .values(
            id=uuid4(),
            shop_id=event.shop_id,
            source_message_id=event.message_id,
            kind=KIND,
            recipient=event.email,
            language=event.language,
            context={
                "first_name": event.first_name,
                "code": event.code,
                "expires_at": event.expires_at.isoformat(),
            },
        )
        .on_conflict_do_nothing(index_elements=[messages.c.source_message_id, messages.c.kind])
    )
