"""An order's life (B3, B5): the provider's steps to shipment and its invoice, impossible
steps named, prepaid orders held until paid, payments recorded once, cancellation."""

from __future__ import annotations

import re
import sys
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from contracts.billing import (
    AdvanceOrder,
    CancelOrder,
    ConfigurePayments,
    CustomerBillingChanged,
    GetOrder,
    InvoiceIssued,
    Order,
    OrderStatusChanged,
    PaymentSettings,
    RecordPayment,
)
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from billing_support import (
    FakePricer,
    FakeVoucher,
    events,
    fields_of,
    ok,
    open_shop,
    put_product,
    refused,
)
from orders_support import (
    FakeVouchers,
    add_customer,
    cart_for,
    on_invoice,
    order_rows,
    order_runtime,
    place,
)

pytestmark = pytest.mark.database


def payment(shop_id: UUID, order_id: UUID, key: str, amount: str, reference: str) -> RecordPayment:
    return RecordPayment(
        shop_id=shop_id,
        order_id=order_id,
        idempotency_key=key,
        amount=Decimal(amount),
        reference=reference,
    )


@pytest.fixture
async def runtime(database_url: str, pricer: FakePricer) -> AsyncIterator[ServiceRuntime]:
    pricer.vouchers["SAVE5"] = FakeVoucher()
    runtime = order_runtime(database_url, pricer, FakeVouchers())
    yield runtime
    await runtime.engine.dispose()


def step(shop_id: UUID, order: Order, name: str, **fields: object) -> AdvanceOrder:
    return AdvanceOrder.model_validate(
        {"shop_id": shop_id, "order_id": order.order_id, "step": name, **fields}
    )


