"""Operator API: open a partner shop and hand out its first partner token."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field, HttpUrl
from sqlalchemy import insert, select

from contracts.gateway import Language, ShopOpened, VerificationMode
from gateway.adapters.tables import partner_tokens, shops
from gateway.domain.email_addresses import email_address
from gateway.domain.shop_settings import currency_problem, slug_candidates, timezone_problem
from gateway.domain.tokens import new_partner_token, token_digest
from gateway.entrypoints.deps import CorrelationId, RuntimeDep, require_operator
from gateway.entrypoints.problems import Problem

router = APIRouter(prefix="/ops/v1", tags=["operator"], dependencies=[Depends(require_operator)])


class OpenShop(BaseModel):
    """A new partner shop."""

    model_config = ConfigDict(extra="forbid")

    brand_name: str = Field(min_length=1, max_length=120, examples=["Print Atelier"])
    sender_email: str = Field(
        description="From address of the shop's emails.", examples=["hello@print-atelier.example"]
    )
    default_language: Language = "en"
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    timezone: str = Field(default="Europe/Paris")
    verification_mode: VerificationMode = Field(
        default="code",
        description="'code' to confirm new customers' emails, 'none' for guest mode.",
    )
    storefront_url: HttpUrl | None = Field(
        default=None,
        description="Base URL of the shop's storefront; links in emails (reset, invitation) start here.",
        examples=["https://print-atelier.example"],
    )


class OpenedShop(BaseModel):
    """The opened shop and its first partner token (shown this once only)."""

    shop_id: UUID
    slug: str
    brand_name: str
    partner_token: str


def _problems(body: OpenShop) -> list[dict[str, str]]:
    problems = []
    try:
        email_address(body.sender_email)
    except ValueError as exc:
        problems.append({"field": "sender_email", "reason": str(exc)})
    if reason := currency_problem(body.currency):
        problems.append({"field": "currency", "reason": reason})
    if reason := timezone_problem(body.timezone):
        problems.append({"field": "timezone", "reason": reason})
    return problems


@router.post("/shops", status_code=status.HTTP_201_CREATED, response_model=OpenedShop)
async def open_shop(body: OpenShop, runtime: RuntimeDep, correlation: CorrelationId) -> OpenedShop:
    """Open a shop; every service learns of it through ShopOpened."""
    if problems := _problems(body):
        raise Problem(
            422,
            "validation_failed",
            "Some fields are not valid",
            "; ".join(f"{p['field']}: {p['reason']}" for p in problems),
            errors=problems,
        )
    shop_id, token, now = uuid4(), new_partner_token(), datetime.now(UTC)
    async with runtime.unit_of_work() as uow:
        taken = set(
            (
                await uow.session.scalars(
                    select(shops.c.slug).where(shops.c.slug.in_(slug_candidates(body.brand_name)))
                )
            ).all()
        )
        slug = next(s for s in slug_candidates(body.brand_name) if s not in taken)
        shop = {**body.model_dump(exclude={"storefront_url"}), "shop_id": shop_id, "slug": slug}
        await uow.session.execute(insert(shops).values(**shop, opened_at=now))
        await uow.session.execute(
            insert(partner_tokens).values(
                token_id=uuid4(),
                shop_id=shop_id,
                token_digest=token_digest(token),
                label="first partner token",
                created_at=now,
            )
        )
        storefront_url = str(body.storefront_url).rstrip("/") if body.storefront_url else None
        uow.emit(
            ShopOpened(
                **shop, storefront_url=storefront_url, correlation_id=correlation, occurred_at=now
            )
        )
        await uow.commit()
    return OpenedShop(shop_id=shop_id, slug=slug, brand_name=body.brand_name, partner_token=token)
