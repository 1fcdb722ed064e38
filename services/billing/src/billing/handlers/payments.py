"""Payment methods (B2): the shop's settings, what a checkout may offer, recorded payments.

Payments are recorded, never processed: the payment provider is outside this system and
reports them. A prepaid order paid in full is released to production.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.customer_copy import BillingCustomer, load_customer, was_deleted
from billing.adapters.customer_figures import figures_of, publish_figures
from billing.adapters.order_records import (
    CartGross,
    NewPayment,
    cart_gross,
    insert_payment,
    lock_order,
    payment_order_id,
    update_order,
)
from billing.adapters.shop_payments import ShopOrderTerms, load_order_terms, save_payment_settings
from billing.domain.credit import CreditPosition, invoice_refusal
from billing.handlers.order_refusals import (
    customer_not_found,
    customer_not_ready,
    key_reused,
    order_cancelled,
    order_not_found,
)
from billing.handlers.refusals import cart_not_found, invalid_input, shop_not_ready
from contracts.base import FieldError
from contracts.billing import (
    ConfigurePayments,
    GetPaymentSettings,
    ListPaymentOptions,
    Order,
    PaymentOption,
    PaymentOptions,
    PaymentSettings,
    RecordPayment,
)
from service_runtime.database import UnitOfWork


async def shop_terms(session: AsyncSession, shop_id: UUID) -> ShopOrderTerms:
    """The shop's order terms, or 503 shop_not_ready while its ShopOpened has not arrived."""
    terms = await load_order_terms(session, shop_id)
    if terms is None:
        raise shop_not_ready()
    return terms


async def known_customer(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, *, lock: bool = False
) -> BillingCustomer:
    """Billing's copy of the customer: 503 while it has not arrived yet, 404 once deleted."""
    customer = await load_customer(session, shop_id, customer_id, lock=lock)
    if customer is None:
        if await was_deleted(session, shop_id, customer_id):
            raise customer_not_found()
        raise customer_not_ready()
    return customer


async def credit_position(
    session: AsyncSession, shop_id: UUID, customer: BillingCustomer, currency: str
) -> CreditPosition:
    figures = await figures_of(session, shop_id, customer.customer_id, customer.credit_limit)
    return CreditPosition(
        pays_by_invoice=customer.pays_by_invoice,
        outstanding=figures.outstanding,
        credit_limit=customer.credit_limit,
        currency=currency,
    )


async def configure_payments(command: ConfigurePayments, uow: UnitOfWork) -> PaymentSettings:
    settings = PaymentSettings(
        payment_methods=list(dict.fromkeys(command.payment_methods)),
        provider_pay_method=command.provider_pay_method,
    )
    if not await save_payment_settings(uow.session, command.shop_id, settings):
        raise shop_not_ready()
    return settings


async def get_payment_settings(command: GetPaymentSettings, uow: UnitOfWork) -> PaymentSettings:
    return (await shop_terms(uow.session, command.shop_id)).settings


async def list_payment_options(command: ListPaymentOptions, uow: UnitOfWork) -> PaymentOptions:
    """Every method the shop offers; 'invoice' checked as PlaceOrder checks it, against the
    cart's gross as last priced (placement checks again at the price it places)."""
    session = uow.session
    shop = await shop_terms(session, command.shop_id)
    cart: CartGross | None = None
    if command.cart_id is not None:
        cart = await cart_gross(session, command.shop_id, command.cart_id)
        if cart is None or cart.customer_id not in (None, command.customer_id):
            raise cart_not_found()
    position: CreditPosition | None = None
    if command.customer_id is not None:
        customer = await known_customer(session, command.shop_id, command.customer_id)
        position = await credit_position(session, command.shop_id, customer, shop.currency)
    refusal = invoice_refusal(position, cart.gross_total if cart else Decimal("0.00"))
    options = [
        PaymentOption(method=method, available=True)
        if method != "invoice" or refusal is None
        else PaymentOption(method=method, available=False, reason=refusal.detail)
        for method in shop.payment_methods
    ]
    return PaymentOptions(
        currency=shop.currency,
        options=options,
        outstanding=position.outstanding if position else None,
        credit_limit=position.credit_limit if position else None,
    )


async def record_payment(command: RecordPayment, uow: UnitOfWork) -> Order:
    """Once per idempotency key: the same key again answers the order as it is now."""
    if command.amount <= 0:
        raise invalid_input([FieldError(field="amount", reason="must be more than 0")])
    session = uow.session
    stored = await lock_order(session, command.shop_id, command.order_id)
    if stored is None:
        await shop_terms(session, command.shop_id)
        raise order_not_found()
    order = stored.order
    recorded_for = await payment_order_id(session, command.shop_id, command.idempotency_key)
    if recorded_for is not None:
        if recorded_for != order.order_id:
            raise key_reused()
        return order
    if order.status == "cancelled":
        raise order_cancelled()
    now = datetime.now(UTC)
    paid_at = command.paid_at or now
    payment = NewPayment(
        payment_id=uuid4(),
        order_id=order.order_id,
        idempotency_key=command.idempotency_key,
        amount=command.amount,
        reference=command.reference,
        paid_at=paid_at,
        recorded_at=now,
    )
    if not await insert_payment(session, command.shop_id, payment):
        raise key_reused()  # the same key for another order, recorded a moment ago
    paid = stored.amount_paid + command.amount
    changes: dict[str, object] = {"amount_paid": paid}
    if order.payment_status == "awaiting_payment" and paid >= order.pricing.gross_total:
        changes.update(payment_status="paid", paid_at=paid_at, released_at=now)
        order = order.model_copy(
            update={
                "payment_status": "paid",
                "paid_at": paid_at,
                "provider": order.provider.model_copy(update={"released_at": now}),
            }
        )
    await update_order(session, command.shop_id, order.order_id, changes)
    await publish_figures(uow, command, order.customer_id, now)
    return order
