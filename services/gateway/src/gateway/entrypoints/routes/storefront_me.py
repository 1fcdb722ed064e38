"""Storefront API for a logged-in customer: their own profile, password, email and deletion (A4-A9).

Answers never show what only the shop sees: group, notes, denied, B2B terms, identity (A8).
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from contracts.customers import (
    ChangePassword,
    ConfirmEmailChange,
    CustomerDeletion,
    CustomerSheet,
    DeleteOwnAccount,
    EmailChangeDone,
    EmailChangePending,
    GetCustomer,
    PasswordSet,
    PostalAddress,
    RequestEmailChange,
    UpdateOwnProfile,
)
from contracts.gateway import Language
from gateway.adapters.customer_sessions import revoke_customers, revoke_identity
from gateway.entrypoints.deps import (
    CorrelationId,
    CustomerSession,
    RpcDep,
    SessionDep,
    ThrottleDep,
)
from gateway.entrypoints.problems import problem_responses
from gateway.entrypoints.profile_bodies import Body, ProfilePatch

router = APIRouter(prefix="/storefront/v1/shops/{shop_id}", tags=["storefront"])

Password = Annotated[str, Field(max_length=128)]


class MyProfile(BaseModel):
    """The customer's own record in this shop."""

    customer_id: UUID
    customer_number: int
    email: str
    email_verified: bool
    first_name: str
    last_name: str
    language: Language
    phone: str | None = Field(description="E.164, e.g. +33612345678.")
    address: PostalAddress | None
    company: str | None
    vat_number: str | None
    registration_number: str | None
    newsletter: bool = Field(description="Marketing consent.")
    registered_at: datetime

    @classmethod
    def of(cls, sheet: CustomerSheet) -> "MyProfile":
        c = sheet.customer
        return cls(
            customer_id=c.customer_id,
            customer_number=c.customer_number,
            email=c.email,
            email_verified=c.email_verified,
            first_name=c.first_name,
            last_name=c.last_name,
            language=c.language,
            phone=c.phone,
            address=c.address,
            company=c.company,
            vat_number=c.vat_number,
            registration_number=c.registration_number,
            newsletter=c.newsletter,
            registered_at=c.registered_at,
        )


class PasswordChange(Body):
    current_password: Password
    new_password: Password = Field(description="At least 10 characters.")


class EmailChangeRequest(Body):
    new_email: str = Field(max_length=320, examples=["ada@newmail.example"])


class EmailChangeAnswer(BaseModel):
    """A code went to the new address; the login email changes once it is confirmed (A5)."""

    new_email: str
    expires_at: datetime


class EmailChangeCode(Body):
    code: str = Field(
        pattern=r"^\s*[0-9]{6}\s*$", description="The 6-digit code.", examples=["042917"]
    )


class DeletionRequest(Body):
    comment: str | None = Field(
        default=None, max_length=2000, description="Passed on to the shop's owner."
    )


@router.get("/me", response_model=MyProfile, responses=problem_responses(401, 404))
async def read_own_profile(
    customer: CustomerSession, rpc: RpcDep, correlation: CorrelationId
) -> MyProfile:
    """The logged-in customer's profile, language and newsletter consent (A8)."""
    sheet = await rpc.call(
        GetCustomer(
            shop_id=customer.shop_id, correlation_id=correlation, customer_id=customer.customer_id
        ),
        CustomerSheet,
    )
    return MyProfile.of(sheet)


@router.patch("/me", response_model=MyProfile, responses=problem_responses(401, 404, 422))
async def edit_own_profile(
    body: ProfilePatch, customer: CustomerSession, rpc: RpcDep, correlation: CorrelationId
) -> MyProfile:
    """Change the fields sent; null clears phone, company, VAT or registration number (A8)."""
    sheet = await rpc.call(
        UpdateOwnProfile(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            customer_id=customer.customer_id,
            profile=body.profile_changes(),
            newsletter=body.newsletter_change(),
        ),
        CustomerSheet,
    )
    return MyProfile.of(sheet)


@router.put(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 422, 429),
)
async def change_password(
    body: PasswordChange,
    customer: CustomerSession,
    rpc: RpcDep,
    correlation: CorrelationId,
    throttle: ThrottleDep,
    session: SessionDep,
) -> None:
    """Change the password with the current one (A4); the person's other sessions end."""
    await throttle.check("login", customer.shop_id, f"customer:{customer.customer_id}")
    result = await rpc.call(
        ChangePassword(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            customer_id=customer.customer_id,
            current_password=body.current_password,
            new_password=body.new_password,
        ),
        PasswordSet,
    )
    await revoke_identity(session, result.identity_id, keep_digest=customer.token_digest)
    await session.commit()


@router.post(
    "/me/email-change",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=EmailChangeAnswer,
    responses=problem_responses(401, 404, 409, 422, 429),
)
async def request_email_change(
    body: EmailChangeRequest,
    customer: CustomerSession,
    rpc: RpcDep,
    correlation: CorrelationId,
    throttle: ThrottleDep,
) -> EmailChangeAnswer:
    """Send a code to the new address; the login stays the old one until it is confirmed (A5)."""
    await throttle.check("email_request", customer.shop_id, f"customer:{customer.customer_id}")
    result = await rpc.call(
        RequestEmailChange(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            customer_id=customer.customer_id,
            new_email=body.new_email,
        ),
        EmailChangePending,
    )
    return EmailChangeAnswer(new_email=result.new_email, expires_at=result.expires_at)


@router.post(
    "/me/email-change/confirm",
    response_model=MyProfile,
    responses=problem_responses(401, 404, 409, 422, 429),
)
async def confirm_email_change(
    body: EmailChangeCode,
    customer: CustomerSession,
    rpc: RpcDep,
    correlation: CorrelationId,
    throttle: ThrottleDep,
) -> MyProfile:
    """Make the new address the login with the code sent to it (A5)."""
    await throttle.check("code_check", customer.shop_id, f"customer:{customer.customer_id}")
    await rpc.call(
        ConfirmEmailChange(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            customer_id=customer.customer_id,
            code=body.code.strip(),
        ),
        EmailChangeDone,
    )
    sheet = await rpc.call(
        GetCustomer(
            shop_id=customer.shop_id, correlation_id=correlation, customer_id=customer.customer_id
        ),
        CustomerSheet,
    )
    return MyProfile.of(sheet)


@router.post(
    "/me/deletion",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 422),
)
async def delete_own_account(
    customer: CustomerSession,
    rpc: RpcDep,
    correlation: CorrelationId,
    session: SessionDep,
    body: DeletionRequest | None = None,
) -> None:
    """Delete this shop's record (A9): other shops' records stay; the shop gets the comment."""
    await rpc.call(
        DeleteOwnAccount(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            customer_id=customer.customer_id,
            comment=body.comment if body else None,
        ),
        CustomerDeletion,
    )
    await revoke_customers(session, [customer.customer_id])
    await session.commit()
