"""Events the customers service publishes: accounts, their changes, emails to send."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import Event
from contracts.customers.shapes import CustomerGroup, CustomerSnapshot, RegistrationSource
from contracts.gateway import Language


class CustomerRegistered(Event):
    """A shop customer was created and got the shop's next customer number."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.customer.registered.v1"
    type: Literal["CustomerRegistered"] = "CustomerRegistered"
    version: Literal[1] = 1

    customer_id: UUID = Field(description="The shop customer's id.")
    identity_id: UUID = Field(description="The person's global identity (shared across shops).")
    customer_number: int = Field(
        ge=1, description="Per-shop sequential number people see.", examples=[1]
    )
    email: str = Field(description="Login email (lower-cased).", examples=["ada@example.com"])
    first_name: str = Field(examples=["Ada"])
    last_name: str = Field(examples=["Lovelace"])
    language: Language = Field(description="Language of everything the customer reads.")
    registered_at: AwareDatetime
    email_verified: bool = Field(description="True when the shop needs no verification.")
    source: RegistrationSource = Field(
        default="storefront", description="Self-registration, partner, shared login or import."
    )
    company: str | None = None


class VerificationCodeIssued(Event):
    """A verification code was made for a customer's email; the notifier mails it."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.verification_code.issued.v1"
    type: Literal["VerificationCodeIssued"] = "VerificationCodeIssued"
    version: Literal[1] = 1

    customer_id: UUID
    email: str = Field(description="Where the code goes.")
    first_name: str
    language: Language
    code: str = Field(pattern=r"^[0-9]{6}$", description="The code in clear, for the email only.")
    expires_at: AwareDatetime


class CustomerEmailVerified(Event):
    """A customer confirmed their email address."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.customer.email_verified.v1"
    type: Literal["CustomerEmailVerified"] = "CustomerEmailVerified"
    version: Literal[1] = 1

    customer_id: UUID
    verified_at: AwareDatetime


class CustomerChanged(Event):
    """A shop customer's record after any change (state-carrying; keep the highest revision)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.customer.changed.v1"
    type: Literal["CustomerChanged"] = "CustomerChanged"
    version: Literal[1] = 1

    customer: CustomerSnapshot


class CustomersImported(Event):
    """Records created or updated by one CSV import, in chunks (P9); keep the highest revision."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.customers.imported.v1"
    type: Literal["CustomersImported"] = "CustomersImported"
    version: Literal[1] = 1

    import_id: UUID
    chunk: int = Field(ge=1, description="1-based number of this chunk.")
    chunks: int = Field(ge=1, description="How many chunks this import published.")
    customers: list[CustomerSnapshot]


class CustomerAccountActivated(Event):
    """A customer can now log in to the shop: verified, invited and accepted, or shared login."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.account.activated.v1"
    type: Literal["CustomerAccountActivated"] = "CustomerAccountActivated"
    version: Literal[1] = 1

    customer_id: UUID
    email: str
    first_name: str
    language: Language
    activated_at: AwareDatetime


class CustomerInvited(Event):
    """The partner created a customer (P1); the notifier sends the invitation link."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.customer.invited.v1"
    type: Literal["CustomerInvited"] = "CustomerInvited"
    version: Literal[1] = 1

    customer_id: UUID
    email: str
    first_name: str
    language: Language
    token: str = Field(description="One-time token in clear, for the email's link only.")
    expires_at: AwareDatetime


class PasswordResetRequested(Event):
    """A customer asked to reset their password (A4); the notifier sends the one-time link."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.password_reset.requested.v1"
    type: Literal["PasswordResetRequested"] = "PasswordResetRequested"
    version: Literal[1] = 1

    customer_id: UUID
    email: str
    first_name: str
    language: Language
    token: str = Field(description="One-time token in clear, for the email's link only.")
    expires_at: AwareDatetime


class EmailChangeCodeIssued(Event):
    """A customer asked to change their email (A5); the code goes to the new address."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.email_change_code.issued.v1"
    type: Literal["EmailChangeCodeIssued"] = "EmailChangeCodeIssued"
    version: Literal[1] = 1

    customer_id: UUID
    new_email: str
    first_name: str
    language: Language
    code: str = Field(pattern=r"^[0-9]{6}$", description="The code in clear, for the email only.")
    expires_at: AwareDatetime


class CustomerDeleted(Event):
    """A shop customer's record was deleted (A9, P4); orders keep ``pseudonym_id`` instead."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.customer.deleted.v1"
    type: Literal["CustomerDeleted"] = "CustomerDeleted"
    version: Literal[1] = 1

    customer_id: UUID
    identity_id: UUID
    customer_number: int
    pseudonym_id: UUID = Field(
        description="Replaces customer_id in kept records (orders, invoices); links to no person."
    )
    deleted_by: Literal["customer", "partner"]
    comment: str | None = Field(default=None, description="The customer's parting comment.")
    email: str = Field(description="For the merchant's email only; do not keep it.")
    first_name: str
    last_name: str
    deleted_at: AwareDatetime


class CustomerGroupChanged(Event):
    """A customer group was created, renamed or deleted (P6)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.group.changed.v1"
    type: Literal["CustomerGroupChanged"] = "CustomerGroupChanged"
    version: Literal[1] = 1

    group: CustomerGroup
    deleted: bool = False
    changed_at: AwareDatetime


EVENTS = (
    CustomerRegistered,
    VerificationCodeIssued,
    CustomerEmailVerified,
    CustomerChanged,
    CustomersImported,
    CustomerAccountActivated,
    CustomerInvited,
    PasswordResetRequested,
    EmailChangeCodeIssued,
    CustomerDeleted,
    CustomerGroupChanged,
)
