"""The one place that wires the vouchers service: settings, handlers, runtime, app."""

from pathlib import Path

from faststream.asgi import AsgiFastStream

from contracts.billing import OrderPlacementAbandoned, OrderStatusChanged
from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerGroupChanged,
    CustomersImported,
)
from contracts.gateway import ShopOpened
from contracts.vouchers import (
    CreateVoucher,
    CustomerDiscountChanged,
    GenerateVouchers,
    GetCustomerPricing,
    GetVoucher,
    ListGroupAdjustments,
    ListVouchers,
    PriceCart,
    RedeemVoucher,
    ReleaseRedemption,
    SetCustomerDiscount,
    SetGroupAdjustment,
    SetVoucherActive,
    VouchersActivated,
)
from service_runtime.service import Handlers, ServiceRuntime
from service_runtime.settings import ServiceSettings
from service_runtime.worker_app import build_worker_app
from vouchers.config import VouchersSettings
from vouchers.handlers.cart_pricing import price_cart
from vouchers.handlers.create_vouchers import create_voucher, generate_vouchers
from vouchers.handlers.customer_discount import get_customer_pricing, set_customer_discount
from vouchers.handlers.customer_events import (
    forget_customer,
    record_customer_change,
    record_customers_imported,
    record_group_change,
)
from vouchers.handlers.group_adjustments import list_group_adjustments, set_group_adjustment
from vouchers.handlers.order_events import (
    release_for_abandoned_placement,
    release_for_cancelled_order,
)
from vouchers.handlers.redemption import redeem_voucher, release_redemption
from vouchers.handlers.shop_opened import record_shop
from vouchers.handlers.voucher_activation import set_voucher_active
from vouchers.handlers.voucher_listing import get_voucher, list_vouchers

MIGRATIONS = Path(__file__).parent / "migrations"

HANDLERS = Handlers(
    events={
        ShopOpened: record_shop,
        CustomerChanged: record_customer_change,
        CustomersImported: record_customers_imported,
        CustomerDeleted: forget_customer,
        CustomerGroupChanged: record_group_change,
        # Billing: cancelled orders and abandoned placements give their code back
        OrderStatusChanged: release_for_cancelled_order,
        OrderPlacementAbandoned: release_for_abandoned_placement,
    },
    commands={
        # Partner: discounts (V1, V2) and group adjustments (V3)
        SetCustomerDiscount: set_customer_discount,
        GetCustomerPricing: get_customer_pricing,
        SetGroupAdjustment: set_group_adjustment,
        ListGroupAdjustments: list_group_adjustments,
        # Partner: voucher codes (V4)
        CreateVoucher: create_voucher,
        GenerateVouchers: generate_vouchers,
        ListVouchers: list_vouchers,
        GetVoucher: get_voucher,
        SetVoucherActive: set_voucher_active,
        # Billing: pricing (V7) and redemption (V4)
        PriceCart: price_cart,
        RedeemVoucher: redeem_voucher,
        ReleaseRedemption: release_redemption,
    },
    emits=(CustomerDiscountChanged, VouchersActivated),
)


def create_runtime(settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(settings or VouchersSettings(), HANDLERS)


def create_app(settings: ServiceSettings | None = None) -> AsgiFastStream:
    return build_worker_app(create_runtime(settings))
