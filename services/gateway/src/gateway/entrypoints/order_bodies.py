"""HTTP bodies of the order, payment and invoice routes (B2-B5, A10) and the Idempotency-Key header.

They check what the gateway can check alone: shapes, emails, phone numbers, and which fields a
guest or a logged-in customer sends. Billing checks the rest (cart, payment method, credit
limit, transitions) and names the fields it refuses.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import phonenumbers
from fastapi import Depends, Header
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, field_validator

from contracts.billing import GuestContact, OrderAddress, PaymentMethod, ProviderStep
from contracts.gateway import Language
from gateway.domain.email_addresses import email_address
from gateway.entrypoints.problems import Problem, ProblemDocument
from gateway.entrypoints.profile_bodies import Body

IDEMPOTENCY_KEY_MAX = 200
"""The contract's limit: billing keeps the key as it came."""

IDEMPOTENCY_KEY_PROBLEM: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ProblemDocument,
        "description": "The Idempotency-Key header is missing, blank or too long",
    }
}


IDEMPOTENCY_KEY_DESCRIPTION = (
    "A unique value per request (e.g. a UUID), sent again unchanged when retrying: the same "
    f"key gives the same result, never two. At most {IDEMPOTENCY_KEY_MAX} characters."
)

IDEMPOTENCY_KEY_OPENAPI: dict[str, Any] = {
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": True,
            "description": IDEMPOTENCY_KEY_DESCRIPTION,
            "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX},
            "example": "2f6c1e0a-6b7d-4f21-9a53-1c8f0e4b7d11",
        }
    ]
}
"""The header as OpenAPI documents it (required); read below without FastAPI's own check,
which would answer a missing header with 422 instead of 400."""


async def idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key", include_in_schema=False)] = None,
) -> str:
    """A 400 naming the header, before anything is asked of billing."""
    value = (key or "").strip()
    if not value:
        reason = "is required: a unique value per request, sent again when retrying"
    elif len(value) > IDEMPOTENCY_KEY_MAX:
        reason = f"must have at most {IDEMPOTENCY_KEY_MAX} characters"
    else:
        return value
    raise Problem(
        400,
        "idempotency_key_invalid",
        "Idempotency-Key missing or invalid",
        f"Idempotency-Key {reason}.",
        errors=[{"field": "Idempotency-Key", "reason": reason}],
    )


def fields_refused(errors: list[dict[str, str]]) -> Problem:
    """A 422 naming every bad field at once, as request validation does."""
    return Problem(
        422,
        "validation_failed",
        "Some fields are not valid",
        "; ".join(f"{e['field']}: {e['reason']}" for e in errors),
        errors=errors,
    )


def _text(value: Any) -> Any:
    """Spaces around a text are dropped; a blank optional text counts as left out."""
    return value.strip() if isinstance(value, str) else value


def _blank_is_none(value: Any) -> Any:
    value = _text(value)
    return None if value == "" else value


def _email(value: str) -> str:
    """Normalised and lower-cased as the customers service keeps emails (no network look-up)."""
    return email_address(value).lower()


Text = Annotated[str, BeforeValidator(_text)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_is_none)]
EmailAddress = Annotated[str, BeforeValidator(_text), Field(max_length=320), AfterValidator(_email)]


class AddressBody(Body):
    """An address as the order and the invoice print it; the country is ISO 3166-1 alpha-2."""

    name: Text = Field(min_length=1, max_length=200, description="Person or department.")
    company: OptionalText = Field(default=None, max_length=200)
    line1: Text = Field(min_length=1, max_length=200, examples=["12 rue des Lilas"])
    line2: OptionalText = Field(default=None, max_length=200)
    postcode: OptionalText = Field(default=None, max_length=20, examples=["75011"])
    city: Text = Field(min_length=1, max_length=100, examples=["Paris"])
    region: OptionalText = Field(default=None, max_length=100)
    country: str = Field(pattern=r"^[A-Za-z]{2}$", examples=["FR"])

    @field_validator("country")
    @classmethod
    def upper_case(cls, value: str) -> str:
        return value.upper()

    def to_contract(self) -> OrderAddress:
        return OrderAddress(**self.model_dump())


class GuestBody(Body):
    """Who a guest order is for (A10): no account is created, no customer number given."""

    email: EmailAddress = Field(
        description="Where the order's emails go.", examples=["ada@example.com"]
    )
    first_name: Text = Field(min_length=1, max_length=100, examples=["Ada"])
    last_name: Text = Field(min_length=1, max_length=100, examples=["Lovelace"])
    phone: OptionalText = Field(
        default=None,
        max_length=32,
        description="Any common notation; sent on as E.164 (a number without + is read in "
        "the billing address's country).",
        examples=["+33 6 12 34 56 78"],
    )
    language: Language | None = Field(
        default=None, description="Language of the order's emails (default: the shop's)."
    )