async def test_an_invoice_order_goes_from_placed_to_shipped_and_invoiced(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    await ok(
        runtime,
        ConfigurePayments(
            shop_id=shop_id, payment_methods=["card", "invoice"], provider_pay_method="sepa"
        ),
        PaymentSettings,
    )
    dora = await add_customer(runtime, shop_id, b2b=on_invoice("500.00"))
    cart = await cart_for(runtime, shop_id, dora.customer_id)
    order = await ok(
        runtime, place(shop_id, cart.cart_id, customer_id=dora.customer_id, method="invoice"), Order
    )

    for name, note in [
        ("data_received", None),
        ("data_rejected", "bleed missing"),
        ("data_received", "new files"),
        ("data_checked", None),
        ("in_production", None),
    ]:
        order = await ok(runtime, step(shop_id, order, name, note=note), Order)
    no_tracking = await refused(runtime, step(shop_id, order, "shipped"))
    shipped = await ok(
        runtime,
        step(shop_id, order, "shipped", tracking_number="1Z999", provider_invoice_id="PI-77"),
        Order,
    )
    read = await ok(runtime, GetOrder(shop_id=shop_id, order_id=order.order_id), Order)

    assert (no_tracking.status, list(fields_of(no_tracking))) == (422, ["tracking_number"])
    assert [(c.status, c.note) for c in shipped.history] == [
        ("placed", None),
        ("data_received", None),
        ("data_rejected", "bleed missing"),
        ("data_received", "new files"),
        ("data_checked", None),
        ("in_production", None),
        ("shipped", None),
    ]
    assert (shipped.status, shipped.tracking_number) == ("shipped", "1Z999")
    provider = shipped.provider
    assert (provider.tracking_number, provider.provider_invoice_id) == ("1Z999", "PI-77")
    assert provider.provider_pay_method == "sepa"
    assert isinstance(provider.provider_invoice_date, date)
    (issued,) = await events(runtime, InvoiceIssued)
    assert (shipped.invoice_id, shipped.invoice_number) == (
        issued.invoice.invoice_id,
        issued.invoice.invoice_number,
    )
    assert read == shipped
    changes = await events(runtime, OrderStatusChanged)
    assert [(c.previous_status, c.status) for c in changes] == [
        ("placed", "data_received"),
        ("data_received", "data_rejected"),
        ("data_rejected", "data_received"),
        ("data_received", "data_checked"),
        ("data_checked", "in_production"),
        ("in_production", "shipped"),
    ]
    last = changes[-1]
    assert (last.email, last.first_name, last.last_name, last.language) == (
        "ada@example.com",
        "Ada",
        "Lovelace",
        "de",
    )
    assert (last.tracking_number, last.gross_total, last.currency, last.guest) == (
        "1Z999",
        Decimal("54.00"),
        "EUR",
        False,
    )
    assert changes[1].note == "bleed missing"
    generated = await ok(
        runtime,
        step(
            shop_id,
            await _invoice_order_in_production(runtime, shop_id, dora.customer_id),
            "shipped",
            tracking_number="1Z1000",
        ),
        Order,
    )
    assert re.fullmatch(r"PI-[0-9A-F]{10}", generated.provider.provider_invoice_id or "")


async def _invoice_order_in_production(
    runtime: ServiceRuntime, shop_id: UUID, customer_id: UUID
) -> Order:
    cart = await cart_for(runtime, shop_id, customer_id)
    order = await ok(
        runtime, place(shop_id, cart.cart_id, customer_id=customer_id, method="invoice"), Order
    )
    for name in ("data_received", "data_checked", "in_production"):
        order = await ok(runtime, step(shop_id, order, name), Order)
    return order


async def test_impossible_steps_name_the_status_and_a_prepaid_order_waits_for_its_payment(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    eve = await add_customer(runtime, shop_id)
    order = await ok(
        runtime,
        place(
            shop_id,
            (await cart_for(runtime, shop_id, eve.customer_id)).cart_id,
            customer_id=eve.customer_id,
        ),
        Order,
    )
    other = await ok(
        runtime,
        place(
            shop_id,
            (await cart_for(runtime, shop_id, eve.customer_id)).cart_id,
            customer_id=eve.customer_id,
        ),
        Order,
    )

    skipped = await refused(runtime, step(shop_id, order, "in_production"))
    unpaid = await refused(runtime, step(shop_id, order, "data_received"))
    nothing = await refused(
        runtime,
        payment(shop_id, order.order_id, "p0", "0.00", "r"),
    )
    part = await ok(
        runtime,
        payment(shop_id, order.order_id, "p1", "20.00", "psp-1"),
        Order,
    )
    part_again = await ok(
        runtime,
        payment(shop_id, order.order_id, "p1", "20.00", "psp-1"),
        Order,
    )
    key_elsewhere = await refused(
        runtime,
        payment(shop_id, other.order_id, "p1", "20.00", "psp-1"),
    )
    rest = await ok(
        runtime,
        payment(shop_id, order.order_id, "p2", "34.00", "psp-2"),
        Order,
    )
    received = await ok(runtime, step(shop_id, rest, "data_received"), Order)
    unknown = await refused(
        runtime, step(shop_id, order.model_copy(update={"order_id": uuid4()}), "data_received")
    )
    other_shop = await refused(runtime, step(await open_shop(runtime), order, "data_received"))
    no_shop = await refused(runtime, step(uuid4(), order, "data_received"))

    assert (skipped.code, skipped.status, list(fields_of(skipped))) == (
        "invalid_transition",
        409,
        ["step"],
    )
    assert "'placed'" in skipped.detail
    assert (unpaid.code, unpaid.status) == ("awaiting_payment", 409)
    assert (nothing.status, list(fields_of(nothing))) == (422, ["amount"])
    assert (part.payment_status, part.provider.released_at) == ("awaiting_payment", None)
    assert part_again == part
    assert (key_elsewhere.status, list(fields_of(key_elsewhere))) == (422, ["idempotency_key"])
    assert (rest.payment_status, rest.provider.released_at is not None) == ("paid", True)
    assert rest.paid_at is not None
    assert received.status == "data_received"
    amounts = {r.order_id: r.amount_paid for r in await order_rows(runtime, shop_id)}
    assert amounts == {order.order_id: Decimal("54.00"), other.order_id: Decimal("0.00")}
    assert (unknown.code, unknown.status) == ("order_not_found", 404)
    assert (other_shop.code, other_shop.status) == ("order_not_found", 404)
    assert (no_shop.code, no_shop.status) == ("shop_not_ready", 503)


async def test_cancelling_gives_the_voucher_back_until_production_starts(
    runtime: ServiceRuntime,
) -> None:
    shop_id = await open_shop(runtime)
    await put_product(runtime, shop_id)
    fay = await add_customer(runtime, shop_id, b2b=on_invoice("1000.00"))
    cart = await cart_for(runtime, shop_id, fay.customer_id, voucher="SAVE5")
    order = await ok(
        runtime, place(shop_id, cart.cart_id, customer_id=fay.customer_id, method="invoice"), Order
    )
    late = await ok(
        runtime,
        place(
            shop_id,
            (await cart_for(runtime, shop_id, fay.customer_id)).cart_id,
            customer_id=fay.customer_id,
            method="invoice",
        ),
        Order,
    )
    for name in ("data_received", "data_checked", "in_production"):
        late = await ok(runtime, step(shop_id, late, name), Order)

    by_someone_else = await refused(
        runtime,
        CancelOrder(
            shop_id=shop_id, order_id=order.order_id, cancelled_by="customer", customer_id=uuid4()
        ),
    )
    cancelled = await ok(
        runtime,
        CancelOrder(
            shop_id=shop_id,
            order_id=order.order_id,
            cancelled_by="customer",
            customer_id=fay.customer_id,
            reason="ordered twice",
        ),
        Order,
    )
    twice = await refused(
        runtime, CancelOrder(shop_id=shop_id, order_id=order.order_id, cancelled_by="partner")
    )
    too_late = await refused(
        runtime, CancelOrder(shop_id=shop_id, order_id=late.order_id, cancelled_by="operator")
    )
    paid_too_late = await refused(
        runtime,
        payment(shop_id, order.order_id, "p", "1.00", "r"),
    )
    other_customer = await refused(
        runtime, GetOrder(shop_id=shop_id, order_id=late.order_id, customer_id=uuid4())
    )

    assert (by_someone_else.code, by_someone_else.status) == ("order_not_found", 404)
    assert (cancelled.status, cancelled.cancelled_by) == ("cancelled", "customer")
    assert cancelled.cancelled_at is not None
    assert [(c.status, c.note) for c in cancelled.history][-1] == ("cancelled", "ordered twice")
    assert cancelled == await ok(
        runtime,
        GetOrder(shop_id=shop_id, order_id=order.order_id, customer_id=fay.customer_id),
        Order,
    )
    (released,) = [e for e in await events(runtime, OrderStatusChanged) if e.status == "cancelled"]
    assert (released.order_id, released.voucher_code, released.previous_status) == (
        order.order_id,
        "SAVE5",
        "placed",
    )
    assert (twice.code, twice.status) == ("invalid_transition", 409)
    assert "'cancelled'" in twice.detail
    assert (too_late.code, too_late.status) == ("invalid_transition", 409)
    assert "'in_production'" in too_late.detail
    assert (paid_too_late.code, paid_too_late.status) == ("order_cancelled", 409)
    assert (other_customer.code, other_customer.status) == ("order_not_found", 404)
    figures = [e.figures for e in await events(runtime, CustomerBillingChanged)]
    assert (figures[-1].orders_count, figures[-1].outstanding) == (1, Decimal("54.00"))
