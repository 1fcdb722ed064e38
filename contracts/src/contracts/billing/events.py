"""Events the billing service publishes (through its outbox)."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import Event
from contracts.money import Money


class CartAbandoned(Event):
    """A cart with lines saw no activity for the shop's abandonment time and was not ordered.

    Published once per stretch of inactivity: a cart changed again and then left again is
    abandoned again.
    """

    OWNER: ClassVar[str] = "billing"
    ROUTING_KEY: ClassVar[str] = "billing.cart.abandoned.v1"
    type: Literal["CartAbandoned"] = "CartAbandoned"
    version: Literal[1] = 1

    cart_id: UUID
    customer_id: UUID | None = Field(description="None: a visitor's cart (nobody to write to).")
    line_count: int = Field(ge=1)
    net_total: Money
    gross_total: Money
    currency: str
    last_activity_at: AwareDatetime
    abandoned_at: AwareDatetime


EVENTS = (CartAbandoned,)

__all__ = ["EVENTS", "CartAbandoned"]
