"""Storefront API: a customer registers in a shop and confirms their email."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from contracts.customers import (
    CustomerRegistration,
    EmailVerification,
    RegisterCustomer,
    VerifyCustomerEmail,
)
from contracts.gateway import Language
from gateway.entrypoints.deps import CorrelationId, RpcDep, StorefrontShop

router = APIRouter(prefix="/storefront/v1/shops/{shop_id}", tags=["storefront"])


class Registration(BaseModel):
    """A new customer account (A1, minimal fields)."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320, examples=["ada@example.com"])
    password: str = Field(max_length=128, description="At least 10 characters.")
    first_name: str = Field(max_length=100, examples=["Ada"])
    last_name: str = Field(max_length=100, examples=["Lovelace"])
    language: Language = "en"


class Registered(BaseModel):
    customer_id: UUID
    customer_number: int
    verification_required: bool = Field(description="True: a code was emailed; confirm it next.")


class CodeConfirmation(BaseModel):
    """The code from the verification email."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)
    code: str = Field(
        pattern=r"^\s*[0-9]{6}\s*$", description="The 6-digit code.", examples=["042917"]
    )


class Verified(BaseModel):
    customer_id: UUID
    verified_at: datetime


@router.post("/customers", status_code=status.HTTP_201_CREATED, response_model=Registered)
async def register(
    shop_id: StorefrontShop, body: Registration, rpc: RpcDep, correlation: CorrelationId
) -> Registered:
    """Create an account; when the shop verifies emails, a code is on its way."""
    result = await rpc.call(
        RegisterCustomer(shop_id=shop_id, correlation_id=correlation, **body.model_dump()),
        CustomerRegistration,
    )
    return Registered(**result.model_dump())


@router.post("/email-verification", response_model=Verified)
async def verify_email(
    shop_id: StorefrontShop, body: CodeConfirmation, rpc: RpcDep, correlation: CorrelationId
) -> Verified:
    """Confirm an email address with the code it received."""
    result = await rpc.call(
        VerifyCustomerEmail(
            shop_id=shop_id, correlation_id=correlation, email=body.email, code=body.code.strip()
        ),
        EmailVerification,
    )
    return Verified(**result.model_dump())
