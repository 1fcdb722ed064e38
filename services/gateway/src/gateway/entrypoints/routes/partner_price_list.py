"""Partner API: the shop's price list, products and shipping options at its own prices (B1, B5).

The partner sees everything, inactive entries and the provider's wholesale cost included.
A PUT creates or replaces the entry its path names, in the partner token's shop only.
"""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status
from pydantic import ConfigDict, Field

from contracts.billing import (
    GetProduct,
    ListProducts,
    Names,
    PriceList,
    Product,
    ProductInput,
    ProductionOption,
    ProductSaved,
    ProductTerms,
    PutProduct,
    PutShippingOption,
    ShippingOption,
    ShippingOptionInput,
    ShippingOptionSaved,
    ShippingOptionTerms,
)
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.problems import problem_responses

router = APIRouter(prefix="/partner/v1", tags=["partner"])

SkuPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="The product's SKU: letters, digits, '.', '_' and '-'; case-sensitive.",
        examples=["FLY-A5"],
    ),
]
OptionCodePath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Lower-case letters, digits, '-' and '_'.",
        examples=["standard-post"],
    ),
]


class NamesBody(Names):
    """A name per language (en, fr, de); at least one."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ProductionOptionBody(ProductionOption):
    model_config = ConfigDict(extra="forbid", frozen=True)

    names: NamesBody


class ProductBody(ProductTerms):
    """A price-list entry; the SKU is the path's. Unknown fields are refused at every level."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    names: NamesBody
    production_options: Sequence[ProductionOptionBody] = Field(
        min_length=1, max_length=20, description="The first is the default."
    )

    def to_contract(self, sku: str) -> ProductInput:
        return ProductInput.model_validate({"sku": sku, **self.model_dump()})


class ShippingOptionBody(ShippingOptionTerms):
    """A shipping option; the code is the path's. Shipping is never discounted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    names: NamesBody

    def to_contract(self, code: str) -> ShippingOptionInput:
        return ShippingOptionInput.model_validate({"code": code, **self.model_dump()})


SAVED: dict[int | str, dict[str, Any]] = {
    200: {"description": "Replaced"},
    201: {"description": "Created (Location names it)"},
    **problem_responses(401, 422, 503),
}


@router.get("/price-list", response_model=PriceList, responses=problem_responses(401, 503))
async def read_price_list(
    shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> PriceList:
    """Every product and shipping option, inactive ones and wholesale costs included."""
    return await rpc.call(
        ListProducts(shop_id=shop_id, correlation_id=correlation, include_inactive=True),
        PriceList,
    )


@router.get(
    "/products/{sku}", response_model=Product, responses=problem_responses(401, 404, 422, 503)
)
async def read_product(
    sku: SkuPath, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> Product:
    """One product of the price list."""
    return await rpc.call(GetProduct(shop_id=shop_id, correlation_id=correlation, sku=sku), Product)


@router.put("/products/{sku}", response_model=Product, responses=SAVED)
async def put_product(
    sku: SkuPath,
    body: ProductBody,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    response: Response,
) -> Product:
    """Create the product (201) or replace it (200)."""
    saved = await rpc.call(
        PutProduct(shop_id=shop_id, correlation_id=correlation, product=body.to_contract(sku)),
        ProductSaved,
    )
    if saved.created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"{router.prefix}/products/{saved.product.sku}"
    return saved.product


@router.put("/shipping-options/{code}", response_model=ShippingOption, responses=SAVED)
async def put_shipping_option(
    code: OptionCodePath,
    body: ShippingOptionBody,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    response: Response,
) -> ShippingOption:
    """Create the shipping option (201) or replace it (200)."""
    saved = await rpc.call(
        PutShippingOption(
            shop_id=shop_id, correlation_id=correlation, option=body.to_contract(code)
        ),
        ShippingOptionSaved,
    )
    if saved.created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"{router.prefix}/shipping-options/{saved.option.code}"
    return saved.option
