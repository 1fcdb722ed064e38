"""The RPC pricer turns every way the vouchers service fails to answer into PricingUnavailable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from aio_pika.exceptions import AMQPConnectionError, ChannelInvalidStateError

from billing.adapters.pricing_client import PricingUnavailable, RpcPricer
from contracts.base import CommandError
from contracts.vouchers import PriceCart, PricedCart
from service_runtime.rpc_client import RpcRefused, RpcTimeout

EMPTY = PricedCart(
    lines=[],
    product_subtotal=Decimal("0"),
    surcharge_total=Decimal("0"),
    vat=[],
    net_total=Decimal("0"),
    vat_total=Decimal("0"),
    gross_total=Decimal("0"),
)


class StubClient:
    def __init__(self, outcome: PricedCart | Exception) -> None:
        self.outcome = outcome
        self.calls: list[tuple[Any, ...]] = []

    async def call(
        self, command: PriceCart, result: type[PricedCart], *, wait_seconds: float
    ) -> PricedCart:
        self.calls.append((command, result, wait_seconds))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def command() -> PriceCart:
    return PriceCart(shop_id=uuid4(), lines=[])


async def test_an_answer_passes_through_with_the_configured_wait() -> None:
    pricer = RpcPricer(2.5)
    client = StubClient(EMPTY)
    pricer.client = client  # type: ignore[assignment]
    asked = command()

    assert await pricer.price(asked) == EMPTY
    assert client.calls == [(asked, PricedCart, 2.5)]


@pytest.mark.parametrize(
    "failure",
    [
        RpcTimeout("no answer"),
        RpcRefused(CommandError(code="shop_not_ready", status=503, title="Not ready")),
        AMQPConnectionError("connection lost"),
        ChannelInvalidStateError("channel closed"),
        ConnectionError("broker gone"),
    ],
)
async def test_every_failure_to_answer_is_pricing_unavailable(failure: Exception) -> None:
    pricer = RpcPricer(1.0)
    pricer.client = StubClient(failure)  # type: ignore[assignment]

    with pytest.raises(PricingUnavailable):
        await pricer.price(command())


async def test_an_unbound_pricer_is_unavailable_rather_than_crashing() -> None:
    with pytest.raises(PricingUnavailable):
        await RpcPricer(1.0).price(command())
