"""Request dependencies: the runtime's pieces and who is calling (operator, partner, shop)."""

import hmac
from collections.abc import AsyncIterator
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.tables import partner_tokens, shops
from gateway.config import GatewaySettings
from gateway.domain.tokens import token_digest
from gateway.entrypoints.problems import Problem
from service_runtime.rpc_client import RpcClient
from service_runtime.service import ServiceRuntime

bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


async def request_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One database session per request, shared by its dependencies and its route."""
    async with runtime.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(request_session)]


def get_rpc(runtime: RuntimeDep) -> RpcClient:
    if runtime.rpc is None:  # pragma: no cover - the gateway always builds one
        raise RuntimeError("gateway runtime has no request/reply client")
    return runtime.rpc


RpcDep = Annotated[RpcClient, Depends(get_rpc)]


def correlation_id(request: Request) -> UUID:
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


async def require_operator(request: Request, credentials: Credentials) -> None:
    settings: GatewaySettings = request.app.state.settings
    if credentials is None or not hmac.compare_digest(
        credentials.credentials.encode(), settings.operator_token.encode()
    ):
        raise unauthorized("a valid operator token is required")


async def partner_shop(session: SessionDep, credentials: Credentials) -> UUID:
    """The one shop a partner token gives access to."""
    if credentials is None:
        raise unauthorized("a partner token is required")
    shop_id = await session.scalar(
        select(partner_tokens.c.shop_id).where(
            partner_tokens.c.token_digest == token_digest(credentials.credentials),
            partner_tokens.c.revoked_at.is_(None),
        )
    )
    if shop_id is None:
        raise unauthorized("the partner token is unknown or revoked")
    return UUID(str(shop_id))


PartnerShop = Annotated[UUID, Depends(partner_shop)]


async def storefront_shop(shop_id: UUID, session: SessionDep) -> UUID:
    """The shop a storefront names in its path; unknown shops answer 404."""
    found = await session.scalar(select(shops.c.shop_id).where(shops.c.shop_id == shop_id))
    if found is None:
        raise Problem(404, "shop_not_found", "Shop not found", f"No shop has the id {shop_id}.")
    return shop_id


StorefrontShop = Annotated[UUID, Depends(storefront_shop)]