def e164(raw: str, country: str | None) -> str | None:
    """The number as E.164, or None when it is not a valid phone number."""
    try:
        number = phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class OrderRequest(Body):
    """Turn a priced cart into an order (B2). A logged-in customer leaves ``guest`` out (the
    order is theirs, their address on file is used when ``billing_address`` is left out); a
    guest sends ``guest`` and ``billing_address``."""

    cart_id: UUID
    payment_method: PaymentMethod = Field(
        description="One of GET /payment-options; all but 'invoice' wait for the payment."
    )
    billing_address: AddressBody | None = Field(
        default=None, description="Required for a guest; a customer's default: the address on file."
    )
    shipping_address: AddressBody | None = Field(
        default=None, description="Default: the billing address."
    )
    guest: GuestBody | None = Field(default=None, description="Required without a customer token.")

    def problems(self, *, as_customer: bool) -> list[dict[str, str]]:
        """What the gateway refuses about who orders, every field at once."""
        problems = []
        if as_customer:
            if self.guest is not None:
                problems.append(
                    {"field": "guest", "reason": "must be left out: the order is the customer's"}
                )
            return problems
        if self.guest is None:
            problems.append(
                {"field": "guest", "reason": "is required without a customer token (guest order)"}
            )
        if self.billing_address is None:
            problems.append({"field": "billing_address", "reason": "is required for a guest order"})
        if self.guest is not None and self.guest.phone is not None and self.guest_phone() is None:
            problems.append(
                {
                    "field": "guest.phone",
                    "reason": "is not a valid phone number (use the international form, e.g. +33...)",
                }
            )
        return problems

    def guest_phone(self) -> str | None:
        if self.guest is None or self.guest.phone is None:
            return None
        country = self.billing_address.country if self.billing_address else None
        return e164(self.guest.phone, country)

    def guest_contact(self, default_language: Language) -> GuestContact | None:
        if self.guest is None:
            return None
        return GuestContact(
            email=self.guest.email,
            first_name=self.guest.first_name,
            last_name=self.guest.last_name,
            phone=self.guest_phone(),
            language=self.guest.language or default_language,
        )


class CancellationBody(Body):
    reason: OptionalText = Field(
        default=None, max_length=1000, description="Kept in the order's history."
    )


class PaymentBody(Body):
    """A payment the payment provider (outside this system) reported; recorded, not processed."""

    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2, examples=["119.00"])
    reference: Text = Field(
        min_length=1, max_length=200, description="The payment provider's reference."
    )
    paid_at: AwareDatetime | None = Field(default=None, description="Default: now.")


class InvoicePaidBody(Body):
    paid_on: date = Field(description="The day the payment arrived.", examples=["2026-04-30"])


class CreditNoteBody(Body):
    reason: Text = Field(
        min_length=1,
        max_length=1000,
        description="Printed on the credit note.",
        examples=["Misprint"],
    )


class PaymentSettingsBody(Body):
    """The payment methods the shop offers and how the partner pays the print provider."""

    payment_methods: list[PaymentMethod] = Field(
        min_length=1, max_length=4, examples=[["card", "invoice"]]
    )
    provider_pay_method: Text = Field(
        min_length=1,
        max_length=60,
        description="Shown in the revenue export's 'provider pay method' column.",
        examples=["direct_debit"],
    )

    @field_validator("payment_methods")
    @classmethod
    def without_duplicates(cls, value: list[PaymentMethod]) -> list[PaymentMethod]:
        return list(dict.fromkeys(value))


class ProviderStepBody(Body):
    """A step the print provider's platform reports about a production order (B5)."""

    step: ProviderStep
    note: OptionalText = Field(default=None, max_length=1000)
    tracking_number: OptionalText = Field(
        default=None, max_length=100, description="Required with 'shipped'."
    )
    provider_invoice_id: OptionalText = Field(
        default=None,
        max_length=60,
        description="With 'shipped' only: the provider's invoice to the partner (default: generated).",
    )
    provider_invoice_date: date | None = Field(
        default=None, description="With 'shipped' only (default: today in the shop's time zone)."
    )

    def problems(self) -> list[dict[str, str]]:
        problems = []
        if self.step == "shipped":
            if self.tracking_number is None:
                problems.append(
                    {"field": "tracking_number", "reason": "is required when the step is shipped"}
                )
            return problems
        for name in ("tracking_number", "provider_invoice_id", "provider_invoice_date"):
            if getattr(self, name) is not None:
                problems.append({"field": name, "reason": "is only sent with the step shipped"})
        return problems


IdempotencyKeyHeader = Annotated[str, Depends(idempotency_key)]
