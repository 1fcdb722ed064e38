"""Storefront API: price quotes and carts for visitors and logged-in customers (V1, V4, B1).

The customer token is optional: without one the caller is a visitor (Visitor group prices, a
cart reached by its id alone); with one, the customer's own prices and carts. Every command
carries the path's shop, the session's customer (or None) and the language asked for.
Prices never come in: a body names products, quantities and options only.
"""

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import Field, field_validator, model_validator

from contracts.base import CommandError
from contracts.billing import (
    AddCartLine,
    ApplyVoucherCode,
    Cart,
    ChangeCartLine,
    ChooseShipping,
    CreateCart,
    GetCart,
    ItemRequest,
    PriceQuote,
    QuotePrices,
    RemoveCartLine,
    RemoveVoucherCode,
)
from contracts.gateway import Language
from gateway.entrypoints.deps import CorrelationId, OptionalCustomer, RpcDep, StorefrontShop
from gateway.entrypoints.problems import problem_responses
from gateway.entrypoints.profile_bodies import Body
from gateway.entrypoints.relayed import relayed
from service_runtime.rpc_client import RpcRefused

router = APIRouter(prefix="/storefront/v1/shops/{shop_id}", tags=["storefront"])

MAX_QUANTITY = 10_000_000
MAX_ITEMS = 200


@dataclass(frozen=True)
class Caller:
    """Who asks: the shop of the path and the logged-in customer, None for a visitor."""

    shop_id: UUID
    customer_id: UUID | None
    correlation_id: UUID

    def fields(self) -> dict[str, Any]:
        return {
            "shop_id": self.shop_id,
            "customer_id": self.customer_id,
            "correlation_id": self.correlation_id,
        }


async def caller(
    shop_id: StorefrontShop, customer: OptionalCustomer, correlation: CorrelationId
) -> Caller:
    return Caller(shop_id, customer.customer_id if customer else None, correlation)


CallerDep = Annotated[Caller, Depends(caller)]
LanguageQuery = Annotated[
    Language | None, Query(description="Names in this language (default: the cart's).")
]


class Item(Body):
    """A product of the price list by SKU, how many, and the production time."""

    sku: str = Field(min_length=1, max_length=64, examples=["FLY-A5"])
    quantity: int = Field(ge=1, le=MAX_QUANTITY, examples=[500])
    production_option: str | None = Field(
        default=None, max_length=40, description="null: the product's first (default) option."
    )

    def to_contract(self) -> ItemRequest:
        return ItemRequest(**self.model_dump())


class QuoteRequest(Body):
    items: list[Item] = Field(min_length=1, max_length=MAX_ITEMS)
    language: Language | None = Field(default=None, description="Names in this language.")


class NewCart(Body):
    items: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)
    language: Language | None = Field(
        default=None, description="The cart's language (default: the shop's)."
    )


class LineChange(Body):
    """A new quantity, a new production time, or both."""

    quantity: int | None = Field(default=None, ge=1, le=MAX_QUANTITY)
    production_option: str | None = Field(default=None, min_length=1, max_length=40)

    @field_validator("quantity", "production_option")
    @classmethod
    def not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null (leave the field out to keep it)")
        return value

    @model_validator(mode="after")
    def something_to_change(self) -> "LineChange":
        if not self.model_fields_set:
            raise ValueError("send quantity, production_option or both")
        return self


class ShippingChoice(Body):
    shipping_option: str | None = Field(
        max_length=40, description="A shipping option's code; null removes the choice."
    )


