"""Partner API: the shop's brand on every email (N1), where partner copies (N4) and system
change reports (V6) go, and when carts count as abandoned (B1, V5)."""

import re
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter
from pydantic import AfterValidator, Field, field_validator

from contracts.billing import CartSettings, ConfigureCarts, GetCartSettings
from contracts.notifier import (
    ConfigurePartnerCopies,
    ConfigureReportAddresses,
    ConfigureShopBrand,
    GetPartnerCopies,
    GetReportAddresses,
    GetShopBrand,
    PartnerCopyKind,
    PartnerCopySettings,
    ReportAddresses,
    ShopBrandSettings,
)
from gateway.domain.email_addresses import email_address
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.problems import problem_responses
from gateway.entrypoints.profile_bodies import Body

router = APIRouter(prefix="/partner/v1/settings", tags=["partner"])

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def http_url(value: str) -> str:
    problem = "must be an http(s) URL, e.g. https://shop.example"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValueError(problem) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(problem)
    if any(c.isspace() for c in value):
        raise ValueError(problem)
    return value


def colour(value: str) -> str:
    if not COLOUR.match(value):
        raise ValueError("must be a colour written #rrggbb, e.g. #1f2937")
    return value.lower()


def unique_addresses(value: list[str]) -> list[str]:
    """The first spelling of each address, ignoring case."""
    seen: dict[str, str] = {}
    for address in value:
        seen.setdefault(address.casefold(), address)
    return list(seen.values())


EmailAddress = Annotated[
    str, Field(max_length=320), AfterValidator(str.strip), AfterValidator(email_address)
]
HttpUrl = Annotated[str, Field(max_length=2000), AfterValidator(http_url)]
Colour = Annotated[str, AfterValidator(colour)]


class BrandBody(Body):
    """What every customer-facing email and document of the shop shows about it (N1)."""

    brand_name: str = Field(min_length=1, max_length=120, examples=["Print Atelier"])
    sender_name: str = Field(min_length=1, max_length=120, description="Display name of From.")
    sender_email: EmailAddress = Field(description="From address, in the shop's own domain.")
    reply_to: EmailAddress | None = None
    logo_url: HttpUrl | None = Field(default=None, description="http(s) URL of the logo image.")
    primary_color: Colour = "#1f2937"
    accent_color: Colour = "#2563eb"
    legal_notice: str = Field(
        default="", max_length=2000, description="Company, address, registration: the footer."
    )
    storefront_url: HttpUrl | None = Field(
        default=None, description="Base URL of the storefront; links in emails start here."
    )


class PartnerCopiesBody(Body):
    """The partner's addresses (1 to 10) and the kinds of customer email they get a copy of (N4)."""

    addresses: list[EmailAddress] = Field(
        min_length=1, max_length=10, examples=[["owner@print-atelier.example"]]
    )
    kinds: list[PartnerCopyKind] = Field(default_factory=list, examples=[["registration"]])

    @field_validator("addresses")
    @classmethod
    def without_duplicate_addresses(cls, value: list[str]) -> list[str]:
        return unique_addresses(value)

    @field_validator("kinds")
    @classmethod
    def without_duplicate_kinds(cls, value: list[PartnerCopyKind]) -> list[PartnerCopyKind]:
        return list(dict.fromkeys(value))


class ReportAddressesBody(Body):
    """Where system change reports go (V6): 1 to 20 addresses, or none to stop the reports."""

    addresses: list[EmailAddress] = Field(
        max_length=20, examples=[["controlling@print-atelier.example"]]
    )

    @field_validator("addresses")
    @classmethod
    def without_duplicate_addresses(cls, value: list[str]) -> list[str]:
        return unique_addresses(value)


class CartSettingsBody(Body):
    abandon_after_hours: int = Field(
        ge=1,
        le=24 * 90,
        description="Hours without activity after which a cart counts as abandoned (1-2160).",
        examples=[24],
    )


@router.get("/brand", response_model=ShopBrandSettings, responses=problem_responses(401, 503))
async def read_brand(
    shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> ShopBrandSettings:
    """The shop's brand as its customers' emails show it."""
    return await rpc.call(
        GetShopBrand(shop_id=shop_id, correlation_id=correlation), ShopBrandSettings
    )


@router.put("/brand", response_model=ShopBrandSettings, responses=problem_responses(401, 422, 503))
async def replace_brand(
    body: BrandBody, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> ShopBrandSettings:
    """Replace the shop's brand; the next email carries it."""
    return await rpc.call(
        ConfigureShopBrand(
            shop_id=shop_id,
            correlation_id=correlation,
            brand=ShopBrandSettings(**body.model_dump()),
        ),
        ShopBrandSettings,
    )


@router.get(
    "/partner-copies", response_model=PartnerCopySettings, responses=problem_responses(401, 503)
)
async def read_partner_copies(
    shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> PartnerCopySettings:
    """Where the partner's emails go and which customer emails they get a copy of."""
    return await rpc.call(
        GetPartnerCopies(shop_id=shop_id, correlation_id=correlation), PartnerCopySettings
    )


@router.put(
    "/partner-copies",
    response_model=PartnerCopySettings,
    responses=problem_responses(401, 422, 503),
)
async def replace_partner_copies(
    body: PartnerCopiesBody, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> PartnerCopySettings:
    """Replace the partner's addresses and copy kinds; duplicates are dropped."""
    return await rpc.call(
        ConfigurePartnerCopies(
            shop_id=shop_id,
            correlation_id=correlation,
            settings=PartnerCopySettings(addresses=body.addresses, kinds=body.kinds),
        ),
        PartnerCopySettings,
    )


@router.get(
    "/report-addresses", response_model=ReportAddresses, responses=problem_responses(401, 503)
)
async def read_report_addresses(
    shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> ReportAddresses:
    """Who is told when a voucher code or a customer discount is activated (V6)."""
    return await rpc.call(
        GetReportAddresses(shop_id=shop_id, correlation_id=correlation), ReportAddresses
    )


@router.put(
    "/report-addresses", response_model=ReportAddresses, responses=problem_responses(401, 422, 503)
)
async def replace_report_addresses(
    body: ReportAddressesBody, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> ReportAddresses:
    """Replace the report addresses; an empty list stops the reports; duplicates are dropped."""
    return await rpc.call(
        ConfigureReportAddresses(
            shop_id=shop_id,
            correlation_id=correlation,
            settings=ReportAddresses(addresses=body.addresses),
        ),
        ReportAddresses,
    )


@router.get("/carts", response_model=CartSettings, responses=problem_responses(401, 503))
async def read_cart_settings(
    shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> CartSettings:
    """When an untouched cart counts as abandoned (shown on the customer sheet)."""
    return await rpc.call(
        GetCartSettings(shop_id=shop_id, correlation_id=correlation), CartSettings
    )


@router.put("/carts", response_model=CartSettings, responses=problem_responses(401, 422, 503))
async def replace_cart_settings(
    body: CartSettingsBody, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> CartSettings:
    """Set the hours without activity after which a cart is abandoned."""
    return await rpc.call(
        ConfigureCarts(
            shop_id=shop_id,
            correlation_id=correlation,
            settings=CartSettings(abandon_after_hours=body.abandon_after_hours),
        ),
        CartSettings,
    )
