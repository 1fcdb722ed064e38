"""Placing an order (B2, A10): a priced cart becomes an order, exactly once per idempotency key.

The cart is locked first, so two requests for one cart run one after the other and the
second finds the first's order. The cart is priced once more and the order keeps that price.

A voucher is redeemed before the order's transaction, with compensation (see
voucher_redemption): anything failing after the redemption answers 503 and leaves the
placement pending, for a retry with the same key or for the sweep to give the code back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.cart_store import LoadedCart, load_cart_for_pricing
from billing.adapters.customer_figures import publish_figures
from billing.adapters.number_sequences import take_next
from billing.adapters.order_records import (
    OrderExtras,
    insert_order,
    mark_cart_ordered,
    order_by_key,
)
from billing.adapters.placements import find_placement, settle_placement
from billing.adapters.pricing_client import Pricer
from billing.adapters.shop_payments import ShopOrderTerms
from billing.domain.credit import invoice_refusal
from billing.domain.provider_orders import new_provider_order_id, wholesale_net
from billing.handlers.cart_pricing import priced_cart
from billing.handlers.order_buyers import Buyer, buyer_of, check_buyer_fields
from billing.handlers.order_refusals import (
    invoice_refused,
    key_reused,
    placement_expired,
    placement_in_progress,
    placement_interrupted,
    voucher_not_applied,
)
from billing.handlers.payments import credit_position, shop_terms
from billing.handlers.refusals import cart_not_found, cart_ordered, invalid_input
from billing.handlers.voucher_redemption import (
    PlacementPorts,
    check_attempt,
    given_back,
    redeem_for_placement,
)
from contracts.base import FieldError
from contracts.billing import Order, OrderPlaced, PlaceOrder, ProviderOrder, StatusChange
from contracts.vouchers import PricedCart
from service_runtime.database import UnitOfWork
from service_runtime.handling import CommandRefused, is_transient

log = structlog.get_logger(__name__)


async def place_order(
    command: PlaceOrder, uow: UnitOfWork, *, pricer: Pricer, ports: PlacementPorts
) -> Order:
    check_buyer_fields(command)
    session = uow.session
    shop = await shop_terms(session, command.shop_id)
    earlier = await order_by_key(session, command.shop_id, command.idempotency_key)
    if earlier is not None:
        return _same_request(earlier, command)
    loaded = await _lock_cart(session, command)
    if loaded.cart.status == "ordered":
        # A twin request may have placed it while this one waited for the cart's lock.
        earlier = await order_by_key(session, command.shop_id, command.idempotency_key)
        if earlier is not None:
            return _same_request(earlier, command)
        raise cart_ordered()
    earlier_attempt = await find_placement(session, command.shop_id, command.idempotency_key)
    if earlier_attempt is not None:
        check_attempt(earlier_attempt, command)
    _check_cart(loaded, command, shop)
    buyer = await buyer_of(session, command)
    pricing = (
        await priced_cart(
            pricer,
            command,
            loaded.shop,
            loaded.cart,
            loaded.lines,
            loaded.products,
            loaded.shipping,
        )
    ).pricing
    voucher = pricing.voucher
    if voucher is not None and not voucher.applied:
        raise voucher_not_applied(voucher)
    if command.payment_method == "invoice":
        await _check_credit(session, command, shop, buyer, pricing)
    if voucher is None:
        # An earlier attempt of this key held a code the cart no longer has: the order's
        # transaction gives it up and the code back.
        now = _now()
        if earlier_attempt is not None and await settle_placement(
            session, command.shop_id, earlier_attempt.order_id, "abandoned", now
        ):
            uow.emit(given_back(command, earlier_attempt, now))
        return await _complete(
            uow, command, shop, loaded, buyer, pricing, order_id=uuid4(), redeemed=False
        )
    order_id = await redeem_for_placement(command, ports, pricing)
    try:
        return await _complete(
            uow, command, shop, loaded, buyer, pricing, order_id=order_id, redeemed=True
        )
    except CommandRefused:
        raise
    except Exception as failure:
        if is_transient(failure):
            raise  # retried in place with the same order id (handling.retrying)
        log.exception("placement_interrupted", order_id=str(order_id))
        raise placement_interrupted() from failure


def _now() -> datetime:
    return datetime.now(UTC)


def _same_request(earlier: Order, command: PlaceOrder) -> Order:
    """The order the key placed, if this is the same request again; else the key is reused."""
    if earlier.cart_id != command.cart_id or earlier.customer_id != command.customer_id:
        raise key_reused()
    return earlier


async def _lock_cart(session: AsyncSession, command: PlaceOrder) -> LoadedCart:
    """The cart locked until the order commits: the customer's own, or a visitor's for a guest
    (a visitor's cart is priced at visitor prices: a customer takes it over by changing it)."""
    loaded = await load_cart_for_pricing(session, command.shop_id, command.cart_id, lock=True)
    if loaded is None or loaded.cart.customer_id != command.customer_id:
        raise cart_not_found()
    return loaded


def _check_cart(loaded: LoadedCart, command: PlaceOrder, shop: ShopOrderTerms) -> None:
    if not loaded.lines:
        raise invalid_input([FieldError(field="cart_id", reason="the cart has no lines")])
    withdrawn = sorted(
        {line.sku for line in loaded.lines if not _active(loaded, line.sku)}, key=str
    )
    if withdrawn:
        reason = f"no longer sold: {', '.join(withdrawn)}; remove them from the cart"
        raise invalid_input([FieldError(field="cart_id", reason=reason)])
    if command.payment_method not in shop.payment_methods:
        offered = ", ".join(shop.payment_methods)
        raise invalid_input(
            [
                FieldError(
                    field="payment_method",
                    reason=f"'{command.payment_method}' is not offered; choose one of: {offered}",
                )
            ]
        )


def _active(loaded: LoadedCart, sku: str) -> bool:
    product = loaded.products.get(sku)
    return product is not None and product.active


async def _check_credit(
    session: AsyncSession,
    command: PlaceOrder,
    shop: ShopOrderTerms,
    buyer: Buyer,
    pricing: PricedCart,
) -> None:
    """'invoice' only for a customer with the option, within the limit including this order
    (the customer's row is locked: their invoice orders are checked one at a time)."""
    position = (
        None
        if buyer.customer is None
        else await credit_position(session, command.shop_id, buyer.customer, shop.currency)
    )
    if refusal := invoice_refusal(position, pricing.gross_total):
        raise invoice_refused(refusal.code, refusal.detail)


async def _complete(
    uow: UnitOfWork,
    command: PlaceOrder,
    shop: ShopOrderTerms,
    loaded: LoadedCart,
    buyer: Buyer,
    pricing: PricedCart,
    *,
    order_id: UUID,
    redeemed: bool,
) -> Order:
    """The order's transaction: placement settled, number taken, order stored, cart ordered."""
    session = uow.session
    now = _now()
    if redeemed and not await settle_placement(session, command.shop_id, order_id, "placed", now):
        raise placement_expired()  # the sweep gave it up (and its code back) meanwhile
    on_invoice = command.payment_method == "invoice"
    customer = buyer.customer
    # Taken last: the shop's number row stays locked until this transaction commits.
    number = await take_next(session, command.shop_id, "order")
    order = Order(
        order_id=order_id,
        order_number=number,
        customer_id=command.customer_id,
        customer_number=customer.customer_number if customer else None,
        guest=customer is None,
        email=buyer.email,
        first_name=buyer.first_name,
        last_name=buyer.last_name,
        language=buyer.language,
        billing_address=buyer.billing_address,
        shipping_address=buyer.shipping_address,
        payment_method=command.payment_method,
        payment_status="on_invoice" if on_invoice else "awaiting_payment",
        status="placed",
        history=[StatusChange(status="placed", at=now)],
        currency=shop.currency,
        pricing=pricing,
        voucher_code=pricing.voucher.code if redeemed and pricing.voucher else None,
        cart_id=command.cart_id,
        placed_at=now,
        provider=ProviderOrder(
            provider_order_id=new_provider_order_id(),
            wholesale_net=wholesale_net(
                (line.quantity, loaded.products[line.sku].wholesale_unit_cost)
                for line in loaded.lines
            ),
            released_at=now if on_invoice else None,
        ),
    )
    extras = OrderExtras(
        idempotency_key=command.idempotency_key,
        company=customer.company if customer else None,
        vat_number=customer.vat_number if customer else None,
        payment_terms_days=customer.payment_terms_days if customer and on_invoice else 0,
    )
    if not await insert_order(session, command.shop_id, order, extras):
        # Another cart's order took the key a moment ago (one cart's twins queue on its lock).
        earlier = await order_by_key(session, command.shop_id, command.idempotency_key)
        if earlier is None or earlier.cart_id != command.cart_id:
            raise key_reused()
        raise placement_in_progress()
    await mark_cart_ordered(session, command.shop_id, command.cart_id)
    uow.emit(OrderPlaced.caused_by(command, order=order))
    await publish_figures(uow, command, order.customer_id, now)
    return order
