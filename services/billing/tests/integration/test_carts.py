"""Storefront carts against PostgreSQL: lines, checks with their fields, access, ordered carts."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from contracts.billing import (
    AddCartLine,
    ApplyVoucherCode,
    Cart,
    ChangeCartLine,
    ChooseShipping,
    CreateCart,
    GetCart,
    ItemRequest,
    RemoveCartLine,
    RemoveVoucherCode,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import (
    FakePricer,
    cart_count,
    cart_row,
    fields_of,
    line_count,
    ok,
    open_shop,
    put_product,
    put_shipping,
    refused,
    set_cart,
)

pytestmark = pytest.mark.database


def item(sku: str = "FLY-A5", quantity: int = 500, option: str | None = None) -> ItemRequest:
    return ItemRequest(sku=sku, quantity=quantity, production_option=option)


async def new_cart(
    runtime: ServiceRuntime, shop_id: UUID, customer_id: UUID | None = None, *items: ItemRequest
) -> Cart:
    return await ok(
        runtime, CreateCart(shop_id=shop_id, customer_id=customer_id, items=list(items)), Cart
    )


async def add(
    runtime: ServiceRuntime,
    shop_id: UUID,
    cart: Cart,
    entry: ItemRequest,
    customer: UUID | None = None,
) -> Cart:
    command = AddCartLine(shop_id=shop_id, cart_id=cart.cart_id, customer_id=customer, item=entry)
    return await ok(runtime, command, Cart)


async def test_a_new_cart_is_priced_in_the_shop_language_with_default_options(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime, language="fr")
    await put_product(runtime, shop_id, "FLY-A5")
    await put_product(runtime, shop_id, "POSTER", unit_net=Decimal("2.5000"), min_quantity=1)
    customer = uuid4()
    command = CreateCart(
        shop_id=shop_id,
        customer_id=customer,
        items=[item("POSTER", 3, "express"), item("FLY-A5", 1000)],
    )

    cart = await ok(runtime, command, Cart)

    assert (cart.status, cart.language, cart.currency, cart.customer_id) == (
        "open",
        "fr",
        "EUR",
        customer,
    )
    assert [(line.sku, line.quantity, line.production_option) for line in cart.lines] == [
        ("POSTER", 3, "express"),
        ("FLY-A5", 1000, "standard"),
    ]
    assert [line.name for line in cart.lines] == ["Flyer A5 (FR)", "Flyer A5 (FR)"]
    asked = pricer.seen[-1]
    assert (asked.customer_id, asked.shop_id, asked.correlation_id) == (
        customer,
        shop_id,
        command.correlation_id,
    )
    assert asked.causation_id == command.message_id
    assert [(line.production_option_name, line.surcharge_unit_net) for line in asked.lines] == [
        ("Express", Decimal("0.0100")),  # no French name: the first one given
        ("Standard (FR)", Decimal("0")),
    ]
    # 3 x 2.50 + 3 x 0.01 = 7.53; 1000 x 0.045 = 45.00
    assert cart.pricing.net_total == Decimal("52.53")
    row = await cart_row(runtime, cart.cart_id)
    assert (row.line_count, row.net_total, row.gross_total) == (
        2,
        Decimal("52.53"),
        cart.pricing.gross_total,
    )


async def test_language_follows_the_caller_and_an_empty_cart_is_allowed(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime, language="en")
    await put_product(runtime, shop_id)

    cart = await ok(runtime, CreateCart(shop_id=shop_id, language="de"), Cart)
    added = await add(runtime, shop_id, cart, item())

    assert (cart.language, cart.lines, cart.pricing.net_total) == ("de", [], Decimal("0"))
    assert added.lines[0].name == "Flyer A5 (DE)"


async def test_adding_checks_sku_quantity_and_option_against_the_price_list(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id, "FLY-A5")
    await put_product(runtime, shop_id, "RETIRED", active=False)
    await put_product(runtime, await open_shop(runtime), "ELSEWHERE")
    cart = await new_cart(runtime, shop_id)

    async def problem(entry: ItemRequest) -> dict[str, str]:
        error = await refused(
            runtime, AddCartLine(shop_id=shop_id, cart_id=cart.cart_id, item=entry)
        )
        assert (error.status, error.code) == (422, "validation_failed")
        return fields_of(error)

    for sku in ("NOPE", "RETIRED", "ELSEWHERE", "fly-a5"):
        assert list(await problem(item(sku))) == ["item.sku"], sku
    too_few = await problem(item(quantity=99))
    too_many = await problem(item(quantity=10_001))
    option = await problem(item(option="overnight"))

    assert "between 100 and 10000" in too_few["item.quantity"]
    assert "between 100 and 10000" in too_many["item.quantity"]
    assert "standard, express" in option["item.production_option"]
    assert await line_count(runtime, cart.cart_id) == 0


async def test_the_same_sku_and_option_adds_to_one_line_within_bounds(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    cart = await new_cart(runtime, shop_id, None, item(quantity=4000))

    merged = await add(runtime, shop_id, cart, item(quantity=5000, option="standard"))
    express = await add(runtime, shop_id, cart, item(quantity=100, option="express"))
    error = await refused(
        runtime, AddCartLine(shop_id=shop_id, cart_id=cart.cart_id, item=item(quantity=2000))
    )

    assert [(line.quantity, line.production_option) for line in merged.lines] == [
        (9000, "standard")
    ]
    assert merged.lines[0].line_id == cart.lines[0].line_id
    assert [(line.quantity, line.production_option) for line in express.lines] == [
        (9000, "standard"),
        (100, "express"),
    ]
    reason = fields_of(error)["item.quantity"]
    for number in ("9000", "11000", "10000"):
        assert number in reason


async def test_a_cart_holds_at_most_200_lines(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)
    for n in range(101):
        await put_product(runtime, shop_id, f"SKU-{n:03}", min_quantity=1)
    items = [
        item(f"SKU-{n:03}", 1, option) for n in range(100) for option in ("standard", "express")
    ]
    cart = await new_cart(runtime, shop_id, None, *items)

    error = await refused(
        runtime, AddCartLine(shop_id=shop_id, cart_id=cart.cart_id, item=item("SKU-100", 1))
    )
    merged = await add(runtime, shop_id, cart, item("SKU-000", 1))

    assert len(cart.lines) == 200
    assert (error.status, error.code, list(fields_of(error))) == (422, "cart_full", ["item"])
    assert merged.lines[0].quantity == 2


async def test_create_cart_names_every_bad_item_and_keeps_nothing(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)

    error = await refused(
        runtime,
        CreateCart(
            shop_id=shop_id,
            items=[item("NOPE"), item(quantity=5), item(option="overnight"), item()],
        ),
    )

    assert error.status == 422
    assert sorted(fields_of(error)) == [
        "items.0.sku",
        "items.1.quantity",
        "items.2.production_option",
    ]
    assert await cart_count(runtime, shop_id) == 0


async def test_change_and_remove_lines(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id, "FLY-A5")
    await put_product(runtime, shop_id, "CARD", min_quantity=50, max_quantity=1000)
    cart = await new_cart(
        runtime,
        shop_id,
        None,
        item("FLY-A5", 500),
        item("CARD", 100),
        item("FLY-A5", 200, "express"),
    )
    flyers, cards, express = (line.line_id for line in cart.lines)

    def change(
        line_id: UUID, quantity: int | None = None, production_option: str | None = None
    ) -> ChangeCartLine:
        return ChangeCartLine(
            shop_id=shop_id,
            cart_id=cart.cart_id,
            line_id=line_id,
            quantity=quantity,
            production_option=production_option,
        )

    more = await ok(runtime, change(cards, quantity=300), Cart)
    faster = await ok(runtime, change(cards, production_option="express"), Cart)
    too_many = await refused(runtime, change(cards, quantity=1001))
    no_such_option = await refused(runtime, change(cards, production_option="overnight"))
    unknown = await refused(runtime, change(uuid4(), quantity=100))
    folded = await ok(runtime, change(express, production_option="standard"), Cart)
    removed = await ok(
        runtime, RemoveCartLine(shop_id=shop_id, cart_id=cart.cart_id, line_id=cards), Cart
    )
    gone = await refused(
        runtime, RemoveCartLine(shop_id=shop_id, cart_id=cart.cart_id, line_id=cards)
    )

    assert [(line.sku, line.quantity) for line in more.lines] == [
        ("FLY-A5", 500),
        ("CARD", 300),
        ("FLY-A5", 200),
    ]
    assert faster.lines[1].production_option == "express"
    assert "between 50 and 1000" in fields_of(too_many)["quantity"]
    assert "standard, express" in fields_of(no_such_option)["production_option"]
    assert (unknown.status, unknown.code) == (404, "cart_line_not_found")
    assert [(line.line_id, line.quantity, line.production_option) for line in folded.lines] == [
        (flyers, 700, "standard"),
        (cards, 300, "express"),
    ]
    assert [line.line_id for line in removed.lines] == [flyers]
    assert (gone.status, gone.code) == (404, "cart_line_not_found")
    assert await line_count(runtime, cart.cart_id) == 1


async def test_shipping_is_chosen_from_active_options_and_can_be_cleared(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime, language="fr")
    await put_product(runtime, shop_id)
    await put_shipping(runtime, shop_id, "standard-post")
    await put_shipping(runtime, shop_id, "courier", active=False)
    cart = await new_cart(runtime, shop_id, None, item())

    def choose(code: str | None) -> ChooseShipping:
        return ChooseShipping(shop_id=shop_id, cart_id=cart.cart_id, shipping_option=code)

    chosen = await ok(runtime, choose("standard-post"), Cart)
    inactive = await refused(runtime, choose("courier"))
    unknown = await refused(runtime, choose("teleport"))
    cleared = await ok(runtime, choose(None), Cart)

    assert chosen.shipping_option == "standard-post"
    assert chosen.pricing.shipping is not None
    assert chosen.pricing.shipping.name == "Colissimo"
    assert chosen.pricing.net_total == Decimal("22.50") + Decimal("4.90")
    for error in (inactive, unknown):
        assert (error.status, list(fields_of(error))) == (422, ["shipping_option"])
        assert "standard-post" in fields_of(error)["shipping_option"]
    assert (cleared.shipping_option, cleared.pricing.shipping) == (None, None)
    assert pricer.seen[-1].shipping is None


async def test_another_shops_cart_is_not_found(runtime: ServiceRuntime) -> None:
    shop_id, other_shop = await open_shop(runtime), await open_shop(runtime)
    await put_product(runtime, shop_id)
    await put_product(runtime, other_shop)
    cart = await new_cart(runtime, shop_id, None, item())

    for command in (
        GetCart(shop_id=other_shop, cart_id=cart.cart_id),
        AddCartLine(shop_id=other_shop, cart_id=cart.cart_id, item=item()),
        RemoveCartLine(shop_id=other_shop, cart_id=cart.cart_id, line_id=cart.lines[0].line_id),
    ):
        error = await refused(runtime, command)
        assert (error.status, error.code) == (404, "cart_not_found")
    assert await line_count(runtime, cart.cart_id) == 1


async def test_a_customers_cart_is_not_found_for_anyone_else(runtime: ServiceRuntime) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    owner, stranger = uuid4(), uuid4()
    cart = await new_cart(runtime, shop_id, owner, item())

    for caller in (stranger, None):
        for command in (
            GetCart(shop_id=shop_id, cart_id=cart.cart_id, customer_id=caller),
            AddCartLine(shop_id=shop_id, cart_id=cart.cart_id, customer_id=caller, item=item()),
            ApplyVoucherCode(shop_id=shop_id, cart_id=cart.cart_id, customer_id=caller, code="X"),
        ):
            error = await refused(runtime, command)
            assert (error.status, error.code) == (404, "cart_not_found"), (caller, command)
    mine = await ok(
        runtime, GetCart(shop_id=shop_id, cart_id=cart.cart_id, customer_id=owner), Cart
    )
    assert mine.lines == cart.lines


async def test_a_visitor_cart_is_taken_over_by_the_customer_who_changes_it(
    runtime: ServiceRuntime, pricer: FakePricer
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    customer = uuid4()
    cart = await new_cart(runtime, shop_id, None, item())

    seen = await ok(
        runtime, GetCart(shop_id=shop_id, cart_id=cart.cart_id, customer_id=customer), Cart
    )
    assert (seen.customer_id, (await cart_row(runtime, cart.cart_id)).customer_id) == (None, None)

    taken = await add(runtime, shop_id, cart, item(quantity=100), customer)

    assert taken.customer_id == customer
    assert pricer.seen[-1].customer_id == customer, "priced with the customer's discounts"
    assert (await cart_row(runtime, cart.cart_id)).customer_id == customer
    visitor = await refused(runtime, GetCart(shop_id=shop_id, cart_id=cart.cart_id))
    assert visitor.code == "cart_not_found"


async def test_an_ordered_cart_refuses_every_change_but_can_be_read(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    await put_shipping(runtime, shop_id)
    cart = await new_cart(runtime, shop_id, None, item())
    await set_cart(runtime, cart.cart_id, status="ordered")
    ids = {"shop_id": shop_id, "cart_id": cart.cart_id}
    line = cart.lines[0].line_id

    for command in (
        AddCartLine(**ids, item=item()),
        ChangeCartLine(**ids, line_id=line, quantity=200),
        RemoveCartLine(**ids, line_id=line),
        ChooseShipping(**ids, shipping_option="standard-post"),
        ApplyVoucherCode(**ids, code="SPRING"),
        RemoveVoucherCode(**ids),
    ):
        error = await refused(runtime, command)
        assert (error.status, error.code) == (409, "cart_ordered"), command
    read = await ok(runtime, GetCart(**ids), Cart)
    assert read.status == "ordered"
