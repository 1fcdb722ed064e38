"""Events the vouchers service publishes (through its outbox)."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import Event
from contracts.money import Percent
from contracts.vouchers.shapes import VoucherTerms


class CustomerDiscountChanged(Event):
    """A customer's personal discount was set, changed or reset to "Standard" (V1, V2, V6)."""

    OWNER: ClassVar[str] = "vouchers"
    ROUTING_KEY: ClassVar[str] = "vouchers.customer_discount.changed.v1"
    type: Literal["CustomerDiscountChanged"] = "CustomerDiscountChanged"
    version: Literal[1] = 1

    customer_id: UUID
    customer_number: int | None = Field(default=None, description="For people reading reports.")
    customer_name: str | None = Field(default=None, description="First and last name.")
    customer_email: str | None = None
    discount_percent: Percent | None = Field(description='None = back to "Standard".')
    previous_percent: Percent | None
    special_condition: bool = Field(description='"SC" marker after the change (V2).')
    revision: int = Field(ge=1, description="Grows with every change of this customer's discount.")
    changed_by: str
    changed_at: AwareDatetime


class VouchersActivated(Event):
    """Voucher codes became usable: created active, generated, or activated again (V4, V6)."""

    OWNER: ClassVar[str] = "vouchers"
    ROUTING_KEY: ClassVar[str] = "vouchers.vouchers.activated.v1"
    type: Literal["VouchersActivated"] = "VouchersActivated"
    version: Literal[1] = 1

    how: Literal["created", "generated", "reactivated"]
    count: int = Field(ge=1)
    codes: list[str] = Field(description="The codes, at most the first 100 of a generated batch.")
    terms: VoucherTerms
    activated_at: AwareDatetime


EVENTS = (CustomerDiscountChanged, VouchersActivated)

__all__ = ["EVENTS", "CustomerDiscountChanged", "VouchersActivated"]
