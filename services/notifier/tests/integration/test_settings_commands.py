"""Brand and partner-copy commands against a real database, answered as the runtime answers them."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.notifier import (
    ConfigurePartnerCopies,
    ConfigureShopBrand,
    GetPartnerCopies,
    GetShopBrand,
    PartnerCopySettings,
    ShopBrandSettings,
)
from notifier.handlers.shop_opened import record_brand
from service_runtime.database import UnitOfWork

pytestmark = pytest.mark.database

Handle = Callable[..., Awaitable[None]]
Answer = Callable[..., Awaitable[dict[str, Any]]]

BRAND = ShopBrandSettings(
    brand_name="Atelier Lumière",
    sender_name="Atelier Lumière, Service client",
    sender_email="service@atelier-lumiere.example",
    reply_to="aide@atelier-lumiere.example",
    logo_url="https://cdn.atelier-lumiere.example/logo.png",
    primary_color="#7c2d12",
    accent_color="#0f766e",
    legal_notice="Atelier Lumière SARL, 12 rue des Lilas, 75011 Paris",
    storefront_url="https://www.atelier-lumiere.example",
)


async def test_a_new_shop_has_the_brand_of_its_opening(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened(storefront_url="https://atelier.example")
    await handle(shop)

    reply = await command(GetShopBrand(shop_id=shop.shop_id))

    assert reply["ok"], reply
    assert reply["result"] == {
        "brand_name": shop.brand_name,
        "sender_name": shop.brand_name,
        "sender_email": shop.sender_email,
        "reply_to": None,
        "logo_url": None,
        "primary_color": "#1f2937",
        "accent_color": "#2563eb",
        "legal_notice": "",
        "storefront_url": "https://atelier.example",
    }


async def test_configure_replaces_the_brand_and_get_reads_it(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)

    configured = await command(ConfigureShopBrand(shop_id=shop.shop_id, brand=BRAND))
    read = await command(GetShopBrand(shop_id=shop.shop_id))

    assert configured["ok"], configured
    assert configured["result"] == BRAND.model_dump(mode="json")
    assert read["result"] == BRAND.model_dump(mode="json")


async def test_a_refused_brand_names_each_bad_field_and_changes_nothing(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    bad = BRAND.model_copy(
        update={"sender_email": "nope", "reply_to": "x@", "logo_url": "data:image/png;base64,AA"}
    )

    reply = await command(ConfigureShopBrand(shop_id=shop.shop_id, brand=bad))
    after = await command(GetShopBrand(shop_id=shop.shop_id))

    assert not reply["ok"]
    error = reply["error"]
    assert (error["code"], error["status"]) == ("validation_failed", 422)
    assert {f["field"] for f in error["fields"]} == {"sender_email", "reply_to", "logo_url"}
    assert after["result"]["sender_email"] == shop.sender_email


async def test_shop_opened_redelivered_after_configure_keeps_the_partner_brand(
    handle: Handle,
    command: Answer,
    sessions: async_sessionmaker[AsyncSession],
    shop_opened: Any,
) -> None:
    shop = shop_opened()
    await handle(shop)
    # The command may carry a clock a little behind the event's: the brand still wins.
    configure = ConfigureShopBrand(
        shop_id=shop.shop_id, brand=BRAND, occurred_at=shop.occurred_at - timedelta(seconds=5)
    )
    assert (await command(configure))["ok"]

    republished = shop.model_copy(update={"message_id": uuid4()})
    await handle(republished)
    async with UnitOfWork(sessions) as uow:  # the very same delivery again, past the inbox
        await record_brand(shop, uow)
        await uow.commit()

    after = await command(GetShopBrand(shop_id=shop.shop_id))
    assert after["result"] == BRAND.model_dump(mode="json")


async def test_partner_copies_start_with_the_sender_and_no_copies(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)

    reply = await command(GetPartnerCopies(shop_id=shop.shop_id))

    assert reply["result"] == {"addresses": [shop.sender_email], "kinds": []}


async def test_configure_partner_copies_normalises_and_survives_shop_opened_again(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    settings = PartnerCopySettings(
        addresses=["Owner@Atelier.example", "owner@atelier.example", "shop@atelier.example"],
        kinds=["registration", "invoice"],
    )

    configured = await command(ConfigurePartnerCopies(shop_id=shop.shop_id, settings=settings))
    await handle(shop.model_copy(update={"message_id": uuid4()}))
    read = await command(GetPartnerCopies(shop_id=shop.shop_id))

    expected = {
        "addresses": ["owner@atelier.example", "shop@atelier.example"],
        "kinds": ["registration", "invoice"],
    }
    assert configured["result"] == expected
    assert read["result"] == expected


async def test_refused_partner_copies_name_the_address(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    settings = PartnerCopySettings(addresses=["ok@atelier.example", "not an email"], kinds=[])

    reply = await command(ConfigurePartnerCopies(shop_id=shop.shop_id, settings=settings))

    assert reply["error"]["code"] == "validation_failed"
    assert [f["field"] for f in reply["error"]["fields"]] == ["addresses.1"]


@pytest.mark.parametrize(
    "build",
    [
        lambda shop_id: GetShopBrand(shop_id=shop_id),
        lambda shop_id: ConfigureShopBrand(shop_id=shop_id, brand=BRAND),
        lambda shop_id: GetPartnerCopies(shop_id=shop_id),
        lambda shop_id: ConfigurePartnerCopies(
            shop_id=shop_id, settings=PartnerCopySettings(addresses=["a@b.example"])
        ),
    ],
)
async def test_a_shop_not_known_yet_answers_not_ready(command: Answer, build: Any) -> None:
    reply = await command(build(uuid4()))

    assert not reply["ok"]
    assert (reply["error"]["code"], reply["error"]["status"]) == ("shop_not_ready", 503)
    assert reply["error"]["retry_after"] == 1
