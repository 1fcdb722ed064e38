"""The whole notifier process minus HTTP: events on the real RabbitMQ become an email in the sink."""

import asyncio
import base64
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import uuid4

import aio_pika
import pytest
from sqlalchemy import func, select

from contracts.base import Event
from contracts.notifier import (
    ConfigurePartnerCopies,
    ConfigureReportAddresses,
    ConfigureShopBrand,
    GetInvoiceDocument,
    GetPartnerCopies,
    GetReportAddresses,
    GetShopBrand,
    InvoiceDocument,
    PartnerCopySettings,
    ReportAddresses,
    ShopBrandSettings,
)
from contracts.vouchers import CustomerDiscountChanged, VouchersActivated
from contracts.vouchers.shapes import VoucherTerms
from devtools.mailsink import MailSink, body
from notifier.adapters.tables import messages
from notifier.bootstrap import create_runtime
from notifier.config import NotifierSettings
from service_runtime.rpc_client import RpcClient, RpcRefused
from service_runtime.service import ServiceRuntime
from service_runtime.testing import RealServers, delete_broker_namespace, unique_name

sys.path.insert(0, str(Path(__file__).parents[1]))
from billing_event_samples import invoice, invoice_issued, order_placed, status_changed

pytestmark = [pytest.mark.broker, pytest.mark.database]


@pytest.fixture
async def runtime(
    servers: RealServers, database_url: str, mail_sink: MailSink
) -> AsyncIterator[ServiceRuntime]:
    """The notifier on its own exchanges and queues (a unique namespace), removed afterwards."""
    settings = NotifierSettings(
        amqp_url=servers.amqp_url,
        broker_namespace=unique_name("t.") + ".",
        database_url=database_url,
        smtp_port=mail_sink.port,
        delivery_poll_interval=0.05,
        render_poll_interval=60.0,  # a stored invoice wakes the renderer: no poll needed
        log_json=False,
        log_level="WARNING",
    )
    runtime = create_runtime(settings)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
        await delete_broker_namespace(servers.amqp_url, runtime.topology, ["notifier"])


