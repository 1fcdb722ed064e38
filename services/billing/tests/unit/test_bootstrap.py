"""Wiring: every billing command and the events it needs, the sweeper, the pricer's binding."""

from billing.adapters.pricing_client import RpcPricer
from billing.bootstrap import create_runtime, handlers
from billing.cart_sweeper import CartSweeper
from billing.config import BillingSettings
from contracts.billing import RESULTS, CreateCart, PlaceOrder, PutProduct
from contracts.billing.events import EVENTS
from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerRegistered,
    CustomersImported,
)
from contracts.gateway import ShopOpened
from contracts.vouchers import PriceCart, PricedCart, RedeemVoucher


class NoPricer:
    async def price(self, command: PriceCart) -> PricedCart:
        raise AssertionError("not called")


def test_handlers_cover_every_billing_command_and_the_events_it_follows() -> None:
    wired = handlers(RpcPricer(1.0))

    assert set(wired.commands) == set(RESULTS)
    assert set(wired.events) == {
        ShopOpened,
        CustomerRegistered,
        CustomerChanged,
        CustomersImported,
        CustomerDeleted,
    }
    assert set(wired.emits) == set(EVENTS), "billing emits every event it owns"
    assert tuple(wired.sends) == (PriceCart, RedeemVoucher)


def test_the_runtime_binds_the_rpc_pricer_and_carries_the_sweeper_without_connecting() -> None:
    settings = BillingSettings(pricing_timeout=1.5, cart_sweep_seconds=7.0, cart_sweep_batch=50)

    runtime = create_runtime(settings)

    assert runtime.rpc is not None
    assert runtime.rpc.timeout == 1.5
    bound = runtime.handlers.commands[CreateCart].keywords["pricer"]  # type: ignore[attr-defined]
    assert isinstance(bound, RpcPricer)
    assert (bound.client, bound.timeout) == (runtime.rpc, 1.5)
    (worker,) = [w for w in runtime.background if isinstance(w, CartSweeper)]
    assert isinstance(worker, CartSweeper)
    assert (worker.poll_interval, worker.batch_size, worker.running) == (7.0, 50, False)


def test_a_given_pricer_replaces_the_vouchers_service_for_every_cart_command() -> None:
    fake = NoPricer()

    runtime = create_runtime(BillingSettings(), pricer=fake)

    bound = {
        command: getattr(handler, "keywords", None)
        for command, handler in runtime.handlers.commands.items()
        if hasattr(handler, "keywords")
    }
    assert len(bound) == 10
    assert PutProduct not in bound
    placing = bound.pop(PlaceOrder)
    assert placing is not None
    assert placing["pricer"] is fake
    assert all(keywords == {"pricer": fake} for keywords in bound.values())


def test_settings_defaults() -> None:
    settings = BillingSettings()

    assert (settings.pricing_timeout, settings.cart_sweep_seconds) == (3.0, 60.0)
    assert isinstance(create_runtime().settings, BillingSettings)
