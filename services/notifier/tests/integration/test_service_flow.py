"""The whole notifier process minus HTTP: events on the real RabbitMQ become an email in the sink."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import pytest

from contracts.base import Event
from devtools.mailsink import MailSink, body
from notifier.bootstrap import create_runtime
from notifier.config import NotifierSettings
from service_runtime.service import ServiceRuntime
from service_runtime.testing import RealServers, delete_broker_namespace, unique_name

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
