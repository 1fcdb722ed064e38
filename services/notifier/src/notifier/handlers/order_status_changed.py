"""Tell the customer where their order stands (B3), copy it to the partner if asked (N4); a
data rejection goes to the partner alone, never to the customer (N3)."""

from __future__ import annotations

from typing import Any

from contracts.billing.events import OrderStatusChanged
from notifier.adapters.queued_messages import queue_message, queue_messages
from notifier.adapters.shop_settings import partner_audience
from notifier.domain.message_kinds import MessageKind
from notifier.domain.order_mail import CUSTOMER_STATUSES, PARTNER_ONLY_STATUS
from service_runtime.database import UnitOfWork

KIND: MessageKind = "order_status"
COPY_KIND: MessageKind = "order_status_copy"
REJECTION_KIND: MessageKind = "data_rejected"
COPIED = "order_status_change"
"""The partner-copy kind (PartnerCopyKind) that switches the copy on."""


def context_of(event: OrderStatusChanged) -> dict[str, Any]:
    """Template variables; a shipment adds its tracking number, a cancellation the voucher
    code that can be used again (None: there was none)."""
    context: dict[str, Any] = {
        "order_number": event.order_number,
        "status": event.status,
        "first_name": event.first_name,
        "currency": event.currency,
        "gross_total": str(event.gross_total),
        "changed_at": event.changed_at.isoformat(),
    }
    if event.status == "shipped":
        context["tracking_number"] = event.tracking_number
    if event.status == "cancelled":
        context["voucher_code"] = event.voucher_code
    return context


def copy_context_of(event: OrderStatusChanged) -> dict[str, Any]:
    """The customer's variables plus whose email the partner is reading."""
    name = " ".join(part for part in (event.first_name, event.last_name) if part)
    return context_of(event) | {"customer_name": name or None, "customer_email": event.email}


def rejection_context_of(event: OrderStatusChanged) -> dict[str, Any]:
    """Template variables of the partner's rejection message: the order, the customer, the note."""
    return {
        "order_number": event.order_number,
        "guest": event.guest,
        "first_name": event.first_name,
        "last_name": event.last_name,
        "email": event.email,
        "currency": event.currency,
        "gross_total": str(event.gross_total),
        "note": (event.note or "").strip() or None,
        "changed_at": event.changed_at.isoformat(),
    }


async def queue_status_emails(event: OrderStatusChanged, uow: UnitOfWork) -> None:
    """data_rejected: the partner addresses only. Customer statuses: the customer (when there is
    an address) and, if 'order_status_change' copies are on, a copy for the partner."""
    if event.status == PARTNER_ONLY_STATUS:
        audience = await partner_audience(uow.session, event.shop_id)
        await queue_messages(
            uow.session,
            event,
            REJECTION_KIND,
            audience.addresses,
            audience.language,
            rejection_context_of(event),
        )
        return
    if event.status not in CUSTOMER_STATUSES or not event.email:
        return
    await queue_message(uow.session, event, KIND, event.email, event.language, context_of(event))
    audience = await partner_audience(uow.session, event.shop_id)
    if COPIED in audience.kinds:
        await queue_messages(
            uow.session,
            event,
            COPY_KIND,
            audience.addresses,
            audience.language,
            copy_context_of(event),
        )
