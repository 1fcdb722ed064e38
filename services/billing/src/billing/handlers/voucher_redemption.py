"""Redeeming the cart's voucher for an order, with compensation (B2, V4).

A 'pending' placement is committed in its own transaction before RedeemVoucher is sent, and
the order's transaction marks it 'placed'. If anything fails between the two, it stays
pending: a retry with the same key reuses its order id (the redemption is idempotent per
order), and otherwise the placement sweep abandons it and its event gives the code back. No
crash can keep a code redeemed without an order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import UUID, uuid4

from billing.adapters.placements import (
    Placement,
    restart_placement,
    settle_placement,
    start_placement,
)
from billing.adapters.voucher_client import RedemptionRefused, VoucherClient, VouchersUnavailable
from billing.handlers.order_refusals import (
    key_reused,
    placement_expired,
    placement_in_progress,
    voucher_refused,
    vouchers_unavailable,
)
from contracts.billing import OrderPlacementAbandoned, PlaceOrder
from contracts.vouchers import PricedCart, RedeemVoucher
from service_runtime.database import UnitOfWork
from service_runtime.handling import UnitOfWorkFactory


@dataclass
class PlacementPorts:
    """What placement reaches beyond its command's transaction.

    ``unit_of_work`` opens the placement's own transactions; bootstrap binds it once the
    runtime exists (the runtime is built from the handlers, so after them).
    """

    vouchers: VoucherClient
    unit_of_work: UnitOfWorkFactory | None = None

    def own_transaction(self) -> UnitOfWork:
        if self.unit_of_work is None:
            raise RuntimeError("PlacementPorts.unit_of_work is not bound to a runtime")
        return self.unit_of_work()


def check_attempt(attempt: Placement, command: PlaceOrder) -> None:
    """An earlier attempt of the key must be this request's; a given-up one burns the key."""
    if attempt.cart_id != command.cart_id or attempt.customer_id != command.customer_id:
        raise key_reused()
    if attempt.state == "abandoned":
        raise placement_expired()


def given_back(command: PlaceOrder, attempt: Placement, at: datetime) -> OrderPlacementAbandoned:
    """The event that gives an abandoned attempt's code back (vouchers service)."""
    assert attempt.voucher_code is not None
    return OrderPlacementAbandoned.caused_by(
        command, order_id=attempt.order_id, voucher_code=attempt.voucher_code, abandoned_at=at
    )


async def redeem_for_placement(
    command: PlaceOrder, ports: PlacementPorts, pricing: PricedCart
) -> UUID:
    """Commit the pending placement, then redeem the cart's code for its order id (returned).

    Refused: the placement is abandoned (nothing was redeemed) and the reason forwarded on
    the field ``voucher_code``. No answer: 503, the placement stays pending for a retry.
    """
    voucher = pricing.voucher
    assert voucher is not None
    assert voucher.applied
    attempt = await _pending_attempt(command, ports, voucher.code)
    redeem = RedeemVoucher.caused_by(
        command,
        code=voucher.code,
        order_id=attempt.order_id,
        customer_id=command.customer_id,
        product_subtotal=pricing.product_subtotal - voucher.amount,  # before the voucher
    )
    try:
        await ports.vouchers.redeem(redeem)
    except RedemptionRefused as refused:
        async with ports.own_transaction() as own:
            await settle_placement(
                own.session, command.shop_id, attempt.order_id, "abandoned", datetime.now(UTC)
            )
            await own.commit()
        error = refused.error
        raise voucher_refused(error.code, error.title, error.detail) from refused
    except VouchersUnavailable as unavailable:
        raise vouchers_unavailable() from unavailable
    return attempt.order_id


async def _pending_attempt(command: PlaceOrder, ports: PlacementPorts, code: str) -> Placement:
    """This key's pending placement for ``code``, committed: new, or an earlier attempt's
    (same order id: the redemption is idempotent per order). An earlier attempt with another
    code (the cart's voucher changed) starts over under a new order id, its code given back."""
    now = datetime.now(UTC)
    async with ports.own_transaction() as own:
        attempt = await start_placement(
            own.session,
            Placement(
                shop_id=command.shop_id,
                idempotency_key=command.idempotency_key,
                order_id=uuid4(),
                cart_id=command.cart_id,
                customer_id=command.customer_id,
                voucher_code=code,
                state="pending",
                created_at=now,
            ),
        )
        check_attempt(attempt, command)
        if attempt.state == "placed":
            raise placement_in_progress()  # its order commits in a moment
        if attempt.voucher_code != code:
            new_id = uuid4()
            if not await restart_placement(
                own.session, attempt, order_id=new_id, voucher_code=code, now=now
            ):
                raise placement_in_progress()  # settled meanwhile: ask again
            if attempt.voucher_code is not None:
                own.emit(given_back(command, attempt, now))
            attempt = replace(attempt, order_id=new_id, voucher_code=code, created_at=now)
        await own.commit()
    return attempt