class VoucherCodeBody(Body):
    code: str = Field(min_length=1, max_length=60, examples=["SPRING-10"])

    @field_validator("code")
    @classmethod
    def without_spaces_around(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


def fields_named_as_sent(error: CommandError, prefix: str) -> CommandError:
    """Billing names an added line's fields 'item.sku'; this route's body names them 'sku'."""
    fields = [f.model_copy(update={"field": f.field.removeprefix(prefix)}) for f in error.fields]
    return error.model_copy(update={"fields": fields})


CART_ERRORS = problem_responses(401, 404, 409, 422, 503)


@router.post("/prices", response_model=PriceQuote, responses=problem_responses(401, 404, 422, 503))
async def quote_prices(body: QuoteRequest, who: CallerDep, rpc: RpcDep) -> Response:
    """Prices of products for this customer (discounts applied) or a visitor (Visitor group)."""
    return relayed(
        await rpc.call_json(
            QuotePrices(
                **who.fields(),
                language=body.language,
                items=[item.to_contract() for item in body.items],
            )
        )
    )


@router.post(
    "/carts", status_code=status.HTTP_201_CREATED, response_model=Cart, responses=CART_ERRORS
)
async def create_cart(who: CallerDep, rpc: RpcDep, body: NewCart | None = None) -> Response:
    """Open a cart, empty or with items; a logged-in customer's cart is theirs alone."""
    body = body or NewCart()
    cart = await rpc.call_json(
        CreateCart(
            **who.fields(),
            language=body.language,
            items=[item.to_contract() for item in body.items],
        )
    )
    location = f"/storefront/v1/shops/{who.shop_id}/carts/{cart['cart_id']}"
    return relayed(cart, status.HTTP_201_CREATED, headers={"Location": location})


@router.get("/carts/{cart_id}", response_model=Cart, responses=CART_ERRORS)
async def read_cart(
    cart_id: UUID, who: CallerDep, rpc: RpcDep, language: LanguageQuery = None
) -> Response:
    """The cart priced now (prices and vouchers may have changed since it was filled)."""
    return relayed(await rpc.call_json(GetCart(**who.fields(), cart_id=cart_id, language=language)))


@router.post("/carts/{cart_id}/lines", response_model=Cart, responses=CART_ERRORS)
async def add_line(
    cart_id: UUID, body: Item, who: CallerDep, rpc: RpcDep, language: LanguageQuery = None
) -> Response:
    """Add a product; the same product and option again adds to that line's quantity."""
    command = AddCartLine(
        **who.fields(), cart_id=cart_id, language=language, item=body.to_contract()
    )
    try:
        return relayed(await rpc.call_json(command))
    except RpcRefused as refusal:
        raise RpcRefused(fields_named_as_sent(refusal.error, "item.")) from refusal


@router.patch("/carts/{cart_id}/lines/{line_id}", response_model=Cart, responses=CART_ERRORS)
async def change_line(
    cart_id: UUID,
    line_id: UUID,
    body: LineChange,
    who: CallerDep,
    rpc: RpcDep,
    language: LanguageQuery = None,
) -> Response:
    """Change a line's quantity and/or production time."""
    return relayed(
        await rpc.call_json(
            ChangeCartLine(
                **who.fields(),
                cart_id=cart_id,
                language=language,
                line_id=line_id,
                quantity=body.quantity,
                production_option=body.production_option,
            )
        )
    )


@router.delete("/carts/{cart_id}/lines/{line_id}", response_model=Cart, responses=CART_ERRORS)
async def remove_line(
    cart_id: UUID, line_id: UUID, who: CallerDep, rpc: RpcDep, language: LanguageQuery = None
) -> Response:
    """Take a line out of the cart."""
    return relayed(
        await rpc.call_json(
            RemoveCartLine(**who.fields(), cart_id=cart_id, language=language, line_id=line_id)
        )
    )


@router.put("/carts/{cart_id}/shipping", response_model=Cart, responses=CART_ERRORS)
async def choose_shipping(
    cart_id: UUID,
    body: ShippingChoice,
    who: CallerDep,
    rpc: RpcDep,
    language: LanguageQuery = None,
) -> Response:
    """Choose how the order is shipped (never discounted), or remove the choice with null."""
    return relayed(
        await rpc.call_json(
            ChooseShipping(
                **who.fields(),
                cart_id=cart_id,
                language=language,
                shipping_option=body.shipping_option,
            )
        )
    )


@router.put("/carts/{cart_id}/voucher", response_model=Cart, responses=CART_ERRORS)
async def apply_voucher(
    cart_id: UUID,
    body: VoucherCodeBody,
    who: CallerDep,
    rpc: RpcDep,
    language: LanguageQuery = None,
) -> Response:
    """Put a voucher code on the cart. A code that cannot apply answers 422
    /problems/voucher_<reason> (unknown, not_yet_valid, expired, used_up, minimum_not_reached,
    not_for_this_customer, inactive) with the field 'code' and the reason in words."""
    return relayed(
        await rpc.call_json(
            ApplyVoucherCode(**who.fields(), cart_id=cart_id, language=language, code=body.code)
        )
    )


@router.delete("/carts/{cart_id}/voucher", response_model=Cart, responses=CART_ERRORS)
async def remove_voucher(
    cart_id: UUID, who: CallerDep, rpc: RpcDep, language: LanguageQuery = None
) -> Response:
    """Take the voucher code off the cart before purchase."""
    return relayed(
        await rpc.call_json(RemoveVoucherCode(**who.fields(), cart_id=cart_id, language=language))
    )
