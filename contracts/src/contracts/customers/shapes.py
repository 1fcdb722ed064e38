"""Shapes the customers service's messages share: addresses, B2B terms, the customer record."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.gateway import Language

RiskLevel = Literal["none", "low", "medium", "high"]
RegistrationSource = Literal["storefront", "partner", "shared_login", "import"]
"""How a shop customer came to be: self-registration, the partner, a login with an account
from another shop (A6), or a CSV import."""


class Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PostalAddress(Shape):
    """A postal address; which fields are required depends on the country (A1)."""

    line1: str = Field(description="Street and number.", examples=["12 rue des Lilas"])
    line2: str | None = Field(default=None, description="Building, floor, c/o ...")
    postcode: str | None = Field(
        default=None, description="Required where the country uses postcodes.", examples=["75011"]
    )
    city: str = Field(examples=["Paris"])
    region: str | None = Field(
        default=None, description="State or province where the country needs one."
    )
    country: str = Field(
        description="ISO 3166-1 alpha-2 code, upper-case.", examples=["FR"], pattern=r"^[A-Z]{2}$"
    )


class B2BTerms(Shape):
    """A business customer's terms with the shop (P7); outstanding amounts live in billing."""

    credit_limit: Decimal = Field(
        default=Decimal("0.00"),
        ge=0,
        decimal_places=2,
        description="Authorised outstanding amount in the shop's currency.",
    )
    payment_terms_days: int = Field(default=0, ge=0, le=365, description="Days to pay an invoice.")
    risk_level: RiskLevel = "none"
    pays_by_invoice: bool = Field(
        default=False, description="May choose 'invoice' as payment method (within the limit)."
    )


class CustomerSnapshot(Shape):
    """A shop customer's record as it is now. Consumers keep the highest ``revision``."""

    customer_id: UUID
    identity_id: UUID = Field(description="The person's global identity (shared across shops).")
    customer_number: int = Field(ge=1, description="Per-shop sequential number people see.")
    revision: int = Field(ge=1, description="Grows with every change of this record.")
    email: str = Field(description="Login email (normalised, lower-cased).")
    email_verified: bool
    first_name: str
    last_name: str
    language: Language
    phone: str | None = Field(default=None, description="E.164, e.g. +33612345678.")
    address: PostalAddress | None = None
    company: str | None = None
    vat_number: str | None = Field(default=None, description="Compact form, e.g. FR40303265045.")
    registration_number: str | None = None
    newsletter: bool = Field(description="Marketing consent.")
    newsletter_consent_at: AwareDatetime | None = Field(
        default=None, description="When the current consent was given."
    )
    tax_exempt: bool = False
    group_id: UUID | None = None
    denied: bool = Field(default=False, description="Blocked by the partner: cannot log in.")
    b2b: B2BTerms = Field(default_factory=B2BTerms)
    registered_at: AwareDatetime
    profile_changed_at: AwareDatetime
    source: RegistrationSource = "storefront"


class CustomerGroup(Shape):
    """A customer group of a shop (P6); ``system_key`` marks the three every shop starts with."""

    group_id: UUID
    name: str = Field(examples=["Customer"])
    system_key: Literal["visitor", "guest", "customer"] | None = None


class CustomerNote(Shape):
    """A partner's private note on a customer (P5)."""

    note_id: UUID
    text: str
    author: str = Field(description="Who wrote it, as the partner named themself.")
    created_at: AwareDatetime


class ImportRowError(Shape):
    """One bad cell of a CSV import, by line number (1 = the header) and column."""

    line: int = Field(ge=1)
    column: str
    reason: str
