"""Billing's events as the notifier receives them (OrderPlaced, OrderStatusChanged, InvoiceIssued),
with figures that add up; import after putting this folder on sys.path."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from contracts.billing.events import InvoiceIssued, OrderPlaced, OrderStatusChanged
from contracts.billing.invoices import Invoice, InvoiceLine, InvoiceParty
from contracts.billing.orders import Order, OrderAddress, OrderStatus, ProviderOrder
from contracts.vouchers.shapes import (
    PriceAdjustment,
    PricedCart,
    PricedLine,
    PricedShipping,
    VatAmount,
    VoucherApplication,
)

WHEN = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
"""16:30 in the shops' zone (Europe/Paris)."""

D = Decimal


def address(**fields: Any) -> OrderAddress:
    values: dict[str, Any] = {
        "name": "Ada Lovelace",
        "company": "Analytical Engines Ltd",
        "line1": "12 rue des Lilas",
        "postcode": "75011",
        "city": "Paris",
        "country": "FR",
    }
    return OrderAddress(**(values | fields))


def priced_cart(product_name: str = "Flyers A5") -> PricedCart:
    """5,000 flyers at 0.045 with 10 % off and a 10.00 voucher, express, shipped; 20 % and 5.5 % VAT."""
    line = PricedLine(
        line_id=uuid4(),
        sku="FLY-A5",
        name=product_name,
        quantity=5000,
        unit_net=D("0.0450"),
        list_net=D("225.00"),
        adjustments=[
            PriceAdjustment(
                kind="customer_discount",
                name="Your discount 10 %",
                percent=D("-10.00"),
                amount=D("-22.50"),
            ),
            PriceAdjustment(kind="voucher", name="Voucher SPRING-10", amount=D("-10.00")),
        ],
        product_net=D("192.50"),
        production_option="express",
        production_option_name="Express (2 days)",
        surcharge_net=D("50.00"),
        net=D("242.50"),
        vat_rate=D("20.00"),
        vat=D("48.50"),
        gross=D("291.00"),
    )
    return PricedCart(
        lines=[line],
        product_subtotal=D("192.50"),
        surcharge_total=D("50.00"),
        voucher=VoucherApplication(
            code="SPRING-10", applied=True, kind="fixed", value=D("10"), amount=D("-10.00")
        ),
        shipping=PricedShipping(
            code="post",
            name="Parcel post",
            net=D("1000.00"),
            vat_rate=D("5.50"),
            vat=D("55.00"),
            gross=D("1055.00"),
        ),
        vat=[
            VatAmount(rate=D("5.50"), net=D("1000.00"), vat=D("55.00")),
            VatAmount(rate=D("20.00"), net=D("242.50"), vat=D("48.50")),
        ],
        net_total=D("1242.50"),
        vat_total=D("103.50"),
        gross_total=D("1346.00"),
    )


def order(**fields: Any) -> Order:
    """A customer's order on invoice; ``guest=True`` with customer fields None for a guest's."""
    values: dict[str, Any] = {
        "order_id": uuid4(),
        "order_number": 1042,
        "customer_id": uuid4(),
        "customer_number": 4711,
        "guest": False,
        "email": f"ada-{uuid4().hex[:8]}@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
        "billing_address": address(),
        "shipping_address": address(company=None, line1="3 quai Voltaire"),
        "payment_method": "invoice",
        "payment_status": "on_invoice",
        "status": "placed",
        "history": [],
        "currency": "EUR",
        "pricing": priced_cart(),
        "cart_id": uuid4(),
        "placed_at": WHEN,
        "provider": ProviderOrder(provider_order_id="PO-4F1C2A9B7E3D", wholesale_net=D("700.00")),
    }
    return Order(**(values | fields))


def guest_order(**fields: Any) -> Order:
    guest: dict[str, Any] = {
        "customer_id": None,
        "customer_number": None,
        "guest": True,
        "payment_method": "card",
        "payment_status": "awaiting_payment",
    }
    return order(**(guest | fields))


def order_placed(shop_id: UUID, **order_fields: Any) -> OrderPlaced:
    return OrderPlaced(shop_id=shop_id, order=order(**order_fields))


