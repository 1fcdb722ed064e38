"""What the order tests share: a fake vouchers service, customers as billing copies them,
carts ready to order, PlaceOrder commands and the rows behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from billing_support import FakePricer, deliver, ok
from sqlalchemy import select

from billing.adapters.tables import orders, placements
from billing.adapters.voucher_client import RedemptionRefused, VouchersUnavailable
from billing.bootstrap import create_runtime
from billing.config import BillingSettings
from contracts.base import CommandError
from contracts.billing import (
    ApplyVoucherCode,
    Cart,
    CreateCart,
    GuestContact,
    ItemRequest,
    OrderAddress,
    PaymentMethod,
    PlaceOrder,
)
from contracts.customers import B2BTerms, CustomerChanged, CustomerSnapshot, PostalAddress
from contracts.vouchers import RedeemVoucher, Redemption, VoucherRefusalReason
from service_runtime.service import ServiceRuntime

ADDRESS = PostalAddress(line1="12 rue des Lilas", postcode="75011", city="Paris", country="FR")
BILLING = OrderAddress(
    name="Grace Hopper", company="Navy", line1="1 Main St", city="Arlington", country="US"
)
GUEST = GuestContact(email="guest@example.com", first_name="Gus", last_name="Guest", language="fr")


@dataclass
class FakeVouchers:
    """Billing's VoucherClient in-process: redeems once per order id, or refuses, or is away."""

    refusal: VoucherRefusalReason | None = None
    away: bool = False
    held: dict[UUID, RedeemVoucher] = field(default_factory=dict)
    calls: list[RedeemVoucher] = field(default_factory=list)

    async def redeem(self, command: RedeemVoucher) -> Redemption:
        self.calls.append(command)
        if self.away:
            raise VouchersUnavailable("the fake vouchers service is away")
        if self.refusal is not None and command.order_id not in self.held:
            raise RedemptionRefused(
                CommandError(
                    code=f"voucher_{self.refusal}",
                    status=422,
                    title="Voucher code refused",
                    detail=f"This code cannot be used: {self.refusal.replace('_', ' ')}.",
                )
            )
        self.held.setdefault(command.order_id, command)
        return Redemption(
            order_id=command.order_id,
            voucher_id=uuid4(),
            code=command.code,
            customer_id=command.customer_id,
            redeemed_at=datetime.now(UTC),
        )


def order_runtime(database_url: str, pricer: FakePricer, vouchers: FakeVouchers) -> ServiceRuntime:
    """Unstarted, like the carts' runtime fixture, with the fake vouchers service too."""
    return create_runtime(
        BillingSettings(database_url=database_url), pricer=pricer, vouchers=vouchers
    )


def snapshot(shop_id: UUID, **fields: Any) -> CustomerSnapshot:
    """Ada, customer 7, address on file, revision 1, prepayment only unless told otherwise."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "customer_id": uuid4(),
        "identity_id": uuid4(),
        "customer_number": 7,
        "revision": 1,
        "email": "ada@example.com",
        "email_verified": True,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "de",
        "address": ADDRESS,
        "company": "Analytical Engines",
        "vat_number": "FR40303265045",
        "newsletter": False,
        "registered_at": now,
        "profile_changed_at": now,
    }
    values.update(fields)
    return CustomerSnapshot(**values)


def on_invoice(limit: str, days: int = 30) -> B2BTerms:
    return B2BTerms(credit_limit=Decimal(limit), payment_terms_days=days, pays_by_invoice=True)


async def add_customer(runtime: ServiceRuntime, shop_id: UUID, **fields: Any) -> CustomerSnapshot:
    """A customer billing knows, through CustomerChanged as the customers service sends it."""
    customer = snapshot(shop_id, **fields)
    await deliver(runtime, CustomerChanged(shop_id=shop_id, customer=customer))
    return customer


async def cart_for(
    runtime: ServiceRuntime,
    shop_id: UUID,
    customer_id: UUID | None = None,
    *,
    quantity: int = 1000,
    voucher: str | None = None,
) -> Cart:
    """A cart of A5 flyers (0.0450 each, 20 % VAT), with a voucher code if told."""
    cart = await ok(
        runtime,
        CreateCart(
            shop_id=shop_id,
            customer_id=customer_id,
            items=[ItemRequest(sku="FLY-A5", quantity=quantity)],
        ),
        Cart,
    )
    if voucher is not None:
        cart = await ok(
            runtime,
            ApplyVoucherCode(
                shop_id=shop_id, cart_id=cart.cart_id, customer_id=customer_id, code=voucher
            ),
            Cart,
        )
    return cart


def place(
    shop_id: UUID,
    cart_id: UUID,
    *,
    customer_id: UUID | None = None,
    guest: GuestContact | None = None,
    method: PaymentMethod = "card",
    key: str | None = None,
    **fields: Any,
) -> PlaceOrder:
    return PlaceOrder(
        shop_id=shop_id,
        idempotency_key=key or f"key-{uuid4()}",
        cart_id=cart_id,
        customer_id=customer_id,
        guest=guest,
        payment_method=method,
        **fields,
    )


def place_as_guest(shop_id: UUID, cart_id: UUID, key: str) -> PlaceOrder:
    """Gus Guest's order of a visitor's cart, billed to BILLING."""
    return place(shop_id, cart_id, guest=GUEST, billing_address=BILLING, key=key)


async def order_rows(runtime: ServiceRuntime, shop_id: UUID) -> list[Any]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(orders).where(orders.c.shop_id == shop_id).order_by(orders.c.order_number)
        )
        return list(rows)


async def placement_rows(runtime: ServiceRuntime, shop_id: UUID) -> list[Any]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(placements)
            .where(placements.c.shop_id == shop_id)
            .order_by(placements.c.created_at)
        )
        return list(rows)
