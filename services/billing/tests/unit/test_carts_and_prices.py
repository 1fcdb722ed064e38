"""Who may see a cart, and what the vouchers service is asked, without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from billing.domain.cart_lines import Line
from billing.domain.carts import StoredCart, normalised_code, owner_after_change, visible_to
from billing.domain.price_inputs import cart_line, price_line, shipping_input
from contracts.billing import Names, Product, ProductionOption, ShippingOption

NOW = datetime(2026, 1, 1, tzinfo=UTC)
POSTER = Product(
    sku="POSTER",
    names=Names(en="Poster", de="Plakat"),
    unit_net=Decimal("2.5000"),
    wholesale_unit_cost=Decimal("1.0000"),
    vat_rate=Decimal("7.00"),
    production_options=[
        ProductionOption(code="standard", names=Names(fr="Standard")),
        ProductionOption(
            code="express",
            names=Names(en="Express", fr="Express (FR)"),
            surcharge_unit_net=Decimal("0.5"),
        ),
    ],
    updated_at=NOW,
)


def cart(customer_id: UUID | None = None) -> StoredCart:
    return StoredCart(uuid4(), uuid4(), customer_id, "open", "en", None, None, NOW, NOW)


def test_a_visitor_cart_is_anyones_by_id_and_a_customers_only_theirs() -> None:
    owner, other = uuid4(), uuid4()

    assert visible_to(cart(), None)
    assert visible_to(cart(), other)
    assert visible_to(cart(owner), owner)
    assert not visible_to(cart(owner), other)
    assert not visible_to(cart(owner), None)


def test_a_change_by_a_customer_takes_a_visitor_cart_over_but_never_a_customers() -> None:
    owner, caller = uuid4(), uuid4()

    assert owner_after_change(cart(), caller) == caller
    assert owner_after_change(cart(), None) is None
    assert owner_after_change(cart(owner), owner) == owner


def test_codes_are_kept_upper_case_and_trimmed() -> None:
    assert normalised_code("  spring-10 ") == "SPRING-10"


def test_a_price_line_carries_names_in_the_language_and_the_options_surcharge() -> None:
    line = Line(uuid4(), "POSTER", 3, "express", 0)

    french = price_line(line, POSTER, "fr", "de")
    german = price_line(line, POSTER, "de", "fr")

    assert (french.name, french.production_option_name) == ("Plakat", "Express (FR)")
    assert (german.name, german.production_option_name) == ("Plakat", "Express (FR)")
    assert (french.unit_net, french.surcharge_unit_net, french.vat_rate) == (
        Decimal("2.5000"),
        Decimal("0.5"),
        Decimal("7.00"),
    )


def test_an_option_no_longer_offered_is_priced_as_the_default() -> None:
    line = Line(uuid4(), "POSTER", 3, "overnight", 0)

    priced = price_line(line, POSTER, "en", "en")

    assert (priced.production_option, priced.surcharge_unit_net) == ("standard", Decimal("0"))
    assert cart_line(line, POSTER, "en", "en").production_option == "standard"


def test_shipping_names_fall_back_to_the_shop_language() -> None:
    option = ShippingOption(
        code="post",
        names=Names(fr="Colissimo"),
        net=Decimal("4.90"),
        vat_rate=Decimal("20.00"),
        updated_at=NOW,
    )

    shipping = shipping_input(option, "de", "fr")

    assert (shipping.code, shipping.name, shipping.net) == ("post", "Colissimo", Decimal("4.90"))