def status_changed(shop_id: UUID, status: OrderStatus, **fields: Any) -> OrderStatusChanged:
    values: dict[str, Any] = {
        "shop_id": shop_id,
        "order_id": uuid4(),
        "order_number": 1042,
        "customer_id": uuid4(),
        "guest": False,
        "email": f"ada-{uuid4().hex[:8]}@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
        "previous_status": "placed",
        "status": status,
        "currency": "EUR",
        "gross_total": D("1346.00"),
        "changed_at": WHEN,
    }
    return OrderStatusChanged(**(values | fields))


def invoice(**fields: Any) -> Invoice:
    """Invoice 2026-000123 of order 1042: product, two discounts, surcharge, shipping, two rates."""
    values: dict[str, Any] = {
        "invoice_id": uuid4(),
        "invoice_number": "2026-000123",
        "kind": "invoice",
        "order_id": uuid4(),
        "order_number": 1042,
        "customer_id": uuid4(),
        "buyer": InvoiceParty(
            name="Ada Lovelace",
            company="Analytical Engines Ltd",
            email=f"ada-{uuid4().hex[:8]}@example.com",
            vat_number="FR12345678901",
            customer_number=4711,
            address=address(),
        ),
        "language": "en",
        "currency": "EUR",
        "issued_at": WHEN,
        "issue_date": date(2026, 11, 27),
        "due_date": date(2026, 12, 27),
        "payment_method": "invoice",
        "lines": [
            InvoiceLine(
                kind="product",
                description="Flyers A5, 5000 x",
                sku="FLY-A5",
                quantity=5000,
                unit_net=D("0.0450"),
                net=D("225.00"),
                vat_rate=D("20.00"),
            ),
            InvoiceLine(
                kind="discount", description="Your discount 10 %", net=D("-22.50"), vat_rate=D("20")
            ),
            InvoiceLine(
                kind="discount", description="Voucher SPRING-10", net=D("-10.00"), vat_rate=D("20")
            ),
            InvoiceLine(
                kind="surcharge",
                description="Express (2 days)",
                quantity=5000,
                unit_net=D("0.0100"),
                net=D("50.00"),
                vat_rate=D("20.00"),
            ),
            InvoiceLine(
                kind="shipping", description="Parcel post", net=D("1000.00"), vat_rate=D("5.50")
            ),
        ],
        "vat": [
            VatAmount(rate=D("5.50"), net=D("1000.00"), vat=D("55.00")),
            VatAmount(rate=D("20.00"), net=D("242.50"), vat=D("48.50")),
        ],
        "net_total": D("1242.50"),
        "vat_total": D("103.50"),
        "gross_total": D("1346.00"),
        "status": "unpaid",
    }
    return Invoice(**(values | fields))


def tax_exempt_invoice(**fields: Any) -> Invoice:
    """The same order for a tax-exempt buyer: every line at 0 %, with the reason."""
    base = invoice()
    lines = [line.model_copy(update={"vat_rate": D("0.00")}) for line in base.lines]
    exempt: dict[str, Any] = {
        "lines": lines,
        "vat": [VatAmount(rate=D("0.00"), net=D("1242.50"), vat=D("0.00"))],
        "vat_total": D("0.00"),
        "gross_total": D("1242.50"),
        "tax_exempt": True,
        "vat_exemption_reason": "Intra-community supply, Article 138 VAT Directive",
    }
    return invoice(**(exempt | fields))


def credit_note(**fields: Any) -> Invoice:
    credit: dict[str, Any] = {
        "invoice_number": "2026-000124",
        "kind": "credit_note",
        "credited_invoice_number": "2026-000123",
        "reason": "Damaged in transit",
        "status": "paid",
    }
    return invoice(**(credit | fields))


def invoice_issued(
    shop_id: UUID, issued: Invoice | None = None, first_name: str | None = "Ada", **fields: Any
) -> InvoiceIssued:
    """The event of ``issued``, else of :func:`invoice` with ``fields``."""
    return InvoiceIssued(
        shop_id=shop_id, invoice=issued or invoice(**fields), first_name=first_name
    )
