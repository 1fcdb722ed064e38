"""Order events on a real database: who gets which email, in which language, exactly once (B2, B3, N3, N4)."""

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.billing.events import OrderPlaced
from notifier.adapters.tables import messages, partner_copy_settings

sys.path.insert(0, str(Path(__file__).parents[1]))
from billing_event_samples import guest_order, order_placed, status_changed

pytestmark = pytest.mark.database

Handle = Callable[..., Awaitable[None]]
PARTNER = ["desk@atelier.example", "owner@atelier.example"]


async def queued(engine: AsyncEngine, source_message_id: UUID) -> list[tuple[str, str, str]]:
    """(kind, recipient, language) of every message the event queued, sorted."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(messages.c.kind, messages.c.recipient, messages.c.language).where(
                messages.c.source_message_id == source_message_id
            )
        )
        return sorted((row.kind, row.recipient, row.language) for row in rows)


async def context_of(engine: AsyncEngine, source_message_id: UUID, kind: str) -> Any:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                select(messages.c.context).where(
                    messages.c.source_message_id == source_message_id, messages.c.kind == kind
                )
            )
        ).scalar()


async def open_shop(handle: Handle, engine: AsyncEngine, shop_opened: Any, kinds: list[str]) -> Any:
    """A French-speaking shop with two partner addresses and the given copy kinds."""
    shop = shop_opened(default_language="fr")
    await handle(shop)
    async with engine.begin() as conn:
        await conn.execute(
            update(partner_copy_settings)
            .where(partner_copy_settings.c.shop_id == shop.shop_id)
            .values(addresses=PARTNER, kinds=kinds)
        )
    return shop


def to_partner(kind: str) -> list[tuple[str, str, str]]:
    return [(kind, address, "fr") for address in PARTNER]


async def test_an_order_is_confirmed_copied_and_noticed_once_even_when_redelivered(
    handle: Handle, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, engine, shop_opened, ["order_confirmation"])
    placed = order_placed(shop.shop_id, language="de")
    email = placed.order.email
    assert email is not None

    await handle(placed, placed)

    assert await queued(engine, placed.message_id) == sorted(
        [
            ("order_confirmation", email, "de"),
            *to_partner("order_confirmation_copy"),
            *to_partner("order_notice"),
        ]
    )
    confirmation = await context_of(engine, placed.message_id, "order_confirmation")
    assert confirmation == await context_of(engine, placed.message_id, "order_confirmation_copy")
    assert confirmation["lines"] == [
        {"name": "Flyers A5", "option": "Express (2 days)", "quantity": 5000, "amount": "225.00"}
    ]
    assert confirmation["discounts"] == [
        {"name": "Your discount 10 %", "amount": "-22.50"},
        {"name": "Voucher SPRING-10", "amount": "-10.00"},
    ]
    assert (confirmation["net_total"], confirmation["gross_total"]) == ("1242.50", "1346.00")
    notice = await context_of(engine, placed.message_id, "order_notice")
    assert (notice["customer_number"], notice["guest"], notice["payment_method"]) == (
        4711,
        False,
        "invoice",
    )


async def test_without_confirmation_copies_the_partner_still_gets_the_notice(
    handle: Handle, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, engine, shop_opened, ["invoice", "order_status_change"])
    placed = order_placed(shop.shop_id)

    await handle(placed)

    assert await queued(engine, placed.message_id) == sorted(
        [("order_confirmation", placed.order.email or "", "en"), *to_partner("order_notice")]
    )


async def test_a_guest_is_confirmed_at_the_address_given_and_the_notice_says_guest(
    handle: Handle, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, engine, shop_opened, [])
    placed = OrderPlaced(shop_id=shop.shop_id, order=guest_order(language="fr"))

    await handle(placed)

    assert await queued(engine, placed.message_id) == sorted(
        [("order_confirmation", placed.order.email or "", "fr"), *to_partner("order_notice")]
    )
    confirmation = await context_of(engine, placed.message_id, "order_confirmation")
    assert (confirmation["guest"], confirmation["customer_number"]) == (True, None)
    assert confirmation["payment_method"] == "card"


async def test_an_order_without_an_address_reaches_only_the_partner(
    handle: Handle, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, engine, shop_opened, ["order_confirmation"])
    placed = order_placed(shop.shop_id, email=None)

    await handle(placed)

    assert await queued(engine, placed.message_id) == to_partner("order_notice")


async def test_data_rejected_goes_to_the_partner_only_even_with_status_copies_on(
    handle: Handle, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(
        handle, engine, shop_opened, ["order_confirmation", "order_status_change", "invoice"]
    )
    rejected = status_changed(
        shop.shop_id, "data_rejected", previous_status="data_received", note="Fonts missing"
    )

    await handle(rejected, rejected)

    rows = await queued(engine, rejected.message_id)
    assert rows == to_partner("data_rejected")
    assert all(recipient != rejected.email for _, recipient, _ in rows), "never the customer"
    context = await context_of(engine, rejected.message_id, "data_rejected")
    assert (context["note"], context["email"], context["order_number"]) == (
        "Fonts missing",
        rejected.email,
        1042,
    )


@pytest.mark.parametrize(
    ("status", "fields", "expected"),
    [
        ("shipped", {"tracking_number": "1Z999AA10123456784"}, {"tracking_number": "1Z999AA10123456784"}),
        ("cancelled", {"voucher_code": "SPRING-10"}, {"voucher_code": "SPRING-10"}),
        ("in_production", {}, {}),
    ],
)  # fmt: skip
async def test_customer_statuses_reach_the_customer_and_the_copy_once(
    handle: Handle,
    engine: AsyncEngine,
    shop_opened: Any,
    status: Any,
    fields: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    shop = await open_shop(handle, engine, shop_opened, ["order_status_change"])
    changed = status_changed(shop.shop_id, status, language="de", **fields)

    await handle(changed, changed)

    assert await queued(engine, changed.message_id) == sorted(
        [("order_status", changed.email or "", "de"), *to_partner("order_status_copy")]
    )
    context = await context_of(engine, changed.message_id, "order_status")
    assert context["status"] == status
    assert {key: context[key] for key in expected} == expected
    copy = await context_of(engine, changed.message_id, "order_status_copy")
    assert (copy["customer_email"], copy["customer_name"]) == (changed.email, "Ada Lovelace")


async def test_status_emails_without_copies_and_without_an_address(
    handle: Handle, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = await open_shop(handle, engine, shop_opened, [])
    shipped = status_changed(shop.shop_id, "shipped", tracking_number="1Z")
    pseudonymised = status_changed(shop.shop_id, "shipped", email=None)
    placed = status_changed(shop.shop_id, "placed")

    await handle(shipped, pseudonymised, placed)

    assert await queued(engine, shipped.message_id) == [("order_status", shipped.email or "", "en")]
    assert await queued(engine, pseudonymised.message_id) == []
    assert await queued(engine, placed.message_id) == []
