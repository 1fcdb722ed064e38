"""Storefront API: the shop's price list as customers may see it (B1).

Active products only, names in the reader's language, and never the provider's wholesale cost.
"""

from decimal import Decimal
from typing import Annotated, cast
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from contracts.billing import ListProducts, Names, PriceList, Product, ShippingOption
from contracts.gateway import Language
from gateway.adapters.tables import shops
from gateway.entrypoints.deps import CorrelationId, ReadSessionDep, RpcDep, StorefrontShop
from gateway.entrypoints.problems import problem_responses

router = APIRouter(prefix="/storefront/v1/shops/{shop_id}", tags=["storefront"])


class OfferedOption(BaseModel):
    """A production time the customer may choose, with its net surcharge per unit."""

    code: str = Field(examples=["express"])
    name: str = Field(examples=["Express (2 days)"])
    surcharge_unit_net: Decimal


class OfferedProduct(BaseModel):
    """A product at the shop's own list price (before any discount)."""

    sku: str
    name: str = Field(description="In the language asked for, else the shop's language.")
    names: Names
    unit_net: Decimal = Field(description="Net list price of one unit.")
    vat_rate: Decimal
    min_quantity: int
    max_quantity: int
    production_options: list[OfferedOption] = Field(description="The first is the default.")


class OfferedShipping(BaseModel):
    code: str
    name: str
    net: Decimal
    vat_rate: Decimal


class StorefrontPriceList(BaseModel):
    """What a storefront shows before a customer asks for prices (POST /prices)."""

    currency: str
    products: list[OfferedProduct]
    shipping_options: list[OfferedShipping]


def offered_product(product: Product, language: Language, fallback: Language) -> OfferedProduct:
    """Built field by field: a field added to Product never reaches customers unnoticed."""
    return OfferedProduct(
        sku=product.sku,
        name=product.names.pick(language, fallback),
        names=product.names,
        unit_net=product.unit_net,
        vat_rate=product.vat_rate,
        min_quantity=product.min_quantity,
        max_quantity=product.max_quantity,
        production_options=[
            OfferedOption(
                code=option.code,
                name=option.names.pick(language, fallback),
                surcharge_unit_net=option.surcharge_unit_net,
            )
            for option in product.production_options
        ],
    )


def offered_shipping(
    option: ShippingOption, language: Language, fallback: Language
) -> OfferedShipping:
    return OfferedShipping(
        code=option.code,
        name=option.names.pick(language, fallback),
        net=option.net,
        vat_rate=option.vat_rate,
    )


def storefront_price_list(
    price_list: PriceList, language: Language, fallback: Language
) -> StorefrontPriceList:
    """Active entries only, even if the service sent more."""
    return StorefrontPriceList(
        currency=price_list.currency,
        products=[offered_product(p, language, fallback) for p in price_list.products if p.active],
        shipping_options=[
            offered_shipping(s, language, fallback) for s in price_list.shipping_options if s.active
        ],
    )


async def shop_language(session: ReadSessionDep, shop_id: UUID) -> Language:
    language = await session.scalar(
        select(shops.c.default_language).where(shops.c.shop_id == shop_id)
    )
    await session.commit()
    return cast(Language, language or "en")


@router.get(
    "/products", response_model=StorefrontPriceList, responses=problem_responses(404, 422, 503)
)
async def list_products(
    shop_id: StorefrontShop,
    session: ReadSessionDep,
    rpc: RpcDep,
    correlation: CorrelationId,
    language: Annotated[
        Language | None, Query(description="Names in this language (default: the shop's).")
    ] = None,
) -> StorefrontPriceList:
    """The products a customer can order and the shipping options, at list prices."""
    fallback = await shop_language(session, shop_id)
    price_list = await rpc.call(
        ListProducts(shop_id=shop_id, correlation_id=correlation, include_inactive=False),
        PriceList,
    )
    return storefront_price_list(price_list, language or fallback, fallback)
