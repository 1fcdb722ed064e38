"""System change reports (V6) against a real database: report addresses, and what each event queues."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts.notifier import (
    ConfigurePartnerCopies,
    ConfigureReportAddresses,
    GetPartnerCopies,
    GetReportAddresses,
    PartnerCopySettings,
    ReportAddresses,
)
from contracts.vouchers import CustomerDiscountChanged, VouchersActivated
from contracts.vouchers.shapes import VoucherTerms
from devtools.mailsink import MailSink, body
from notifier.adapters.mail_delivery import MailDelivery
from notifier.adapters.smtp_sender import SmtpSender
from notifier.adapters.tables import messages
from notifier.handlers.customer_discount_changed import queue_discount_report
from notifier.handlers.vouchers_activated import queue_vouchers_report
from service_runtime.database import UnitOfWork

pytestmark = pytest.mark.database

Handle = Callable[..., Awaitable[None]]
Answer = Callable[..., Awaitable[dict[str, Any]]]
REPORTS = ["audit@atelier.example", "owner@atelier.example"]
CHANGED_AT = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)


def discount_changed(shop_id: UUID, **fields: Any) -> CustomerDiscountChanged:
    values: dict[str, Any] = {
        "shop_id": shop_id,
        "customer_id": uuid4(),
        "customer_number": 42,
        "customer_name": "Grace Hopper",
        "customer_email": "grace@example.com",
        "discount_percent": Decimal("12.50"),
        "previous_percent": None,
        "special_condition": True,
        "revision": 1,
        "changed_by": "partner",
        "changed_at": CHANGED_AT,
    }
    return CustomerDiscountChanged(**(values | fields))


def vouchers_activated(shop_id: UUID, **fields: Any) -> VouchersActivated:
    values: dict[str, Any] = {
        "shop_id": shop_id,
        "how": "generated",
        "count": 500,
        "codes": [f"SPRING-{n:03d}" for n in range(100)],
        "terms": VoucherTerms(
            kind="fixed",
            value=Decimal("15.00"),
            min_order_value=Decimal("100.00"),
            valid_until=CHANGED_AT + timedelta(days=30),
            redemption_limit=1,
        ),
        "activated_at": CHANGED_AT,
    }
    return VouchersActivated(**(values | fields))


async def rows_for(engine: AsyncEngine, source_message_id: UUID) -> list[Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            select(messages)
            .where(messages.c.source_message_id == source_message_id)
            .order_by(messages.c.recipient)
        )
        return list(result)


def mail_to(address: str, subject_part: str) -> Callable[[EmailMessage], bool]:
    return lambda email: email["To"] == address and subject_part in email["Subject"]


async def configure(command: Answer, shop_id: UUID, addresses: list[str]) -> dict[str, Any]:
    return await command(
        ConfigureReportAddresses(shop_id=shop_id, settings=ReportAddresses(addresses=addresses))
    )


# -- the partner's report addresses ------------------------------------------------------


async def test_an_opened_shop_has_no_report_addresses_until_the_partner_names_some(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)

    reply = await command(GetReportAddresses(shop_id=shop.shop_id))

    assert reply == {"ok": True, "result": {"addresses": []}, "error": None}


async def test_configure_normalises_deduplicates_and_get_reads_it_back(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    raw = ["Audit@Atelier.example", " audit@atelier.example", "owner@ATELIER.example"]

    configured = await configure(command, shop.shop_id, raw)
    await handle(shop.model_copy(update={"message_id": uuid4()}))  # ShopOpened again
    read = await command(GetReportAddresses(shop_id=shop.shop_id))

    assert configured["result"] == {"addresses": REPORTS}
    assert read["result"] == {"addresses": REPORTS}


async def test_report_addresses_and_partner_copies_are_kept_apart(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    copies = PartnerCopySettings(addresses=["copies@atelier.example"], kinds=["invoice"])

    assert (await configure(command, shop.shop_id, REPORTS))["ok"]
    assert (await command(ConfigurePartnerCopies(shop_id=shop.shop_id, settings=copies)))["ok"]

    reports = await command(GetReportAddresses(shop_id=shop.shop_id))
    partner = await command(GetPartnerCopies(shop_id=shop.shop_id))
    assert reports["result"] == {"addresses": REPORTS}
    assert partner["result"] == copies.model_dump(mode="json")


async def test_an_empty_list_stops_reports(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    await configure(command, shop.shop_id, REPORTS)

    cleared = await configure(command, shop.shop_id, [])
    read = await command(GetReportAddresses(shop_id=shop.shop_id))

    assert cleared["result"] == {"addresses": []}
    assert read["result"] == {"addresses": []}


async def test_refused_addresses_name_each_entry_and_change_nothing(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    await configure(command, shop.shop_id, REPORTS)

    reply = await configure(command, shop.shop_id, ["ok@atelier.example", "not an email", "x@"])
    after = await command(GetReportAddresses(shop_id=shop.shop_id))

    assert not reply["ok"]
    error = reply["error"]
    assert (error["code"], error["status"]) == ("validation_failed", 422)
    assert [f["field"] for f in error["fields"]] == ["settings.addresses.1", "settings.addresses.2"]
    assert after["result"] == {"addresses": REPORTS}


@pytest.mark.parametrize(
    "build",
    [
        lambda shop_id: GetReportAddresses(shop_id=shop_id),
        lambda shop_id: ConfigureReportAddresses(
            shop_id=shop_id, settings=ReportAddresses(addresses=["a@b.example"])
        ),
    ],
)
async def test_a_shop_not_known_yet_answers_not_ready_like_for_partner_copies(
    command: Answer, build: Any
) -> None:
    shop_id = uuid4()
    reply = await command(build(shop_id))
    partner = await command(GetPartnerCopies(shop_id=shop_id))

    assert not reply["ok"]
    assert (reply["error"]["code"], reply["error"]["status"]) == ("shop_not_ready", 503)
    assert reply["error"]["retry_after"] == 1
    assert reply["error"] == partner["error"]


async def test_report_addresses_of_one_shop_are_not_another_shops(
    handle: Handle, command: Answer, shop_opened: Any
) -> None:
    mine, theirs = shop_opened(), shop_opened()
    await handle(mine, theirs)

    await configure(command, mine.shop_id, REPORTS)

    reply = await command(GetReportAddresses(shop_id=theirs.shop_id))
    assert reply["result"] == {"addresses": []}


# -- what each event queues --------------------------------------------------------------


async def test_a_discount_change_queues_one_report_per_address_in_the_shop_language_once(
    handle: Handle,
    command: Answer,
    sessions: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    shop_opened: Any,
) -> None:
    shop = shop_opened(default_language="de")
    await handle(shop)
    await configure(command, shop.shop_id, REPORTS)
    event = discount_changed(shop.shop_id)

    await handle(event, event)
    async with UnitOfWork(sessions) as uow:  # past the inbox: the message key alone holds
        await queue_discount_report(event, uow)
        await uow.commit()

    rows = await rows_for(engine, event.message_id)
    assert [row.recipient for row in rows] == REPORTS
    for row in rows:
        assert (row.kind, row.language, row.status) == ("system_change_report", "de", "queued")
        assert row.shop_id == shop.shop_id
        assert row.context == {
            "change": "customer_discount",
            "customer_number": 42,
            "customer_name": "Grace Hopper",
            "customer_email": "grace@example.com",
            "previous_percent": None,
            "discount_percent": "12.50",
            "special_condition": True,
            "changed_by": "partner",
            "changed_at": CHANGED_AT.isoformat(),
        }


async def test_activated_vouchers_queue_one_report_per_address_with_the_shop_currency_once(
    handle: Handle,
    command: Answer,
    sessions: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    shop_opened: Any,
) -> None:
    shop = shop_opened(default_language="fr", currency="CHF")
    await handle(shop)
    await configure(command, shop.shop_id, REPORTS)
    event = vouchers_activated(shop.shop_id)

    await handle(event, event)
    async with UnitOfWork(sessions) as uow:
        await queue_vouchers_report(event, uow)
        await uow.commit()

    rows = await rows_for(engine, event.message_id)
    assert [row.recipient for row in rows] == REPORTS
    for row in rows:
        assert (row.kind, row.language) == ("system_change_report", "fr")
        assert row.context == {
            "change": "vouchers_activated",
            "how": "generated",
            "count": 500,
            "codes": [f"SPRING-{n:03d}" for n in range(20)],
            "more_codes": 480,
            "voucher_kind": "fixed",
            "value": "15.00",
            "currency": "CHF",
            "min_order_value": "100.00",
            "valid_from": None,
            "valid_until": (CHANGED_AT + timedelta(days=30)).isoformat(),
            "redemption_limit": 1,
            "customer_only": False,
            "activated_at": CHANGED_AT.isoformat(),
        }


async def test_no_report_addresses_queue_nothing_and_raise_nothing(
    handle: Handle, command: Answer, engine: AsyncEngine, shop_opened: Any
) -> None:
    never, cleared = shop_opened(), shop_opened()
    await handle(never, cleared)
    await configure(command, cleared.shop_id, REPORTS)
    await configure(command, cleared.shop_id, [])
    events = [
        discount_changed(never.shop_id),
        vouchers_activated(never.shop_id),
        discount_changed(cleared.shop_id),
        vouchers_activated(cleared.shop_id),
    ]

    await handle(*events)

    for event in events:
        assert await rows_for(engine, event.message_id) == []


async def test_changes_of_a_shop_not_known_yet_are_reported_to_nobody(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    """No ShopOpened yet means no report address could have been configured: no retry needed."""
    discount, codes = discount_changed(uuid4()), vouchers_activated(uuid4())

    async with UnitOfWork(sessions) as uow:
        await queue_discount_report(discount, uow)
        await queue_vouchers_report(codes, uow)
        await uow.commit()

    assert await rows_for(engine, discount.message_id) == []
    assert await rows_for(engine, codes.message_id) == []


async def test_a_new_address_list_applies_to_the_next_change(
    handle: Handle, command: Answer, engine: AsyncEngine, shop_opened: Any
) -> None:
    shop = shop_opened()
    await handle(shop)
    await configure(command, shop.shop_id, ["first@atelier.example"])
    before = discount_changed(shop.shop_id)
    await handle(before)

    await configure(command, shop.shop_id, ["second@atelier.example"])
    after = discount_changed(shop.shop_id, revision=2, previous_percent=Decimal("12.50"))
    await handle(after)

    assert [r.recipient for r in await rows_for(engine, before.message_id)] == [
        "first@atelier.example"
    ]
    assert [r.recipient for r in await rows_for(engine, after.message_id)] == [
        "second@atelier.example"
    ]


# -- the emails themselves ---------------------------------------------------------------


async def test_reports_reach_every_address_with_the_facts_in_the_partner_language(
    handle: Handle,
    command: Answer,
    engine: AsyncEngine,
    mail_sink: MailSink,
    shop_opened: Any,
) -> None:
    shop = shop_opened(brand_name="Papeterie Nord", default_language="de", currency="EUR")
    await handle(shop)
    await configure(command, shop.shop_id, REPORTS)
    discount = discount_changed(shop.shop_id)
    codes = vouchers_activated(shop.shop_id)
    await handle(discount, codes)
    worker = MailDelivery(engine, SmtpSender("127.0.0.1", mail_sink.port), poll_interval=0.05)

    await worker.start()
    try:
        for address in REPORTS:
            await mail_sink.wait_for(mail_to(address, "Kundenrabatt"))
            await mail_sink.wait_for(mail_to(address, "Gutscheincodes"))
    finally:
        await worker.stop()

    mail = {(e["To"], e["Subject"]): e for e in mail_sink.matching(lambda e: True)}
    assert len(mail) == 4, "one email per report address and event"
    discount_email = mail[
        (REPORTS[0], "Systemänderungsbericht: Kundenrabatt geändert bei Papeterie Nord")
    ]
    text = body(discount_email)
    for fact in (
        "Kundennummer: 42",
        "Name: Grace Hopper",
        "E-Mail: grace@example.com",
        "Rabatt vorher: Standard",
        "Rabatt jetzt: 12,5\xa0%",
        "Sonderkondition (SC): ja",
        "Geändert von: Partner",
        "27. November 2026, 16:30",  # 15:30 UTC in Europe/Paris
    ):
        assert fact in text
    assert discount_email["From"].addresses[0].display_name == "Papeterie Nord"
    codes_email = mail[
        (REPORTS[1], "Systemänderungsbericht: 500 Gutscheincodes aktiviert bei Papeterie Nord")
    ]
    text = body(codes_email)
    for fact in (
        "SPRING-000",
        "SPRING-019",
        "… und 480 weitere",
        "Wert: 15,00\xa0€",
        "Mindestbestellwert: 100,00\xa0€",
        "Gültig bis: 27. Dezember 2026",
        "Einlösbar für: alle Kunden",
    ):
        assert fact in text
    assert "SPRING-020" not in text
    assert "clientele" not in codes_email.as_string().lower()
