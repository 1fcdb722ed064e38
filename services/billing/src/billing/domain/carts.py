"""A cart as stored, and who may see and change it (CartCommand's access rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts.billing import CartStatus
from contracts.gateway import Language

STATUSES: dict[str, CartStatus] = {"open": "open", "abandoned": "abandoned", "ordered": "ordered"}


@dataclass(frozen=True)
class StoredCart:
    """A cart's own row: who owns it, its choices and its activity (lines live apart)."""

    cart_id: UUID
    shop_id: UUID
    customer_id: UUID | None
    status: CartStatus
    language: Language
    shipping_option: str | None
    voucher_code: str | None
    created_at: datetime
    last_activity_at: datetime
    abandoned_at: datetime | None = None


def visible_to(cart: StoredCart, caller: UUID | None) -> bool:
    """A visitor's cart is reached by its id alone; a customer's only by that customer."""
    return cart.customer_id is None or cart.customer_id == caller


def owner_after_change(cart: StoredCart, caller: UUID | None) -> UUID | None:
    """A logged-in customer who changes a visitor's cart takes it over."""
    return cart.customer_id if cart.customer_id is not None else caller


def normalised_code(code: str) -> str:
    """Voucher codes are case-insensitive; carts keep them upper-case, as the vouchers do."""
    return code.strip().upper()
