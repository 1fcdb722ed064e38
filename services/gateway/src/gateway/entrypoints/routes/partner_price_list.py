"""Partner API: the shop's price list, products and shipping options at its own prices (B1, B5).

The partner sees everything, inactive entries and the provider's wholesale cost included.
A PUT creates or replaces the entry its path names, in the partner token's shop only.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status
from pydantic import ConfigDict, Field, field_validator

from contracts.billing import (
    GetProduct,
    ListProducts,
    Names,
    PriceList,
    Product,
    ProductInput,
    ProductionOption,
    ProductSaved,
    PutProduct,
    PutShippingOption,
    ShippingOption,
    ShippingOptionInput,
    ShippingOptionSaved,
)
from contracts.money import PositiveMoney, UnitPrice, VatRate
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.problems import problem_responses
from gateway.entrypoints.profile_bodies import Body

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


class ProductBody(Body):
    """A price-list entry; the SKU is the path's."""

    names: NamesBody
    unit_net: UnitPrice = Field(description="The shop's net selling price per unit.")
    wholesale_unit_cost: UnitPrice = Field(
        description="What the print provider charges the partner per unit (provider revenue)."
    )
    vat_rate: VatRate
    production_options: list[ProductionOptionBody] = Field(
        min_length=1, max_length=20, description="The first is the default."
    )
    min_quantity: int = Field(default=1, ge=1)
    max_quantity: int = Field(default=100_000, ge=1, le=10_000_000)
    active: bool = Field(default=True, description="Inactive products cannot be added to carts.")

    @field_validator("production_options")
    @classmethod
    def unique_codes(cls, value: list[ProductionOptionBody]) -> list[ProductionOptionBody]:
        codes = [o.code for o in value]
        if len(set(codes)) != len(codes):
            raise ValueError("option codes must be unique")
        return value

    def to_contract(self, sku: str) -> ProductInput:
        return ProductInput.model_validate({"sku": sku, **self.model_dump()})


class ShippingOptionBody(Body):
    """A shipping option; the code is the path's. Shipping is never discounted."""

    names: NamesBody
    net: PositiveMoney
    vat_rate: VatRate
    active: bool = True

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
