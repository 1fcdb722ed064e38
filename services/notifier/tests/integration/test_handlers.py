"""Handlers against a real database: the right queued emails per event, brands kept up to date."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from notifier.adapters.shop_settings import ShopNotKnownYet
from notifier.adapters.tables import messages, partner_copy_settings, shop_brands
from notifier.handlers.customer_deleted import queue_account_deleted
from notifier.handlers.customer_registered import queue_registration_copy
from notifier.handlers.shop_opened import record_brand
from notifier.handlers.verification_code_issued import queue_verification_code
from service_runtime.database import UnitOfWork

pytestmark = pytest.mark.database

Handle = Callable[..., Awaitable[None]]
PARTNER = ["owner@atelier.example", "shop@atelier.example"]


async def rows_for(engine: AsyncEngine, source_message_id: UUID) -> list[Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            select(messages)
            .where(messages.c.source_message_id == source_message_id)
            .order_by(messages.c.recipient)
        )
        return list(result)


async def set_partner(
    engine: AsyncEngine, shop_id: UUID, addresses: list[str], kinds: list[str]
) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(partner_copy_settings)
            .where(partner_copy_settings.c.shop_id == shop_id)
            .values(addresses=addresses, kinds=kinds)
        )


async def test_code_issued_queues_one_message_even_when_handled_twice(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, code_issued: Any
) -> None:
    event = code_issued(uuid4(), language="de")

    for _ in range(2):
        async with UnitOfWork(sessions) as uow:
            await queue_verification_code(event, uow)
            await uow.commit()

    (row,) = await rows_for(engine, event.message_id)
    assert (row.status, row.attempts, row.kind) == ("queued", 0, "verification_code")
    assert (row.shop_id, row.recipient, row.language) == (event.shop_id, event.email, "de")
    assert row.context == {
        "first_name": "Ada",
        "code": event.code,
        "expires_at": event.expires_at.isoformat(),
    }


async def test_redelivered_event_through_the_dispatcher_queues_nothing_more(
    handle: Handle, engine: AsyncEngine, code_issued: Any
) -> None:
    event = code_issued(uuid4())

    await handle(event, event)

    assert len(await rows_for(engine, event.message_id)) == 1


async def test_shop_opened_keeps_the_newest_brand(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, shop_opened: Any
) -> None:
    opened = shop_opened()
    renamed = opened.model_copy(
        update={
            "message_id": uuid4(),
            "brand_name": "Atelier Neuf",
            "occurred_at": opened.occurred_at + timedelta(minutes=1),
        }
    )
    stale = opened.model_copy(
        update={
            "message_id": uuid4(),
            "brand_name": "Atelier Ancien",
            "occurred_at": opened.occurred_at - timedelta(hours=1),
        }
    )

    for event in (opened, renamed, stale):
        async with UnitOfWork(sessions) as uow:
            await record_brand(event, uow)
            await uow.commit()

    async with engine.connect() as conn:
        brand = (
            await conn.execute(select(shop_brands).where(shop_brands.c.shop_id == opened.shop_id))
        ).one()
        count = await conn.scalar(
            select(func.count()).where(shop_brands.c.shop_id == opened.shop_id)
        )
    assert count == 1
    assert (brand.brand_name, brand.sender_name) == ("Atelier Neuf", "Atelier Neuf")
    assert (brand.sender_email, brand.default_language, brand.timezone) == (
        opened.sender_email,
        "fr",
        "Europe/Paris",
    )


async def test_shop_opened_starts_the_brand_and_partner_settings(
    handle: Handle, engine: AsyncEngine, shop_opened: Any
) -> None:
    opened = shop_opened(
        sender_email="Bonjour@Atelier.example", storefront_url="https://atelier.example/shop/"
    )

    await handle(opened)

    async with engine.connect() as conn:
        brand = (
            await conn.execute(select(shop_brands).where(shop_brands.c.shop_id == opened.shop_id))
        ).one()
        partner = (
            await conn.execute(
                select(partner_copy_settings).where(
                    partner_copy_settings.c.shop_id == opened.shop_id
                )
            )
        ).one()
    assert brand.sender_name == opened.brand_name
    assert brand.storefront_url == "https://atelier.example/shop"
    assert (brand.reply_to, brand.logo_url, brand.legal_notice) == (None, None, "")
    assert (brand.primary_color, brand.accent_color) == ("#1f2937", "#2563eb")
    assert (partner.addresses, partner.kinds) == (["bonjour@atelier.example"], [])


@pytest.mark.parametrize(
    ("storefront_url", "expected_base"),
    [("https://www.atelier.example", "https://www.atelier.example"), (None, None)],
)
async def test_invitation_links_to_the_storefront_or_the_platform_route(
    handle: Handle,
    engine: AsyncEngine,
    shop_opened: Any,
    invited: Any,
    storefront_url: str | None,
    expected_base: str | None,
) -> None:
    shop = shop_opened(storefront_url=storefront_url)
    event = invited(shop.shop_id, language="fr", token="abc+/=&def")

    await handle(shop, event)

    (row,) = await rows_for(engine, event.message_id)
    base = expected_base or f"http://127.0.0.1:8100/shops/{shop.shop_id}"
    assert (row.kind, row.recipient, row.language) == ("invitation", event.email, "fr")
    assert row.context == {
        "first_name": "Ada",
        "link": f"{base}/invitation?token=abc%2B%2F%3D%26def",
        "expires_at": event.expires_at.isoformat(),
    }


async def test_invitation_of_a_shop_not_known_yet_uses_the_platform_route(
    handle: Handle, engine: AsyncEngine, invited: Any
) -> None:
    event = invited(uuid4())

    await handle(event)

    (row,) = await rows_for(engine, event.message_id)
    assert row.context["link"].startswith(f"http://127.0.0.1:8100/shops/{event.shop_id}/")


async def test_password_reset_queues_its_link(
    handle: Handle, engine: AsyncEngine, shop_opened: Any, reset_requested: Any
) -> None:
    shop = shop_opened(storefront_url="https://atelier.example")
    event = reset_requested(shop.shop_id, language="de")

    await handle(shop, event, event)

    (row,) = await rows_for(engine, event.message_id)
    assert (row.kind, row.recipient, row.language) == ("password_reset", event.email, "de")
    assert row.context["link"].startswith("https://atelier.example/password-reset?token=tok_")
    assert "token" not in row.context, "the token travels only inside the link"


async def test_email_change_code_goes_to_the_new_address(
    handle: Handle, engine: AsyncEngine, email_change_issued: Any
) -> None:
    event = email_change_issued(uuid4())

    await handle(event)

    (row,) = await rows_for(engine, event.message_id)
    assert (row.kind, row.recipient) == ("email_change_code", event.new_email)
    assert row.context["code"] == event.code
    assert row.context["new_email"] == event.new_email


async def test_welcome_is_queued_with_the_shop_link(
    handle: Handle, engine: AsyncEngine, shop_opened: Any, activated: Any
) -> None:
    shop = shop_opened(storefront_url="https://atelier.example")
    event = activated(shop.shop_id, language="de")

    await handle(shop, event)

    (row,) = await rows_for(engine, event.message_id)
    assert (row.kind, row.recipient, row.language) == ("welcome", event.email, "de")
    assert row.context == {
        "first_name": "Ada",
        "shop_url": "https://atelier.example",
        "email": event.email,
    }


async def test_self_deletion_emails_every_partner_address_once_in_the_shop_language(
    handle: Handle,
    sessions: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    shop_opened: Any,
    deleted: Any,
) -> None:
    shop = shop_opened(default_language="de")
    await handle(shop)
    await set_partner(engine, shop.shop_id, PARTNER, [])
    event = deleted(shop.shop_id, comment="  Zu teuer.  ")

    await handle(event)
    async with UnitOfWork(sessions) as uow:  # past the inbox: the message key alone holds
        await queue_account_deleted(event, uow)
        await uow.commit()

    rows = await rows_for(engine, event.message_id)
    assert [row.recipient for row in rows] == PARTNER
    for row in rows:
        assert (row.kind, row.language, row.status) == ("account_deleted", "de", "queued")
        assert row.context == {
            "customer_number": 17,
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": event.email,
            "comment": "Zu teuer.",
            "deleted_at": event.deleted_at.isoformat(),
        }


async def test_deletion_without_comment_says_so_later(
    handle: Handle, engine: AsyncEngine, shop_opened: Any, deleted: Any
) -> None:
    shop = shop_opened()
    event = deleted(shop.shop_id, comment="   ")

    await handle(shop, event)

    (row,) = await rows_for(engine, event.message_id)
    assert row.recipient == shop.sender_email
    assert row.context["comment"] is None


async def test_deletion_by_the_partner_sends_nothing(
    handle: Handle, engine: AsyncEngine, shop_opened: Any, deleted: Any
) -> None:
    shop = shop_opened()
    event = deleted(shop.shop_id, deleted_by="partner", comment=None)

    await handle(shop, event)

    assert await rows_for(engine, event.message_id) == []


async def test_registration_copy_only_when_the_partner_switched_it_on(
    handle: Handle, engine: AsyncEngine, shop_opened: Any, registered: Any
) -> None:
    shop = shop_opened(default_language="fr")
    await handle(shop)
    await set_partner(engine, shop.shop_id, PARTNER, ["invoice"])
    before = registered(shop.shop_id)

    await handle(before)
    await set_partner(engine, shop.shop_id, PARTNER, ["invoice", "registration"])
    after = registered(shop.shop_id, source="shared_login", company=None)
    await handle(after, after)

    assert await rows_for(engine, before.message_id) == []
    rows = await rows_for(engine, after.message_id)
    assert [row.recipient for row in rows] == PARTNER
    for row in rows:
        assert (row.kind, row.language) == ("registration_copy", "fr")
        assert row.context == {
            "customer_number": 5,
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": after.email,
            "company": None,
            "customer_language": "de",
            "registered_at": after.registered_at.isoformat(),
        }


@pytest.mark.parametrize("source", ["partner", "import"])
async def test_no_registration_copy_for_customers_the_partner_created_or_imported(
    handle: Handle, engine: AsyncEngine, shop_opened: Any, registered: Any, source: str
) -> None:
    shop = shop_opened()
    await handle(shop)
    await set_partner(engine, shop.shop_id, PARTNER, ["registration"])
    event = registered(shop.shop_id, source=source)

    await handle(event)

    assert await rows_for(engine, event.message_id) == []


async def test_partner_emails_of_an_unknown_shop_fail_so_the_event_comes_back(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, deleted: Any, registered: Any
) -> None:
    shop_id = uuid4()

    for handler, event in (
        (queue_account_deleted, deleted(shop_id)),
        (queue_registration_copy, registered(shop_id)),
    ):
        async with UnitOfWork(sessions) as uow:
            with pytest.raises(ShopNotKnownYet):
                await handler(event, uow)
        assert await rows_for(engine, event.message_id) == []
