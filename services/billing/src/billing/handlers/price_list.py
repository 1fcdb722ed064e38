"""The partner's price list: products and shipping options, upserted by SKU or code."""

from __future__ import annotations

from datetime import UTC, datetime

from billing.adapters import price_list
from billing.handlers.refusals import invalid_input, known_shop, product_not_found
from contracts.base import FieldError
from contracts.billing import (
    GetProduct,
    ListProducts,
    PriceList,
    Product,
    ProductSaved,
    PutProduct,
    PutShippingOption,
    ShippingOptionSaved,
)
from service_runtime.database import UnitOfWork


async def put_product(command: PutProduct, uow: UnitOfWork) -> ProductSaved:
    product = command.product
    if product.min_quantity > product.max_quantity:
        raise invalid_input(
            [
                FieldError(
                    field="max_quantity",
                    reason=f"must be at least min_quantity ({product.min_quantity})",
                )
            ]
        )
    await known_shop(uow.session, command.shop_id)
    saved, created = await price_list.save_product(
        uow.session, command.shop_id, product, datetime.now(UTC)
    )
    return ProductSaved(product=saved, created=created)


async def get_product(command: GetProduct, uow: UnitOfWork) -> Product:
    product = await price_list.load_product(uow.session, command.shop_id, command.sku)
    if product is None:
        await known_shop(uow.session, command.shop_id)
        raise product_not_found()
    return product


async def list_products(command: ListProducts, uow: UnitOfWork) -> PriceList:
    shop = await known_shop(uow.session, command.shop_id)
    include = command.include_inactive
    return PriceList(
        currency=shop.currency,
        products=await price_list.list_products(
            uow.session, command.shop_id, include_inactive=include
        ),
        shipping_options=await price_list.list_shipping_options(
            uow.session, command.shop_id, include_inactive=include
        ),
    )


async def put_shipping_option(command: PutShippingOption, uow: UnitOfWork) -> ShippingOptionSaved:
    await known_shop(uow.session, command.shop_id)
    saved, created = await price_list.save_shipping_option(
        uow.session, command.shop_id, command.option, datetime.now(UTC)
    )
    return ShippingOptionSaved(option=saved, created=created)
