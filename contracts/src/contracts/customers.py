"""Messages owned by the customers service: registrations, verification, and its commands."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.base import Command, Event
from contracts.gateway import Language


class CustomerRegistered(Event):
    """A person created an account in a shop and got the shop's next customer number."""

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


class RegisterCustomer(Command):
    """Create an account in a shop (A1, minimal fields for now)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.register_customer.v1"
    type: Literal["RegisterCustomer"] = "RegisterCustomer"
    version: Literal[1] = 1

    email: str = Field(description="Login email as typed; the service normalises it.")
    password: str = Field(description="Chosen password in clear; only its hash is stored.")
    first_name: str
    last_name: str
    language: Language


class CustomerRegistration(BaseModel):
    """What a successful registration tells the storefront."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    customer_id: UUID
    customer_number: int
    verification_required: bool


class VerifyCustomerEmail(Command):
    """Confirm a customer's email with the code they received (A2)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.verify_customer_email.v1"
    type: Literal["VerifyCustomerEmail"] = "VerifyCustomerEmail"
    version: Literal[1] = 1

    email: str
    code: str = Field(description="The 6-digit code as typed.")


class EmailVerification(BaseModel):
    """What a successful verification tells the storefront."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    customer_id: UUID
    verified_at: AwareDatetime


RESULTS: dict[type[Command], type[BaseModel]] = {
    RegisterCustomer: CustomerRegistration,
    VerifyCustomerEmail: EmailVerification,
}

__all__ = [
    "RESULTS",
    "CustomerEmailVerified",
    "CustomerRegistered",
    "CustomerRegistration",
    "EmailVerification",
    "RegisterCustomer",
    "VerificationCodeIssued",
    "VerifyCustomerEmail",
]
