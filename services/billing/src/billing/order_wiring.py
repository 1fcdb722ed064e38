"""Wiring of orders (B2, B3, B5): the handlers and workers bootstrap adds to the service."""

from __future__ import annotations

from functools import partial

from billing.adapters.pricing_client import Pricer
from billing.config import BillingSettings
from billing.handlers.customer_copy import (
    forget_customer,
    record_customer_change,
    record_customers_imported,
    record_registration,
)
from billing.handlers.order_queries import get_order, list_orders
from billing.handlers.order_steps import advance_order, cancel_order
from billing.handlers.payments import (
    configure_payments,
    get_payment_settings,
    list_payment_options,
    record_payment,
)
from billing.handlers.place_order import place_order
from billing.handlers.voucher_redemption import PlacementPorts
from billing.placement_sweeper import PlacementSweeper
from contracts.billing import (
    AdvanceOrder,
    CancelOrder,
    ConfigurePayments,
    CustomerBillingChanged,
    GetOrder,
    GetPaymentSettings,
    ListOrders,
    ListPaymentOptions,
    OrderPlaced,
    OrderPlacementAbandoned,
    OrderStatusChanged,
    PlaceOrder,
    RecordPayment,
)
from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerRegistered,
    CustomersImported,
)
from contracts.vouchers import RedeemVoucher
from service_runtime.service import BackgroundFactory, BackgroundWorker, Handlers, ServiceRuntime


def order_handlers(pricer: Pricer, ports: PlacementPorts) -> Handlers:
    """Customers' events kept as billing's copy; storefront, partner and operator commands.

    ``ports`` reach the vouchers service and the placement's own transactions.
    """
    return Handlers(
        events={
            CustomerRegistered: record_registration,
            CustomerChanged: record_customer_change,
            CustomersImported: record_customers_imported,
            CustomerDeleted: forget_customer,
        },
        commands={
            # Storefront
            PlaceOrder: partial(place_order, pricer=pricer, ports=ports),
            ListPaymentOptions: list_payment_options,
            GetOrder: get_order,
            ListOrders: list_orders,
            CancelOrder: cancel_order,
            # Partner
            ConfigurePayments: configure_payments,
            GetPaymentSettings: get_payment_settings,
            RecordPayment: record_payment,
            # Operator (the print provider's platform)
            AdvanceOrder: advance_order,
        },
        emits=(OrderPlaced, OrderStatusChanged, OrderPlacementAbandoned, CustomerBillingChanged),
        sends=(RedeemVoucher,),
    )


def order_workers(settings: BillingSettings) -> list[BackgroundFactory]:
    def placement_sweeper(runtime: ServiceRuntime) -> BackgroundWorker:
        return PlacementSweeper(
            runtime.unit_of_work,
            interval=settings.placement_sweep_seconds,
            abandon_after_seconds=settings.placement_abandon_after_seconds,
        )

    return [placement_sweeper]
