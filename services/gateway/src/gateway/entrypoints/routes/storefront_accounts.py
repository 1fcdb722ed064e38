"""Storefront API: register, confirm the email, log in and out, reset a password, accept an invitation."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from contracts.customers import (
    Accepted,
    AcceptInvitation,
    CustomerRegistration,
    CustomerSheet,
    EmailVerification,
    GetCustomer,
    LogIn,
    LoginResult,
    PasswordSet,
    RegisterCustomer,
    RequestPasswordReset,
    ResendVerificationCode,
    ResetPassword,
    VerifyCustomerEmail,
)
from contracts.gateway import Language
from gateway.adapters.customer_sessions import open_session, revoke_identity, revoke_token
from gateway.entrypoints.deps import (
    CorrelationId,
    CustomerSession,
    RpcDep,
    SessionDep,
    SettingsDep,
    StorefrontShop,
    ThrottleDep,
)
from gateway.entrypoints.problems import problem_responses
from gateway.entrypoints.profile_bodies import Address, Body, NewProfile

router = APIRouter(prefix="/storefront/v1/shops/{shop_id}", tags=["storefront"])

Email = Annotated[str, Field(max_length=320, examples=["ada@example.com"])]
Password = Annotated[str, Field(max_length=128, description="At least 10 characters.")]
OneTimeToken = Annotated[
    str,
    Field(min_length=1, max_length=200, description="The token of the emailed link (?token=...)."),
]


class Registration(NewProfile):
    """A new customer account (A1); unknown fields are refused."""

    password: Password
    language: Language = "en"
    address: Address | None = Field(
        default=None,
        description="Required: the service refuses a registration without it, naming it "
        "with every other bad field.",
    )


class Registered(BaseModel):
    customer_id: UUID
    customer_number: int
    verification_required: bool = Field(description="True: a code was emailed; confirm it next.")


class CodeConfirmation(Body):
    """The code from the verification email."""

    email: Email
    code: str = Field(
        pattern=r"^\s*[0-9]{6}\s*$", description="The 6-digit code.", examples=["042917"]
    )


class Verified(BaseModel):
    customer_id: UUID
    verified_at: datetime


class EmailOnly(Body):
    email: Email


class AcceptedAnswer(BaseModel):
    """The same answer whether or not the shop knows the email, so accounts cannot be probed."""

    accepted: bool = True


class LoginCredentials(Body):
    email: Email
    password: Password


class LoginAnswer(BaseModel):
    """A customer token for this shop; send it as 'Authorization: Bearer ct_...'."""

    token: str = Field(description="Shown this once; only its digest is kept.")
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name
    expires_at: datetime
    customer_id: UUID
    customer_number: int
    created_in_shop: bool = Field(
        description="True when this login created the shop's record from another shop's account."
    )


class NewPasswordWithToken(Body):
    token: OneTimeToken
    new_password: Password


class InvitationAcceptance(Body):
    token: OneTimeToken
    password: Password


class PasswordChanged(BaseModel):
    customer_id: UUID


@router.post(
    "/customers",
    status_code=status.HTTP_201_CREATED,
    response_model=Registered,
    responses=problem_responses(404, 409, 422, 503),
)
async def register(
    shop_id: StorefrontShop, body: Registration, rpc: RpcDep, correlation: CorrelationId
) -> Registered:
    """Create an account; when the shop verifies emails, a code is on its way."""
    result = await rpc.call(
        RegisterCustomer(
            shop_id=shop_id,
            correlation_id=correlation,
            **body.model_dump(exclude={"address"}),
            address=body.address.to_contract() if body.address else None,
        ),
        CustomerRegistration,
    )
    return Registered(**result.model_dump())


@router.post(
    "/email-verification",
    response_model=Verified,
    responses=problem_responses(404, 422, 429),
)
async def verify_email(
    shop_id: StorefrontShop,
    body: CodeConfirmation,
    rpc: RpcDep,
    correlation: CorrelationId,
    throttle: ThrottleDep,
) -> Verified:
    """Confirm an email address with the code it received."""
    await throttle.check("code_check", shop_id, body.email)
    result = await rpc.call(
        VerifyCustomerEmail(
            shop_id=shop_id, correlation_id=correlation, email=body.email, code=body.code.strip()
        ),
        EmailVerification,
    )
    return Verified(**result.model_dump())


@router.post(
    "/email-verification/resend",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AcceptedAnswer,
    responses=problem_responses(404, 422, 429),
)
async def resend_verification_code(
    shop_id: StorefrontShop,
    body: EmailOnly,
    rpc: RpcDep,
    correlation: CorrelationId,
    throttle: ThrottleDep,
) -> AcceptedAnswer:
    """Send a new verification code (at most one a minute); unknown emails get the same answer."""
    await throttle.check("email_request", shop_id, body.email)
    result = await rpc.call(
        ResendVerificationCode(shop_id=shop_id, correlation_id=correlation, email=body.email),
        Accepted,
    )
    return AcceptedAnswer(accepted=result.accepted)


@router.post(
    "/login",
    response_model=LoginAnswer,
    responses=problem_responses(401, 403, 404, 422, 423, 429, 503),
)
async def log_in(
    shop_id: StorefrontShop,
    body: LoginCredentials,
    rpc: RpcDep,
    correlation: CorrelationId,
    throttle: ThrottleDep,
    session: SessionDep,
    settings: SettingsDep,
) -> LoginAnswer:
    """Log in to this shop and get a customer token; an account from another shop works too (A6)."""
    await throttle.check("login", shop_id, body.email)
    result = await rpc.call(
        LogIn(
            shop_id=shop_id, correlation_id=correlation, email=body.email, password=body.password
        ),
        LoginResult,
    )
    identity_id = result.identity_id
    if identity_id is None:  # an older customers service: ask for it
        sheet = await rpc.call(
            GetCustomer(
                shop_id=shop_id, correlation_id=correlation, customer_id=result.customer_id
            ),
            CustomerSheet,
        )
        identity_id = sheet.customer.identity_id
    issued = await open_session(
        session,
        shop_id=shop_id,
        customer_id=result.customer_id,
        identity_id=identity_id,
        lifetime=settings.customer_session_lifetime,
    )
    await session.commit()
    return LoginAnswer(
        token=issued.token,
        expires_at=issued.expires_at,
        customer_id=result.customer_id,
        customer_number=result.customer_number,
        created_in_shop=result.created_in_shop,
    )


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
async def log_out(customer: CustomerSession, session: SessionDep) -> None:
    """End this token's session; the customer's other sessions stay."""
    await revoke_token(session, customer.token_digest)
    await session.commit()


@router.post(
    "/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AcceptedAnswer,
    responses=problem_responses(404, 422, 429),
)
async def request_password_reset(
    shop_id: StorefrontShop,
    body: EmailOnly,
    rpc: RpcDep,
    correlation: CorrelationId,
    throttle: ThrottleDep,
) -> AcceptedAnswer:
    """Email a one-time reset link if the shop knows the email; the answer is the same either way."""
    await throttle.check("email_request", shop_id, body.email)
    result = await rpc.call(
        RequestPasswordReset(shop_id=shop_id, correlation_id=correlation, email=body.email),
        Accepted,
    )
    return AcceptedAnswer(accepted=result.accepted)


@router.post(
    "/password-reset/confirm",
    response_model=PasswordChanged,
    responses=problem_responses(404, 422),
)
async def reset_password(
    shop_id: StorefrontShop,
    body: NewPasswordWithToken,
    rpc: RpcDep,
    correlation: CorrelationId,
    session: SessionDep,
) -> PasswordChanged:
    """Set a new password with the emailed token; every session of the person ends."""
    result = await rpc.call(
        ResetPassword(
            shop_id=shop_id,
            correlation_id=correlation,
            token=body.token,
            new_password=body.new_password,
        ),
        PasswordSet,
    )
    await revoke_identity(session, result.identity_id)
    await session.commit()
    return PasswordChanged(customer_id=result.customer_id)


@router.post(
    "/invitation/accept",
    response_model=PasswordChanged,
    responses=problem_responses(404, 422),
)
async def accept_invitation(
    shop_id: StorefrontShop,
    body: InvitationAcceptance,
    rpc: RpcDep,
    correlation: CorrelationId,
    session: SessionDep,
) -> PasswordChanged:
    """Confirm an account the shop created and choose its password (P1); then log in."""
    result = await rpc.call(
        AcceptInvitation(
            shop_id=shop_id, correlation_id=correlation, token=body.token, password=body.password
        ),
        PasswordSet,
    )
    await revoke_identity(session, result.identity_id)
    await session.commit()
    return PasswordChanged(customer_id=result.customer_id)
