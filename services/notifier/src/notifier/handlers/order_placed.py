"""Confirm a new order to the customer (guests too), copy it to the partner if asked (N4), and
always tell the partner that an order came in (B2, N3)."""

from __future__ import annotations

from typing import Any

from contracts.billing.events import OrderPlaced
from contracts.billing.orders import Order, OrderAddress
from notifier.adapters.queued_messages import queue_message, queue_messages
from notifier.adapters.shop_settings import partner_audience
from notifier.domain.message_kinds import MessageKind
from notifier.domain.order_mail import discount_totals
from service_runtime.database import UnitOfWork

KIND: MessageKind = "order_confirmation"
COPY_KIND: MessageKind = "order_confirmation_copy"
NOTICE_KIND: MessageKind = "order_notice"
COPIED = "order_confirmation"
"""The partner-copy kind (PartnerCopyKind) that switches the copy on."""


def _address(address: OrderAddress | None) -> dict[str, Any] | None:
    return address.model_dump(mode="json") if address is not None else None


def context_of(order: Order) -> dict[str, Any]:
    """Template variables: who, what at which price (as placed, never repriced), how paid, where to.

    Lines show their list price; discounts follow summed per name, so the rows add up to the
    net total. Amounts are exact decimal text ("12.50").
    """
    pricing = order.pricing
    shipping = pricing.shipping
    return {
        "order_number": order.order_number,
        "placed_at": order.placed_at.isoformat(),
        "guest": order.guest,
        "customer_number": order.customer_number,
        "first_name": order.first_name,
        "last_name": order.last_name,
        "email": order.email,
        "payment_method": order.payment_method,
        "currency": order.currency,
        "lines": [
            {
                "name": line.name,
                "option": line.production_option_name,
                "quantity": line.quantity,
                "amount": str(line.list_net),
            }
            for line in pricing.lines
        ],
        "discounts": [
            {"name": name, "amount": str(amount)} for name, amount in discount_totals(pricing.lines)
        ],
        "surcharge_total": str(pricing.surcharge_total) if pricing.surcharge_total else None,
        "shipping": {"name": shipping.name, "net": str(shipping.net)} if shipping else None,
        "net_total": str(pricing.net_total),
        "vat": [
            {"rate": str(vat.rate), "net": str(vat.net), "vat": str(vat.vat)} for vat in pricing.vat
        ],
        "vat_exemption_reason": pricing.vat_exemption_reason if pricing.tax_exempt else None,
        "gross_total": str(pricing.gross_total),
        "billing_address": _address(order.billing_address),
        "shipping_address": _address(order.shipping_address),
    }


def notice_context_of(order: Order) -> dict[str, Any]:
    """Template variables of the partner's order notice: number, customer, totals, payment."""
    company = order.billing_address.company if order.billing_address else None
    return {
        "order_number": order.order_number,
        "placed_at": order.placed_at.isoformat(),
        "guest": order.guest,
        "customer_number": order.customer_number,
        "first_name": order.first_name,
        "last_name": order.last_name,
        "company": company,
        "email": order.email,
        "line_count": len(order.pricing.lines),
        "currency": order.currency,
        "net_total": str(order.pricing.net_total),
        "gross_total": str(order.pricing.gross_total),
        "payment_method": order.payment_method,
    }


async def queue_order_emails(event: OrderPlaced, uow: UnitOfWork) -> None:
    """The customer's confirmation in their language (none without an address), its copy in
    the partner's language when 'order_confirmation' copies are on, and the order notice."""
    order = event.order
    audience = await partner_audience(uow.session, event.shop_id)
    if order.email:
        context = context_of(order)
        await queue_message(uow.session, event, KIND, order.email, order.language, context)
        if COPIED in audience.kinds:
            await queue_messages(
                uow.session, event, COPY_KIND, audience.addresses, audience.language, context
            )
    await queue_messages(
        uow.session,
        event,
        NOTICE_KIND,
        audience.addresses,
        audience.language,
        notice_context_of(order),
    )
