"""The one place that wires the billing service: settings, handlers, pricer, sweeper, app."""

from functools import partial
from pathlib import Path

from faststream.asgi import AsgiFastStream

from billing.adapters.placement_connections import PlacementConnections
from billing.adapters.pricing_client import Pricer, RpcPricer
from billing.adapters.voucher_client import RpcVoucherClient, VoucherClient
from billing.cart_sweeper import CartSweeper
from billing.config import BillingSettings
from billing.handlers.cart_choices import apply_voucher_code, choose_shipping, remove_voucher_code
from billing.handlers.cart_lines import add_cart_line, change_cart_line, remove_cart_line
from billing.handlers.cart_settings import configure_carts, get_cart_settings
from billing.handlers.create_cart import create_cart
from billing.handlers.customer_carts import list_customer_carts
from billing.handlers.get_cart import get_cart
from billing.handlers.price_list import get_product, list_products, put_product, put_shipping_option
from billing.handlers.quote_prices import quote_prices
from billing.handlers.shop_opened import record_shop
from billing.handlers.voucher_redemption import PlacementPorts
from billing.invoice_wiring import invoice_handlers, invoice_workers
from billing.order_wiring import order_handlers, order_workers
from contracts.base import Command, Event
from contracts.billing import (
    AddCartLine,
    ApplyVoucherCode,
    CartAbandoned,
    ChangeCartLine,
    ChooseShipping,
    ConfigureCarts,
    CreateCart,
    GetCart,
    GetCartSettings,
    GetProduct,
    ListCustomerCarts,
    ListProducts,
    PutProduct,
    PutShippingOption,
    QuotePrices,
    RemoveCartLine,
    RemoveVoucherCode,
)
from contracts.gateway import ShopOpened
from contracts.vouchers import PriceCart
from service_runtime.handling import CommandHandler, EventHandler
from service_runtime.service import BackgroundWorker, Handlers, ServiceRuntime
from service_runtime.worker_app import build_worker_app

MIGRATIONS = Path(__file__).parent / "migrations"


def handlers(pricer: Pricer, ports: PlacementPorts | None = None) -> Handlers:
    """Carts and the price list, orders, invoices; carts are priced by ``pricer``, orders
    redeem vouchers through ``ports`` (by default an unbound client of the vouchers service)."""
    ports = ports or PlacementPorts(RpcVoucherClient(timeout=1.0))
    return merge(cart_handlers(pricer), order_handlers(pricer, ports), invoice_handlers())


def merge(*parts: Handlers) -> Handlers:
    """One Handlers from several; a message handled twice is a wiring mistake."""
    events: dict[type[Event], EventHandler] = {}
    commands: dict[type[Command], CommandHandler] = {}
    for part in parts:
        for event, handler in part.events.items():
            if event in events:
                raise ValueError(f"{event.__name__} is handled twice")
            events[event] = handler
        for command, answer in part.commands.items():
            if command in commands:
                raise ValueError(f"{command.__name__} is answered twice")
            commands[command] = answer
    emits = list(dict.fromkeys(e for part in parts for e in part.emits))
    sends = list(dict.fromkeys(c for part in parts for c in part.sends))
    return Handlers(events=events, commands=commands, emits=emits, sends=sends)


def cart_handlers(pricer: Pricer) -> Handlers:
    """Partner price-list commands, storefront cart commands; carts are priced by ``pricer``."""
    return Handlers(
        events={ShopOpened: record_shop},
        commands={
            # Partner: price list and cart settings
            PutProduct: put_product,
            GetProduct: get_product,
            ListProducts: list_products,
            PutShippingOption: put_shipping_option,
            ConfigureCarts: configure_carts,
            GetCartSettings: get_cart_settings,
            ListCustomerCarts: list_customer_carts,
            # Storefront: carts and quotes
            CreateCart: partial(create_cart, pricer=pricer),
            GetCart: partial(get_cart, pricer=pricer),
            AddCartLine: partial(add_cart_line, pricer=pricer),
            ChangeCartLine: partial(change_cart_line, pricer=pricer),
            RemoveCartLine: partial(remove_cart_line, pricer=pricer),
            ChooseShipping: partial(choose_shipping, pricer=pricer),
            ApplyVoucherCode: partial(apply_voucher_code, pricer=pricer),
            RemoveVoucherCode: partial(remove_voucher_code, pricer=pricer),
            QuotePrices: partial(quote_prices, pricer=pricer),
        },
        emits=(CartAbandoned,),
        sends=(PriceCart,),
    )


def create_runtime(
    settings: BillingSettings | None = None,
    *,
    pricer: Pricer | None = None,
    vouchers: VoucherClient | None = None,
) -> ServiceRuntime:
    """Without ``pricer``, carts are priced by the vouchers service over the runtime's RpcClient;
    without ``vouchers``, orders redeem codes with it the same way."""
    resolved = settings or BillingSettings()
    remote = RpcPricer(resolved.pricing_timeout)
    redeemer = RpcVoucherClient(resolved.voucher_timeout)
    ports = PlacementPorts(vouchers or redeemer)

    def sweeper(runtime: ServiceRuntime) -> BackgroundWorker:
        return CartSweeper(
            runtime.unit_of_work,
            interval=resolved.cart_sweep_seconds,
            batch_size=resolved.cart_sweep_batch,
        )

    placement_connections = PlacementConnections(resolved)
    ports.unit_of_work = placement_connections.unit_of_work

    runtime = ServiceRuntime(
        resolved,
        handlers(pricer or remote, ports),
        rpc_timeout=resolved.pricing_timeout,
        background=[
            sweeper,
            *order_workers(resolved),
            *invoice_workers(resolved),
            lambda _: placement_connections,
        ],
    )
    remote.client = runtime.rpc
    redeemer.client = runtime.rpc
    return runtime


def create_app(settings: BillingSettings | None = None) -> AsgiFastStream:
    return build_worker_app(create_runtime(settings))
