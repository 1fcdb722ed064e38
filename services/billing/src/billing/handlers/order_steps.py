"""An order's life after placement (B3, B5): the provider's production steps through the
operator API, shipment with its invoice, and cancellation until production starts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from billing.adapters.customer_figures import publish_figures
from billing.adapters.invoicing import invoice_order
from billing.adapters.order_records import StoredOrder, lock_order, update_order
from billing.domain.order_status import InvalidTransition, after_cancel, after_step, allowed_next
from billing.domain.provider_orders import new_provider_invoice_id
from billing.handlers.order_refusals import awaiting_payment, invalid_transition, order_not_found
from billing.handlers.payments import shop_terms
from billing.handlers.refusals import invalid_input
from contracts.base import FieldError, Message
from contracts.billing import (
    AdvanceOrder,
    CancelOrder,
    Order,
    OrderStatus,
    OrderStatusChanged,
    StatusChange,
)
from service_runtime.database import UnitOfWork


async def advance_order(command: AdvanceOrder, uow: UnitOfWork) -> Order:
    """A prepaid order moves only once paid (released); 'shipped' invoices the order."""
    session = uow.session
    shop = await shop_terms(session, command.shop_id)
    order = (await _locked(uow, command)).order
    try:
        status = after_step(order.status, command.step)
    except InvalidTransition as invalid:
        raise invalid_transition(
            invalid.current, invalid.wanted, allowed_next(order.status), "step"
        ) from invalid
    if order.provider.released_at is None:
        raise awaiting_payment()
    now = datetime.now(UTC)
    provider: dict[str, Any] = {}
    if status == "shipped":
        tracking = (command.tracking_number or "").strip()
        if not tracking:
            reason = "the tracking number is required to ship"
            raise invalid_input([FieldError(field="tracking_number", reason=reason)])
        provider = {
            "tracking_number": tracking,
            "provider_invoice_id": command.provider_invoice_id or new_provider_invoice_id(),
            "provider_invoice_date": command.provider_invoice_date or shop.today(now),
            "provider_pay_method": shop.provider_pay_method,
        }
    changed = await _change_status(uow, command, order, status, command.note, now, provider)
    changed = changed.model_copy(
        update={
            "tracking_number": provider.get("tracking_number", order.tracking_number),
            "provider": changed.provider.model_copy(update=provider),
        }
    )
    if status == "shipped":
        # The provider invoiced the partner; the shop invoices the customer (B4), which
        # links the invoice to the order and publishes the customer's figures.
        invoice = await invoice_order(uow, command, order.order_id, now)
        changed = changed.model_copy(
            update={"invoice_id": invoice.invoice_id, "invoice_number": invoice.invoice_number}
        )
    return changed


async def cancel_order(command: CancelOrder, uow: UnitOfWork) -> Order:
    """Until production starts; the event gives the order's voucher back (vouchers service)."""
    stored = await _locked(uow, command)
    order = stored.order
    if command.cancelled_by == "customer" and (
        command.customer_id is None or order.customer_id != command.customer_id
    ):
        raise order_not_found()
    try:
        status = after_cancel(order.status)
    except InvalidTransition as invalid:
        raise invalid_transition(
            invalid.current, invalid.wanted, allowed_next(order.status), None
        ) from invalid
    now = datetime.now(UTC)
    changed = await _change_status(
        uow,
        command,
        order,
        status,
        command.reason,
        now,
        {"cancelled_at": now, "cancelled_by": command.cancelled_by},
    )
    await publish_figures(uow, command, order.customer_id, now)
    return changed.model_copy(update={"cancelled_at": now, "cancelled_by": command.cancelled_by})


async def _locked(uow: UnitOfWork, command: AdvanceOrder | CancelOrder) -> StoredOrder:
    stored = await lock_order(uow.session, command.shop_id, command.order_id)
    if stored is None:
        await shop_terms(uow.session, command.shop_id)
        raise order_not_found()
    return stored


async def _change_status(
    uow: UnitOfWork,
    cause: Message,
    order: Order,
    status: OrderStatus,
    note: str | None,
    now: datetime,
    values: dict[str, Any],
) -> Order:
    """Store the new status with its history entry (and ``values``) and announce it."""
    history = [*order.history, StatusChange(status=status, at=now, note=note)]
    await update_order(
        uow.session,
        cause.shop_id,
        order.order_id,
        {
            "status": status,
            "history": [change.model_dump(mode="json") for change in history],
            **values,
        },
    )
    tracking = values.get("tracking_number", order.tracking_number)
    uow.emit(
        OrderStatusChanged.caused_by(
            cause,
            order_id=order.order_id,
            order_number=order.order_number,
            customer_id=order.customer_id,
            guest=order.guest,
            email=order.email,
            first_name=order.first_name,
            last_name=order.last_name,
            language=order.language,
            previous_status=order.status,
            status=status,
            note=note,
            tracking_number=tracking,
            voucher_code=order.voucher_code,
            currency=order.currency,
            gross_total=order.pricing.gross_total,
            changed_at=now,
        )
    )
    return order.model_copy(update={"status": status, "history": history})
