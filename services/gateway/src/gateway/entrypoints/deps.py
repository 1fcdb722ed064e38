"""Request dependencies: the runtime's pieces and who is calling (operator, partner, customer)."""

import hmac
from collections.abc import AsyncIterator
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters import throttle
from gateway.adapters.customer_sessions import ActiveSession, find_session
from gateway.adapters.tables import partner_tokens, shops
from gateway.config import GatewaySettings, ThrottleLimit
from gateway.domain.tokens import is_customer_token, token_digest
from gateway.entrypoints.problems import Problem, too_many_requests
from service_runtime.rpc_client import RpcClient
from service_runtime.service import ServiceRuntime

bearer = HTTPBearer(
    auto_error=False, scheme_name="PartnerToken", description="A partner token: pt_..."
)
customer_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="CustomerToken",
    description="A customer token from POST /storefront/v1/shops/{shop_id}/login: ct_...",
)
operator_bearer = HTTPBearer(
    auto_error=False, scheme_name="OperatorToken", description="The operator token."
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
CustomerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(customer_bearer)]
OperatorCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(operator_bearer)]


# Dependencies are ``async def`` even without awaiting: FastAPI runs plain ``def`` ones in a
# worker thread, a hop that costs more than the function itself on every request.


async def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


async def get_settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


SettingsDep = Annotated[GatewaySettings, Depends(get_settings)]


async def request_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One database session per request, shared by its dependencies and its route."""
    async with runtime.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(request_session)]


async def read_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """An autocommit session for the token and shop checks: one query, no BEGIN or COMMIT."""
    async with runtime.read_sessions() as session:
        yield session


ReadSessionDep = Annotated[AsyncSession, Depends(read_session)]


async def get_rpc(runtime: RuntimeDep) -> RpcClient:
    if runtime.rpc is None:  # pragma: no cover - the gateway always builds one
        raise RuntimeError("gateway runtime has no request/reply client")
    return runtime.rpc


RpcDep = Annotated[RpcClient, Depends(get_rpc)]


async def correlation_id(request: Request) -> UUID:
    """The id the messages caused by this request carry (set by the correlation middleware)."""
    value: UUID = request.state.correlation_id
    return value


CorrelationId = Annotated[UUID, Depends(correlation_id)]


def unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "unauthorized",
        "Authentication required",
        detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


async def require_operator(settings: SettingsDep, credentials: OperatorCredentials) -> None:
    if credentials is None or not hmac.compare_digest(
        credentials.credentials.encode(), settings.operator_token.encode()
    ):
        raise unauthorized("a valid operator token is required")


async def partner_shop(session: ReadSessionDep, credentials: Credentials) -> UUID:
    """The one shop a partner token gives access to."""
    if credentials is None:
        raise unauthorized("a partner token is required")
    shop_id = await session.scalar(
        select(partner_tokens.c.shop_id).where(
            partner_tokens.c.token_digest == token_digest(credentials.credentials),
            partner_tokens.c.revoked_at.is_(None),
        )
    )
    # Hand the connection back before the route awaits a service (autocommit: no round trip).
    await session.commit()
    if shop_id is None:
        raise unauthorized("the partner token is unknown or revoked")
    return UUID(str(shop_id))


PartnerShop = Annotated[UUID, Depends(partner_shop)]


async def storefront_shop(shop_id: UUID, request: Request, session: ReadSessionDep) -> UUID:
    """The shop a storefront names in its path; unknown shops answer 404.

    Shops are never closed, so a shop found once is remembered by this process: storefront
    calls skip the lookup (an unknown id is still looked up every time).
    """
    known: set[UUID] = request.app.state.known_shops
    if shop_id in known:
        return shop_id
    found = await session.scalar(select(shops.c.shop_id).where(shops.c.shop_id == shop_id))
    await session.commit()
    if found is None:
        raise Problem(404, "shop_not_found", "Shop not found", f"No shop has the id {shop_id}.")
    known.add(shop_id)
    return shop_id


StorefrontShop = Annotated[UUID, Depends(storefront_shop)]


async def customer_session(
    shop_id: StorefrontShop, session: ReadSessionDep, credentials: CustomerCredentials
) -> ActiveSession:
    """The customer a ct_ token speaks for, in the path's shop only (X3)."""
    if credentials is None or not is_customer_token(credentials.credentials):
        raise unauthorized("a customer token is required")
    found = await find_session(session, credentials.credentials)
    await session.commit()
    if found is None:
        raise unauthorized("the customer token is unknown, expired or revoked")
    if found.shop_id != shop_id:
        raise unauthorized("the customer token belongs to another shop")
    return found


CustomerSession = Annotated[ActiveSession, Depends(customer_session)]


async def optional_customer(
    request: Request,
    shop_id: StorefrontShop,
    session: ReadSessionDep,
    credentials: CustomerCredentials,
) -> ActiveSession | None:
    """A visitor (None) without an Authorization header; a header that is sent must be a valid
    customer token of this shop, or the request answers 401 as on the customer-only routes."""
    if "authorization" not in request.headers:
        return None
    return await customer_session(shop_id, session, credentials)


OptionalCustomer = Annotated[ActiveSession | None, Depends(optional_customer)]

ThrottledAction = Literal["login", "code_check", "email_request"]
"""login: logins and password changes; code_check: emailed codes; email_request: requests
that send an email (resend, reset, email change)."""


class Throttle:
    """Counts a request's attempts per client IP and per account; 429 past either limit."""

    def __init__(self, session: AsyncSession, settings: GatewaySettings, client_ip: str) -> None:
        self.session, self.settings, self.client_ip = session, settings, client_ip

    def limits(self, action: ThrottledAction) -> tuple[ThrottleLimit, ThrottleLimit]:
        s = self.settings
        return {
            "login": (s.throttle_login_per_ip, s.throttle_login_per_account),
            "code_check": (s.throttle_code_per_ip, s.throttle_code_per_account),
            "email_request": (s.throttle_email_per_ip, s.throttle_email_per_account),
        }[action]

    async def check(self, action: ThrottledAction, shop_id: UUID, account: str) -> None:
        """Count one attempt for the IP, then for the account (an email or a customer id)."""
        per_ip, per_account = self.limits(action)
        buckets = (
            (throttle.ip_bucket(action, shop_id, self.client_ip), per_ip),
            (throttle.account_bucket(action, shop_id, account), per_account),
        )
        for bucket, limit in buckets:
            verdict = await throttle.hit(self.session, bucket, limit)
            await self.session.commit()  # counted even when the request fails later
            if not verdict.allowed:
                raise too_many_requests(verdict.retry_after)


def get_throttle(request: Request, session: SessionDep, settings: SettingsDep) -> Throttle:
    """Behind a proxy, run uvicorn with --proxy-headers so the client's own IP is seen here."""
    client_ip = request.client.host if request.client else "unknown"
    return Throttle(session, settings, client_ip)


ThrottleDep = Annotated[Throttle, Depends(get_throttle)]
