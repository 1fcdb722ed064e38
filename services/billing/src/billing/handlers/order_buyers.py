"""Who an order is for (B2, A10): a customer as billing's copy knows them, or a guest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.customer_copy import BillingCustomer
from billing.handlers.payments import known_customer
from billing.handlers.refusals import invalid_input
from contracts.base import FieldError
from contracts.billing import OrderAddress, PlaceOrder
from contracts.gateway import Language


@dataclass(frozen=True)
class Buyer:
    """Who the order is for and where it goes, as the order prints it."""

    customer: BillingCustomer | None
    """None: a guest (no account, no customer number)."""
    email: str
    first_name: str
    last_name: str
    language: Language
    billing_address: OrderAddress
    shipping_address: OrderAddress


def check_buyer_fields(command: PlaceOrder) -> None:
    """Exactly one of customer_id and guest; a guest gives the billing address."""
    if command.customer_id is not None and command.guest is not None:
        raise invalid_input([FieldError(field="guest", reason="not allowed with customer_id")])
    if command.customer_id is None and command.guest is None:
        reason = "give customer_id (a customer's order) or guest (a guest's order)"
        raise invalid_input(
            [
                FieldError(field="customer_id", reason=reason),
                FieldError(field="guest", reason=reason),
            ]
        )
    if command.guest is not None and command.billing_address is None:
        raise invalid_input(
            [FieldError(field="billing_address", reason="a guest order needs a billing address")]
        )


async def buyer_of(session: AsyncSession, command: PlaceOrder) -> Buyer:
    """The guest from the command, or the customer from billing's copy, locked until the order
    commits (their invoice orders are checked against the credit limit one at a time).

    Addresses default to the customer's address on file, shipping to billing.
    """
    if command.customer_id is None:
        guest = command.guest
        billing = command.billing_address
        assert guest is not None  # check_buyer_fields
        assert billing is not None
        return Buyer(
            customer=None,
            email=guest.email,
            first_name=guest.first_name,
            last_name=guest.last_name,
            language=guest.language,
            billing_address=billing,
            shipping_address=command.shipping_address or billing,
        )
    customer = await known_customer(session, command.shop_id, command.customer_id, lock=True)
    billing = command.billing_address or customer.billing_address
    if billing is None:
        reason = "no address on file for this customer; give the billing address"
        raise invalid_input([FieldError(field="billing_address", reason=reason)])
    return Buyer(
        customer=customer,
        email=customer.email,
        first_name=customer.first_name,
        last_name=customer.last_name,
        language=customer.language,
        billing_address=billing,
        shipping_address=command.shipping_address or billing,
    )
