"""Prices come from the vouchers service (request/reply); billing never computes discounts.

Any way the vouchers service fails to answer (time-out, refusal, broker trouble, unroutable
command) is one PricingUnavailable: the caller answers 503 and keeps nothing.
"""

from __future__ import annotations

from typing import Protocol

import structlog
from aio_pika.exceptions import AMQPError, ChannelInvalidStateError

from contracts.vouchers import PriceCart, PricedCart
from service_runtime.rpc_client import RpcClient, RpcRefused, RpcTimeout

log = structlog.get_logger(__name__)


class PricingUnavailable(Exception):
    """The vouchers service could not price the cart now (away, slow or refusing)."""


class Pricer(Protocol):
    async def price(self, command: PriceCart) -> PricedCart:
        """The priced cart, or PricingUnavailable."""
        ...


class RpcPricer:
    """Asks the vouchers service through the runtime's RpcClient, bound once the runtime exists."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.client: RpcClient | None = None

    async def price(self, command: PriceCart) -> PricedCart:
        if self.client is None:
            raise PricingUnavailable("the request/reply client is not bound")
        try:
            return await self.client.call(command, PricedCart, wait_seconds=self.timeout)
        except RpcRefused as refused:
            log.warning("pricing_refused", code=refused.error.code, detail=refused.error.detail)
            raise PricingUnavailable(refused.error.code) from refused
        except (RpcTimeout, AMQPError, ChannelInvalidStateError, ConnectionError) as failure:
            log.warning("pricing_unavailable", error=f"{type(failure).__name__}: {failure}")
            raise PricingUnavailable(str(failure)) from failure
