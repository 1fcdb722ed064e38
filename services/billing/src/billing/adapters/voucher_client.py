"""Redeeming a cart's voucher for an order through the vouchers service (request/reply).

RedeemVoucher is idempotent per order id, so a placement that retries after a time-out asks
again with the same order id and gets the same redemption, never a second use.
"""

from __future__ import annotations

from typing import Protocol

import structlog
from aio_pika.exceptions import AMQPError, ChannelInvalidStateError

from contracts.base import CommandError
from contracts.vouchers import RedeemVoucher, Redemption
from service_runtime.rpc_client import RpcClient, RpcRefused, RpcTimeout

log = structlog.get_logger(__name__)


class RedemptionRefused(Exception):
    """The vouchers service will not let this order use the code (``error.code``:
    ``voucher_<reason>``): nothing was redeemed."""

    def __init__(self, error: CommandError) -> None:
        super().__init__(error.detail or error.title)
        self.error = error


class VouchersUnavailable(Exception):
    """No answer in time, or no usable one: the code may or may not be redeemed."""


class VoucherClient(Protocol):
    async def redeem(self, command: RedeemVoucher) -> Redemption:
        """The order's hold on the code, RedemptionRefused or VouchersUnavailable."""
        ...


class RpcVoucherClient:
    """Asks the vouchers service through the runtime's RpcClient, bound once the runtime exists."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.client: RpcClient | None = None

    async def redeem(self, command: RedeemVoucher) -> Redemption:
        if self.client is None:
            raise VouchersUnavailable("the request/reply client is not bound")
        try:
            return await self.client.call(command, Redemption, wait_seconds=self.timeout)
        except RpcRefused as refused:
            if refused.error.code.startswith("voucher_") and refused.error.status == 422:
                raise RedemptionRefused(refused.error) from refused
            log.warning("redemption_failed", code=refused.error.code, detail=refused.error.detail)
            raise VouchersUnavailable(refused.error.code) from refused
        except (RpcTimeout, AMQPError, ChannelInvalidStateError, ConnectionError) as failure:
            log.warning("vouchers_unavailable", error=f"{type(failure).__name__}: {failure}")
            raise VouchersUnavailable(str(failure)) from failure
