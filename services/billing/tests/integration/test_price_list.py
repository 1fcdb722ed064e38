"""The partner's price list against PostgreSQL: upsert, get, list, shipping, cart settings."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from contracts.billing import (
    CartSettings,
    ConfigureCarts,
    GetCartSettings,
    GetProduct,
    ListProducts,
    Names,
    PriceList,
    Product,
    ProductSaved,
    PutProduct,
    PutShippingOption,
    ShippingOptionInput,
    ShippingOptionSaved,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import (
    fields_of,
    ok,
    open_shop,
    product_input,
    put_product,
    put_shipping,
    refused,
)

pytestmark = pytest.mark.database


async def test_put_product_creates_then_replaces_by_exact_sku(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)

    first = await ok(
        runtime, PutProduct(shop_id=shop_id, product=product_input("FLY-A5")), ProductSaved
    )
    again = await ok(
        runtime,
        PutProduct(shop_id=shop_id, product=product_input("FLY-A5", unit_net=Decimal("0.0500"))),
        ProductSaved,
    )
    lower = await ok(
        runtime, PutProduct(shop_id=shop_id, product=product_input("fly-a5")), ProductSaved
    )

    assert (first.created, again.created, lower.created) == (True, False, True)
    stored = await ok(runtime, GetProduct(shop_id=shop_id, sku="FLY-A5"), Product)
    assert stored.unit_net == Decimal("0.0500")
    assert [o.code for o in stored.production_options] == ["standard", "express"]
    assert stored.production_options[1].surcharge_unit_net == Decimal("0.0100")
    assert stored.names.fr == "Flyer A5 (FR)"
    assert stored.updated_at >= first.product.updated_at
    assert (
        await ok(runtime, GetProduct(shop_id=shop_id, sku="fly-a5"), Product)
    ).unit_net == Decimal("0.0450")


async def test_min_above_max_is_refused_on_max_quantity(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)

    error = await refused(
        runtime,
        PutProduct(shop_id=shop_id, product=product_input(min_quantity=500, max_quantity=100)),
    )

    assert (error.status, error.code) == (422, "validation_failed")
    assert "500" in fields_of(error)["max_quantity"]


async def test_unknown_product_and_another_shops_product_are_404(runtime: ServiceRuntime) -> None:
    shop_id, other_shop = await open_shop(runtime), await open_shop(runtime)
    await put_product(runtime, other_shop, "POSTER-A2")

    for sku in ("NOPE", "POSTER-A2"):
        error = await refused(runtime, GetProduct(shop_id=shop_id, sku=sku))
        assert (error.status, error.code) == (404, "product_not_found")


async def test_list_is_in_sku_and_code_order_and_hides_inactive_on_request(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    for sku in ("b-2", "B-1", "a-3"):
        await put_product(runtime, shop_id, sku)
    await put_product(runtime, shop_id, "OLD", active=False)
    await put_shipping(runtime, shop_id, "standard-post")
    await put_shipping(runtime, shop_id, "express", net=Decimal("12.00"))
    await put_shipping(runtime, shop_id, "courier", active=False)
    await put_product(runtime, await open_shop(runtime), "OTHER-SHOP")

    everything = await ok(runtime, ListProducts(shop_id=shop_id), PriceList)
    storefront = await ok(runtime, ListProducts(shop_id=shop_id, include_inactive=False), PriceList)

    assert everything.currency == "EUR"
    assert [p.sku for p in everything.products] == ["B-1", "OLD", "a-3", "b-2"]
    assert [s.code for s in everything.shipping_options] == ["courier", "express", "standard-post"]
    assert [p.sku for p in storefront.products] == ["B-1", "a-3", "b-2"]
    assert [s.code for s in storefront.shipping_options] == ["express", "standard-post"]


async def test_shipping_option_upsert(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)
    option = ShippingOptionInput(
        code="standard-post", names=Names(en="Post"), net=Decimal("4.90"), vat_rate=Decimal("20.00")
    )

    first = await ok(
        runtime, PutShippingOption(shop_id=shop_id, option=option), ShippingOptionSaved
    )
    second = await ok(
        runtime,
        PutShippingOption(
            shop_id=shop_id, option=option.model_copy(update={"net": Decimal("5.50")})
        ),
        ShippingOptionSaved,
    )

    assert (first.created, second.created) == (True, False)
    assert second.option.net == Decimal("5.50")


async def test_cart_settings_default_to_24_hours_and_can_change(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)

    before = await ok(runtime, GetCartSettings(shop_id=shop_id), CartSettings)
    changed = await ok(
        runtime,
        ConfigureCarts(shop_id=shop_id, settings=CartSettings(abandon_after_hours=6)),
        CartSettings,
    )
    after = await ok(runtime, GetCartSettings(shop_id=shop_id), CartSettings)

    assert (before.abandon_after_hours, changed.abandon_after_hours) == (24, 6)
    assert after.abandon_after_hours == 6


async def test_a_shop_not_opened_here_yet_answers_503_with_retry(runtime: ServiceRuntime) -> None:
    unknown = uuid4()
    commands = [
        PutProduct(shop_id=unknown, product=product_input()),
        GetProduct(shop_id=unknown, sku="FLY-A5"),
        ListProducts(shop_id=unknown),
        PutShippingOption(
            shop_id=unknown,
            option=ShippingOptionInput(
                code="post", names=Names(en="Post"), net=Decimal("1.00"), vat_rate=Decimal("20.00")
            ),
        ),
        ConfigureCarts(shop_id=unknown, settings=CartSettings()),
        GetCartSettings(shop_id=unknown),
    ]

    for command in commands:
        error = await refused(runtime, command)
        assert (error.status, error.code, error.retry_after) == (503, "shop_not_ready", 1), command
