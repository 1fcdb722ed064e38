"""Issuing invoices and credit notes (B4): numbering, lines, the InvoiceIssued event.

Both run inside the caller's transaction. The number comes from the shop's gap-free
sequence of the year (a row lock held until commit), so a rollback gives it back and
concurrent shipments queue for it: numbers stay 1, 2, 3... with no gap and no duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.customer_figures import publish_figures
from billing.adapters.invoice_records import (
    insert_invoice,
    invoice_from_row,
    issue_date_of,
    load_invoice,
    set_status,
)
from billing.adapters.number_sequences import take_next
from billing.adapters.tables import orders, shops
from billing.domain.invoice_dates import due_date, issue_date, local_date
from billing.domain.invoice_lines import credited_lines, credited_vat, invoice_lines, negate
from billing.domain.invoice_numbers import invoice_number, previous_number, sequence_name
from billing.domain.languages import as_language
from contracts.base import Message
from contracts.billing import Invoice, InvoiceIssued, InvoiceParty, OrderAddress
from contracts.vouchers import PricedCart
from service_runtime.database import UnitOfWork


class OrderNotFound(LookupError):
    """The shop has no such order (the caller checked it first: a wiring mistake)."""


@dataclass(frozen=True)
class Numbered:
    number: str
    issue_date: date


async def take_invoice_number(
    session: AsyncSession, shop_id: UUID, now: datetime, timezone: str
) -> Numbered:
    """The next number of the shop's series for today's year, with its issue date.

    The date never goes before the previous number's (see invoice_dates): that invoice is
    committed by now, because its transaction held the sequence row until it ended.
    """
    today = local_date(now, timezone)
    taken = await take_next(session, shop_id, sequence_name(today.year))
    number = invoice_number(today.year, taken)
    before = previous_number(number)
    previous = await issue_date_of(session, shop_id, before) if before else None
    return Numbered(number, issue_date(today, previous))


def buyer_of(order: Any) -> InvoiceParty:
    """The buyer as the order names them; a pseudonymised order (A9) has no person left."""
    address = OrderAddress.model_validate(order.billing_address) if order.billing_address else None
    person = " ".join(part for part in (order.first_name, order.last_name) if part)
    name = person or (address.name if address else None) or order.company
    if not name:
        name = f"Customer {str(order.pseudonym_id)[:8]}" if order.pseudonym_id else "Customer"
    return InvoiceParty(
        name=name,
        company=order.company,
        email=order.email,
        vat_number=order.vat_number,
        customer_number=order.customer_number,
        address=address,
    )


async def invoice_order(uow: UnitOfWork, cause: Message, order_id: UUID, now: datetime) -> Invoice:
    """Issue the invoice of a shipped order inside the caller's transaction.

    Idempotent: an order already invoiced returns its invoice and issues nothing.
    """
    session = uow.session
    order = (
        await session.execute(
            select(orders, shops.c.timezone)
            .join(shops, shops.c.shop_id == orders.c.shop_id)
            .where(orders.c.shop_id == cause.shop_id, orders.c.order_id == order_id)
            .with_for_update(of=orders)
        )
    ).first()
    if order is None:
        raise OrderNotFound(f"no order {order_id} in shop {cause.shop_id}")
    if order.invoice_id is not None:
        existing = await load_invoice(session, cause.shop_id, order.invoice_id)
        if existing is not None:
            return invoice_from_row(existing)
    numbered = await take_invoice_number(session, cause.shop_id, now, order.timezone)
    language = as_language(order.language)
    pricing = PricedCart.model_validate(order.pricing)
    prepaid = order.payment_status == "paid"
    invoice = Invoice(
        invoice_id=uuid4(),
        invoice_number=numbered.number,
        kind="invoice",
        order_id=order.order_id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        buyer=buyer_of(order),
        language=language,
        currency=order.currency,
        issued_at=now,
        issue_date=numbered.issue_date,
        due_date=due_date(
            numbered.issue_date,
            order.payment_terms_days if order.payment_method == "invoice" else 0,
        ),
        payment_method=order.payment_method,
        lines=invoice_lines(pricing, language),
        vat=pricing.vat,
        net_total=pricing.net_total,
        vat_total=pricing.vat_total,
        gross_total=pricing.gross_total,
        tax_exempt=pricing.tax_exempt,
        vat_exemption_reason=pricing.vat_exemption_reason,
        status="paid" if prepaid else "unpaid",
        paid_on=(
            (local_date(order.paid_at, order.timezone) if order.paid_at else numbered.issue_date)
            if prepaid
            else None
        ),
    )
    await insert_invoice(session, cause.shop_id, invoice, credited_invoice_id=None)
    await session.execute(
        update(orders)
        .where(orders.c.shop_id == cause.shop_id, orders.c.order_id == order_id)
        .values(invoice_id=invoice.invoice_id)
    )
    uow.emit(InvoiceIssued.caused_by(cause, invoice=invoice, first_name=order.first_name))
    await publish_figures(uow, cause, order.customer_id, now)
    return invoice


async def credit_invoice(
    uow: UnitOfWork, cause: Message, invoice_row: Any, reason: str, now: datetime, timezone: str
) -> Invoice:
    """Issue a credit note for all of ``invoice_row`` (locked, checked creditable by the
    caller) and mark that invoice credited, in the caller's transaction."""
    session = uow.session
    credited = invoice_from_row(invoice_row)
    numbered = await take_invoice_number(session, cause.shop_id, now, timezone)
    note = credited.model_copy(
        update={
            "invoice_id": uuid4(),
            "invoice_number": numbered.number,
            "kind": "credit_note",
            "credited_invoice_number": credited.invoice_number,
            "reason": reason,
            "issued_at": now,
            "issue_date": numbered.issue_date,
            "due_date": numbered.issue_date,
            "lines": credited_lines(credited.lines),
            "vat": credited_vat(credited.vat),
            "net_total": negate(credited.net_total),
            "vat_total": negate(credited.vat_total),
            "gross_total": negate(credited.gross_total),
            "status": "paid",
            "paid_on": None,
        }
    )
    # model_copy skips validation: validate the note as a whole before it is stored.
    note = Invoice.model_validate(note.model_dump())
    await insert_invoice(session, cause.shop_id, note, credited_invoice_id=credited.invoice_id)
    await set_status(session, cause.shop_id, credited.invoice_id, "credited")
    first_name = await session.scalar(
        select(orders.c.first_name).where(
            orders.c.shop_id == cause.shop_id, orders.c.order_id == credited.order_id
        )
    )
    uow.emit(InvoiceIssued.caused_by(cause, invoice=note, first_name=first_name))
    await publish_figures(uow, cause, invoice_row.customer_id, now)
    return note
