"""Helpers of the tests that run billing with the real vouchers service over the real broker."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import aio_pika
from billing_support import eventually, shop_opened

from contracts.base import Event
from contracts.billing import ListProducts, PriceList
from service_runtime.rpc_client import RpcClient, RpcRefused
from service_runtime.testing import RealServers
from service_runtime.topology import Topology


async def publish(amqp_url: str, namespace: str, *events: Event) -> None:
    """Events on the namespace's events exchange, as another service's relay sends them."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(Topology(namespace).events_exchange)
        for event in events:
            await exchange.publish(
                aio_pika.Message(
                    event.model_dump_json().encode(),
                    content_type="application/json",
                    message_id=str(event.message_id),
                ),
                routing_key=event.ROUTING_KEY,
            )


async def answered(rpc: RpcClient, command: Any, result: type[Any]) -> Any:
    """The command's result once the service knows the shop (its ShopOpened may be on its way)."""

    async def attempt() -> Any:
        try:
            return await rpc.call(command, result)
        except RpcRefused as refused:
            if refused.error.code == "shop_not_ready":
                raise AssertionError("the shop is not known there yet") from refused
            raise

    return await eventually(attempt)


async def open_shop_everywhere(servers: RealServers, namespace: str, rpc: RpcClient) -> UUID:
    """ShopOpened on the events exchange, then wait until billing serves the shop."""
    event = shop_opened()
    await publish(servers.amqp_url, namespace, event)
    await answered(rpc, ListProducts(shop_id=event.shop_id), PriceList)
    return event.shop_id
