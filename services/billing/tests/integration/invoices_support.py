"""What the invoice tests share: shops, customers and shipped orders inserted as rows (the
orders side is not needed to invoice one), issuing through the runtime's unit of work."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import insert, select, update

from billing.adapters.invoicing import invoice_order
from billing.adapters.tables import customers, invoices, orders, shops
from contracts.billing import AdvanceOrder, Invoice
from contracts.vouchers import (
    AdjustmentKind,
    PriceAdjustment,
    PricedCart,
    PricedLine,
    PricedShipping,
    VatAmount,
)
from service_runtime.service import ServiceRuntime

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ORDER_NUMBERS = itertools.count(1)
CUSTOMER_NUMBERS = itertools.count(1)
PLACED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def q(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _line(
    name: str,
    quantity: int,
    unit_net: str,
    steps: list[tuple[AdjustmentKind, str, str]],
    surcharge: str,
    vat_rate: str,
) -> PricedLine:
    list_net = q(Decimal(unit_net) * quantity)
    adjustments = [
        PriceAdjustment(kind=kind, name=label, amount=Decimal(amount))
        for kind, label, amount in steps
    ]
    product_net = max(ZERO, list_net + sum((a.amount for a in adjustments), ZERO))
    net = product_net + Decimal(surcharge)
    vat = q(net * Decimal(vat_rate) / 100)
    return PricedLine(
        line_id=uuid4(),
        sku=name.upper(),
        name=name,
        quantity=quantity,
        unit_net=Decimal(unit_net),
        list_net=list_net,
        adjustments=adjustments,
        product_net=product_net,
        production_option="express" if Decimal(surcharge) else "standard",
        production_option_name="Express" if Decimal(surcharge) else "Standard",
        surcharge_net=Decimal(surcharge),
        net=net,
        vat_rate=Decimal(vat_rate),
        vat=vat,
        gross=net + vat,
    )


def pricing(quantity: int = 250, *, tax_exempt: bool = False) -> PricedCart:
    """The worked example of the pricing docs (at 250 flyers): group, personal discount and
    voucher on two VAT rates, an express surcharge and shipping. Net 61.13, gross 69.01."""
    rate_flyers, rate_books, rate_post = (
        ("0.00", "0.00", "0.00") if tax_exempt else ("20.00", "5.50", "20.00")
    )
    flyers = _line(
        "Flyers",
        quantity,
        "0.1234",
        [
            ("group", "Customer -5%", "-1.54"),
            ("customer_discount", "Personal discount 10%", "-2.93"),
            ("voucher", "Voucher SPRING10", "-2.64"),
        ],
        q(Decimal("0.0100") * quantity).to_eng_string(),
        rate_flyers,
    )
    books = _line(
        "Books",
        3,
        "12.99",
        [
            ("group", "Customer -5%", "-1.95"),
            ("customer_discount", "Personal discount 10%", "-3.70"),
            ("voucher", "Voucher SPRING10", "-3.33"),
        ],
        "0.00",
        rate_books,
    )
    post_vat = q(Decimal("4.90") * Decimal(rate_post) / 100)
    shipping = PricedShipping(
        code="post",
        name="Standard post",
        net=Decimal("4.90"),
        vat_rate=Decimal(rate_post),
        vat=post_vat,
        gross=Decimal("4.90") + post_vat,
    )
    per_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for rate, net, vat in [
        (flyers.vat_rate, flyers.net, flyers.vat),
        (books.vat_rate, books.net, books.vat),
        (shipping.vat_rate, shipping.net, shipping.vat),
    ]:
        before = per_rate.get(rate, (ZERO, ZERO))
        per_rate[rate] = (before[0] + net, before[1] + vat)
    net_total = flyers.net + books.net + shipping.net
    vat_total = flyers.vat + books.vat + shipping.vat
    return PricedCart(
        lines=[flyers, books],
        product_subtotal=flyers.product_net + books.product_net,
        surcharge_total=flyers.surcharge_net,
        shipping=shipping,
        vat=[VatAmount(rate=r, net=n, vat=v) for r, (n, v) in sorted(per_rate.items())],
        net_total=net_total,
        vat_total=vat_total,
        gross_total=net_total + vat_total,
        tax_exempt=tax_exempt,
        vat_exemption_reason="Reverse charge: VAT due by the buyer" if tax_exempt else None,
    )


async def seed_shop(
    runtime: ServiceRuntime, *, timezone: str = "Europe/Paris", currency: str = "EUR"
) -> UUID:
    shop_id = uuid4()
    async with runtime.sessions() as session:
        await session.execute(
            insert(shops).values(
                shop_id=shop_id,
                currency=currency,
                timezone=timezone,
                opened_at=PLACED,
                default_language="en",
                provider_pay_method="direct_debit",
            )
        )
        await session.commit()
    return shop_id


async def seed_customer(
    runtime: ServiceRuntime,
    shop_id: UUID,
    *,
    first_name: str = "Nina",
    last_name: str = "Meyer",
    company: str | None = "Meyer Druck GmbH",
    credit_limit: str = "500.00",
    payment_terms_days: int = 30,
) -> UUID:
    customer_id = uuid4()
    async with runtime.sessions() as session:
        await session.execute(
            insert(customers).values(
                customer_id=customer_id,
                shop_id=shop_id,
                revision=1,
                customer_number=next(CUSTOMER_NUMBERS),
                email=f"{first_name.lower()}@example.com",
                first_name=first_name,
                last_name=last_name,
                language="de",
                company=company,
                vat_number="DE123456789" if company else None,
                address=None,
                tax_exempt=False,
                pays_by_invoice=True,
                credit_limit=Decimal(credit_limit),
                payment_terms_days=payment_terms_days,
                risk_level="low",
            )
        )
        await session.commit()
    return customer_id


ADDRESS = {
    "name": "Nina Meyer",
    "company": "Meyer Druck GmbH",
    "line1": "Hauptstraße 5",
    "postcode": "10115",
    "city": "Berlin",
    "country": "DE",
}


async def seed_order(
    runtime: ServiceRuntime,
    shop_id: UUID,
    customer_id: UUID | None = None,
    *,
    priced: PricedCart | None = None,
    payment_method: str = "invoice",
    paid_at: datetime | None = None,
    payment_terms_days: int = 30,
    status: str = "shipped",
    wholesale_net: str = "21.40",
    provider_invoice_date: str | None = "2026-03-10",
    first_name: str = "Nina",
) -> UUID:
    """An order as the orders side leaves it at shipment (status, provider invoice fields)."""
    cart = priced or pricing()
    order_id = uuid4()
    prepaid = payment_method != "invoice"
    async with runtime.sessions() as session:
        await session.execute(
            insert(orders).values(
                order_id=order_id,
                shop_id=shop_id,
                order_number=next(ORDER_NUMBERS),
                idempotency_key=str(order_id),
                cart_id=uuid4(),
                customer_id=customer_id,
                customer_number=7 if customer_id else None,
                guest=customer_id is None,
                email="nina@example.com",
                first_name=first_name,
                last_name="Meyer",
                company="Meyer Druck GmbH",
                vat_number="DE123456789",
                language="de",
                billing_address=ADDRESS,
                shipping_address=ADDRESS,
                payment_method=payment_method,
                payment_status=("paid" if paid_at else "awaiting_payment")
                if prepaid
                else "on_invoice",
                amount_paid=cart.gross_total if paid_at else ZERO,
                paid_at=paid_at,
                payment_terms_days=0 if prepaid else payment_terms_days,
                status=status,
                history=[],
                currency="EUR",
                pricing=cart.model_dump(mode="json"),
                net_total=cart.net_total,
                vat_total=cart.vat_total,
                gross_total=cart.gross_total,
                placed_at=PLACED,
                provider_order_id=f"PO-{uuid4().hex[:12].upper()}",
                wholesale_net=Decimal(wholesale_net),
                provider_invoice_id=f"PI-{uuid4().hex[:10].upper()}"
                if provider_invoice_date
                else None,
                provider_invoice_date=datetime.fromisoformat(provider_invoice_date).date()
                if provider_invoice_date
                else None,
                provider_pay_method="direct_debit" if provider_invoice_date else None,
            )
        )
        await session.commit()
    return order_id


def shipped(shop_id: UUID, order_id: UUID) -> AdvanceOrder:
    """The command that invoices an order (the orders side calls invoice_order for it)."""
    return AdvanceOrder(shop_id=shop_id, order_id=order_id, step="shipped", tracking_number="T-1")


async def issue(runtime: ServiceRuntime, shop_id: UUID, order_id: UUID, now: datetime) -> Invoice:
    """Invoice one order in a transaction of its own, as the shipped step does."""
    async with runtime.unit_of_work() as uow:
        invoice = await invoice_order(uow, shipped(shop_id, order_id), order_id, now)
        await uow.commit()
    return invoice


async def invoice_row(runtime: ServiceRuntime, invoice_id: UUID) -> Any:
    async with runtime.sessions() as session:
        return (
            await session.execute(select(invoices).where(invoices.c.invoice_id == invoice_id))
        ).first()


async def order_row(runtime: ServiceRuntime, order_id: UUID) -> Any:
    async with runtime.sessions() as session:
        return (await session.execute(select(orders).where(orders.c.order_id == order_id))).first()


async def set_invoice(runtime: ServiceRuntime, invoice_id: UUID, **values: Any) -> None:
    """Change an invoice row behind the service's back (e.g. an earlier due date)."""
    async with runtime.sessions() as session:
        await session.execute(
            update(invoices).where(invoices.c.invoice_id == invoice_id).values(**values)
        )
        await session.commit()
