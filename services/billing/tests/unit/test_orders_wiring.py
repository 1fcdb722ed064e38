"""Wiring of orders: the commands and customer events it answers, the placement's ports bound
to the runtime, the placement sweep with its settings."""

from billing.adapters.placement_connections import PlacementConnections
from billing.adapters.voucher_client import RpcVoucherClient
from billing.bootstrap import create_runtime
from billing.config import BillingSettings
from billing.handlers.customer_copy import forget_customer
from billing.handlers.voucher_redemption import PlacementPorts
from billing.order_wiring import order_handlers
from billing.placement_sweeper import PlacementSweeper
from contracts.billing import (
    AdvanceOrder,
    CancelOrder,
    ConfigurePayments,
    GetOrder,
    GetPaymentSettings,
    ListOrders,
    ListPaymentOptions,
    OrderPlacementAbandoned,
    PlaceOrder,
    RecordPayment,
)
from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerRegistered,
    CustomersImported,
)
from contracts.vouchers import PriceCart, PricedCart, RedeemVoucher


class NoPricer:
    async def price(self, command: PriceCart) -> PricedCart:
        raise AssertionError("not called")


def test_orders_answer_their_commands_and_follow_the_customers() -> None:
    wired = order_handlers(NoPricer(), PlacementPorts(RpcVoucherClient(1.0)))

    assert set(wired.commands) == {
        PlaceOrder,
        GetOrder,
        ListOrders,
        AdvanceOrder,
        CancelOrder,
        RecordPayment,
        ConfigurePayments,
        GetPaymentSettings,
        ListPaymentOptions,
    }
    assert set(wired.events) == {
        CustomerRegistered,
        CustomerChanged,
        CustomersImported,
        CustomerDeleted,
    }
    assert OrderPlacementAbandoned in wired.emits
    assert tuple(wired.sends) == (RedeemVoucher,)


def test_the_runtime_binds_the_placement_to_its_rpc_client_and_transactions() -> None:
    settings = BillingSettings(
        voucher_timeout=2.5, placement_sweep_seconds=9.0, placement_abandon_after_seconds=90.0
    )
    pricer = NoPricer()

    runtime = create_runtime(settings, pricer=pricer)

    place = runtime.handlers.commands[PlaceOrder]
    keywords = place.keywords  # type: ignore[attr-defined]
    ports = keywords["ports"]
    assert keywords["pricer"] is pricer
    assert isinstance(ports.vouchers, RpcVoucherClient)
    assert (ports.vouchers.client, ports.vouchers.timeout) == (runtime.rpc, 2.5)
    (own_pool,) = [w for w in runtime.background if isinstance(w, PlacementConnections)]
    assert ports.unit_of_work == own_pool.unit_of_work, "a pool of its own: no waiting cycle"
    assert own_pool.engine is not runtime.engine
    assert runtime.handlers.events[CustomerDeleted] is forget_customer
    (sweeper,) = [w for w in runtime.background if isinstance(w, PlacementSweeper)]
    assert (sweeper.poll_interval, sweeper.abandon_after_seconds, sweeper.running) == (
        9.0,
        90.0,
        False,
    )
