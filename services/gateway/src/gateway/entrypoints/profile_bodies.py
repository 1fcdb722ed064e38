"""HTTP bodies the storefront and partner APIs share: addresses, B2B terms, profile patches.

They check shape only (types, lengths, unknown fields); the customers service checks content
(empty names, short passwords, addresses per country ...) and names every bad field at once.
"""

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from contracts.customers import B2BTerms, PostalAddress, ProfileChanges, RiskLevel
from contracts.gateway import Language


class Body(BaseModel):
    """Unknown fields are refused, each named."""

    model_config = ConfigDict(extra="forbid")


class Address(Body):
    """A postal address; which fields are required depends on the country (A1)."""

    line1: str = Field(max_length=200, examples=["12 rue des Lilas"])
    line2: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(default=None, max_length=20, examples=["75011"])
    city: str = Field(max_length=100, examples=["Paris"])
    region: str | None = Field(default=None, max_length=100)
    country: str = Field(
        pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code.", examples=["FR"]
    )

    @field_validator("country")
    @classmethod
    def upper_case(cls, value: str) -> str:
        return value.upper()

    def to_contract(self) -> PostalAddress:
        return PostalAddress(**self.model_dump())


class B2BTermsBody(Body):
    """A business customer's terms (P7); all four are given, they replace the current ones."""

    credit_limit: Decimal = Field(
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="Authorised outstanding amount in the shop's currency.",
        examples=["5000.00"],
    )
    payment_terms_days: int = Field(ge=0, le=365, description="Days to pay an invoice.")
    risk_level: RiskLevel
    pays_by_invoice: StrictBool = Field(description="May pay by invoice (within the limit).")

    def to_contract(self) -> B2BTerms:
        return B2BTerms(**self.model_dump())


PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "language",
    "phone",
    "address",
    "company",
    "vat_number",
    "registration_number",
)
NOT_NULL = ("first_name", "last_name", "language", "address", "newsletter")


class ProfilePatch(Body):
    """Profile fields to change: only those sent change; null clears an optional text field."""

    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    language: Language | None = None
    phone: str | None = Field(
        default=None, max_length=32, description="Any common notation; stored as E.164."
    )
    address: Address | None = None
    company: str | None = Field(default=None, max_length=200)
    vat_number: str | None = Field(
        default=None, max_length=32, description="EU VAT number with its country prefix."
    )
    registration_number: str | None = Field(default=None, max_length=64)
    newsletter: StrictBool | None = Field(default=None, description="Marketing consent.")

    @field_validator(*NOT_NULL)
    @classmethod
    def not_null(cls, value: Any) -> Any:
        """Runs only for values sent: a field left out stays as it is."""
        if value is None:
            raise ValueError("must not be null (leave the field out to keep it)")
        return value

    def sent(self, name: str) -> bool:
        return name in self.model_fields_set

    def profile_changes(self) -> ProfileChanges:
        """The sent profile fields; null becomes "" which the customers service reads as clear."""
        changes: dict[str, Any] = {}
        for name in PROFILE_FIELDS:
            if self.sent(name):
                value = getattr(self, name)
                changes[name] = value.to_contract() if isinstance(value, Address) else value or ""
        return ProfileChanges(**changes)

    def newsletter_change(self) -> bool | None:
        return self.newsletter if self.sent("newsletter") else None


class NewProfile(Body):
    """The profile fields a new customer starts with (A1, P1)."""

    email: str = Field(max_length=320, examples=["ada@example.com"])
    first_name: str = Field(max_length=100, examples=["Ada"])
    last_name: str = Field(max_length=100, examples=["Lovelace"])
    phone: str | None = Field(
        default=None,
        max_length=32,
        description="Any common notation; stored as E.164.",
        examples=["+33 6 12 34 56 78"],
    )
    company: str | None = Field(default=None, max_length=200)
    vat_number: str | None = Field(
        default=None,
        max_length=32,
        description="EU VAT number with its country prefix.",
        examples=["FR40303265045"],
    )
    registration_number: str | None = Field(default=None, max_length=64)
    newsletter: StrictBool = Field(default=False, description="Marketing consent given now.")