async def publish(runtime: ServiceRuntime, *events: Event) -> None:
    connection = await aio_pika.connect(runtime.settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(runtime.topology.events_exchange)
        for event in events:
            await exchange.publish(
                aio_pika.Message(
                    event.model_dump_json().encode(),
                    content_type="application/json",
                    message_id=str(event.message_id),
                ),
                routing_key=event.ROUTING_KEY,
            )


async def test_events_from_the_broker_end_as_one_branded_email(
    runtime: ServiceRuntime, mail_sink: MailSink, shop_opened: Any, code_issued: Any
) -> None:
    shop = shop_opened(brand_name="Papeterie Nord")
    issued = code_issued(shop.shop_id, language="de")

    await publish(runtime, shop, issued, issued)

    email = await mail_sink.wait_for(lambda e: e["To"] == issued.email)
    assert email["From"].addresses[0].display_name == "Papeterie Nord"
    assert issued.code in body(email)
    assert "Bestätigungscode" in email["Subject"]
    readiness = await runtime.readiness()
    assert all(readiness.values()), readiness
    await asyncio.sleep(0.5)  # room for the duplicate delivery to (not) produce a second email
    assert len(mail_sink.matching(lambda e: e["To"] == issued.email)) == 1


@pytest.fixture
async def rpc(runtime: ServiceRuntime) -> AsyncIterator[RpcClient]:
    """A caller like the gateway: commands over the broker, typed replies back."""
    client = RpcClient(
        runtime.settings.amqp_url,
        runtime.topology.commands_exchange,
        reply_queue_prefix=runtime.topology.name("test.replies"),
        timeout=10.0,
    )
    await client.start()
    try:
        yield client
    finally:
        await client.stop()


async def test_partner_brand_over_the_broker_then_a_french_invitation_in_that_brand(
    runtime: ServiceRuntime,
    rpc: RpcClient,
    mail_sink: MailSink,
    eventually: Any,
    shop_opened: Any,
    invited: Any,
) -> None:
    shop = shop_opened(default_language="de")
    await publish(runtime, shop)
    brand = ShopBrandSettings(
        brand_name="Papeterie Étoile",
        sender_name="Papeterie Étoile, service clients",
        sender_email="bonjour@etoile.example",
        reply_to="aide@etoile.example",
        primary_color="#8b5cf6",
        legal_notice="Papeterie Étoile SAS, 3 quai Voltaire, 75007 Paris",
        storefront_url="https://boutique.etoile.example",
    )

    async def brand_known() -> bool:
        try:
            await rpc.call(GetShopBrand(shop_id=shop.shop_id), ShopBrandSettings)
        except RpcRefused:
            return False
        return True

    await eventually(brand_known)
    stored = await rpc.call(
        ConfigureShopBrand(shop_id=shop.shop_id, brand=brand), ShopBrandSettings
    )
    assert stored == brand
    with pytest.raises(RpcRefused) as refused:
        await rpc.call(
            ConfigureShopBrand(
                shop_id=shop.shop_id, brand=brand.model_copy(update={"sender_email": "x"})
            ),
            ShopBrandSettings,
        )
    assert [f.field for f in refused.value.error.fields] == ["sender_email"]

    invitation = invited(shop.shop_id, language="fr")
    await publish(runtime, invitation, invitation)

    email = await mail_sink.wait_for(lambda e: e["To"] == invitation.email)
    assert email["Subject"] == "Papeterie Étoile a créé un compte client pour vous"
    assert email["From"].addresses[0].display_name == "Papeterie Étoile, service clients"
    assert email["Reply-To"].addresses[0].addr_spec == "aide@etoile.example"
    text = body(email)
    assert "Bonjour Ada" in text
    assert "https://boutique.etoile.example/invitation?token=" in text
    assert "Papeterie Étoile SAS, 3 quai Voltaire, 75007 Paris" in text
    assert "#8b5cf6" in body(email, "html")
    assert "clientele" not in email.as_string().lower()

    # Events of one queue are handled in order: once a later one is mailed, the duplicate
    # has been handled too, and the log shows whether it queued a second email.
    sentinel = invited(shop.shop_id)
    await publish(runtime, sentinel)
    await mail_sink.wait_for(lambda e: e["To"] == sentinel.email)
    async with runtime.engine.connect() as conn:
        queued = await conn.scalar(
            select(func.count()).where(messages.c.source_message_id == invitation.message_id)
        )
    assert queued == 1
    assert len(mail_sink.matching(lambda e: e["To"] == invitation.email)) == 1


def mail_to(
    address: str, *, subject: str | None = None, text_part: str = ""
) -> Callable[[EmailMessage], bool]:
    """Matches the email to ``address`` with exactly this subject and/or this text in its body."""
    return lambda email: (
        email["To"] == address
        and (subject is None or email["Subject"] == subject)
        and text_part in body(email)
    )


async def test_vouchers_events_from_the_broker_become_one_report_per_address(
    runtime: ServiceRuntime,
    rpc: RpcClient,
    mail_sink: MailSink,
    eventually: Any,
    shop_opened: Any,
) -> None:
    shop = shop_opened(default_language="en", brand_name="Papeterie Nord")
    await publish(runtime, shop)
    reports = ["audit@nord.example", "owner@nord.example"]

    async def shop_known() -> bool:
        try:
            await rpc.call(GetReportAddresses(shop_id=shop.shop_id), ReportAddresses)
        except RpcRefused:
            return False
        return True

    await eventually(shop_known)
    stored = await rpc.call(
        ConfigureReportAddresses(
            shop_id=shop.shop_id,
            settings=ReportAddresses(addresses=["Audit@Nord.example", *reports]),
        ),
        ReportAddresses,
    )
    assert stored.addresses == reports
    with pytest.raises(RpcRefused) as refused:
        await rpc.call(
            ConfigureReportAddresses(
                shop_id=shop.shop_id, settings=ReportAddresses(addresses=["nope"])
            ),
            ReportAddresses,
        )
    assert [f.field for f in refused.value.error.fields] == ["settings.addresses.0"]

    now = datetime.now(UTC)
    discount = CustomerDiscountChanged(
        shop_id=shop.shop_id,
        customer_id=uuid4(),
        customer_number=7,
        customer_name="Ada Lovelace",
        customer_email="ada@example.com",
        discount_percent=Decimal("10.00"),
        previous_percent=Decimal("5.00"),
        special_condition=True,
        revision=2,
        changed_by="partner",
        changed_at=now,
    )
    created = VouchersActivated(
        shop_id=shop.shop_id,
        how="created",
        count=1,
        codes=["WELCOME-10"],
        terms=VoucherTerms(kind="percent", value=Decimal("10.00")),
        activated_at=now,
    )
    await publish(runtime, discount, discount, created, created)

    subjects = {
        "System change report: customer discount changed at Papeterie Nord": "Discount now: 10%",
        "System change report: 1 voucher code activated at Papeterie Nord": "WELCOME-10",
    }
    for address in reports:
        for subject, fact in subjects.items():
            email = await mail_sink.wait_for(mail_to(address, subject=subject))
            assert fact in body(email)

    # Events of one queue are handled in order: once the sentinel is mailed, the duplicates
    # have been handled too, and the log shows whether they queued more.
    sentinel = created.model_copy(update={"message_id": uuid4(), "codes": ["LAST-ONE"]})
    await publish(runtime, sentinel)
    for address in reports:
        await mail_sink.wait_for(mail_to(address, text_part="LAST-ONE"))
    async with runtime.engine.connect() as conn:
        for event in (discount, created):
            queued = await conn.scalar(
                select(func.count()).where(messages.c.source_message_id == event.message_id)
            )
            assert queued == len(reports)
    assert len(mail_sink.matching(lambda e: e["To"] in reports)) == 3 * len(reports), (
        "two reports and the sentinel per address, no duplicate"
    )


async def test_billing_events_from_the_broker_become_order_emails_and_a_downloadable_pdf(
    runtime: ServiceRuntime,
    rpc: RpcClient,
    mail_sink: MailSink,
    eventually: Any,
    shop_opened: Any,
) -> None:
    shop = shop_opened(default_language="en", brand_name="Papeterie Nord")
    await publish(runtime, shop)
    partner = "owner@nord.example"

    async def shop_known() -> bool:
        try:
            await rpc.call(GetPartnerCopies(shop_id=shop.shop_id), PartnerCopySettings)
        except RpcRefused:
            return False
        return True

    await eventually(shop_known)
    await rpc.call(
        ConfigurePartnerCopies(
            shop_id=shop.shop_id,
            settings=PartnerCopySettings(addresses=[partner], kinds=["invoice"]),
        ),
        PartnerCopySettings,
    )
    placed = order_placed(shop.shop_id, language="fr")
    customer = placed.order.email
    assert customer is not None
    rejected = status_changed(shop.shop_id, "data_rejected", email=customer)
    sample = invoice(language="fr")
    buyer = sample.buyer.model_copy(update={"email": customer})
    issued = invoice_issued(shop.shop_id, sample.model_copy(update={"buyer": buyer}))

    await publish(runtime, placed, rejected, issued, issued)

    confirmation = await mail_sink.wait_for(
        mail_to(customer, subject="Votre commande n° 1042 chez Papeterie Nord")
    )
    assert "1\u202f346,00\xa0€" in body(confirmation)
    await mail_sink.wait_for(
        mail_to(partner, subject="New order 1042 at Papeterie Nord: €1,346.00")
    )
    await mail_sink.wait_for(
        mail_to(partner, subject="Print data rejected: order 1042 at Papeterie Nord")
    )
    invoice_email = await mail_sink.wait_for(
        mail_to(customer, subject="Votre facture n° 2026-000123 de Papeterie Nord")
    )
    copy = await mail_sink.wait_for(
        mail_to(partner, subject="Copy: invoice 2026-000123 from Papeterie Nord")
    )
    document = await rpc.call(
        GetInvoiceDocument(
            shop_id=shop.shop_id,
            invoice_id=issued.invoice.invoice_id,
            customer_id=issued.invoice.customer_id,
        ),
        InvoiceDocument,
    )
    pdf = base64.b64decode(document.content_base64)
    for email in (invoice_email, copy):
        (attachment,) = list(email.iter_attachments())
        assert attachment.get_content() == pdf
    assert document.filename == "invoice_2026-000123.pdf"

    sentinel = order_placed(shop.shop_id, order_number=1043)
    await publish(runtime, sentinel)
    await mail_sink.wait_for(
        mail_to(partner, subject="New order 1043 at Papeterie Nord: €1,346.00")
    )
    to_customer = mail_sink.matching(lambda e: e["To"] == customer)
    assert sorted(e["Subject"] for e in to_customer) == [
        "Votre commande n° 1042 chez Papeterie Nord",
        "Votre facture n° 2026-000123 de Papeterie Nord",
    ], "nothing about the rejection, nothing twice"
    assert len(mail_sink.matching(lambda e: e["To"] == partner)) == 4
