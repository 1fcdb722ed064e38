"""Shapes of invoices and credit notes (B4), the outstanding list (P7) and the revenue export (B6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.billing.orders import OrderAddress, PaymentMethod
from contracts.billing.shapes import Shape
from contracts.gateway import Language
from contracts.money import Money, UnitPrice, VatRate
from contracts.vouchers.shapes import VatAmount

InvoiceKind = Literal["invoice", "credit_note"]
InvoiceStatus = Literal["unpaid", "paid", "overdue", "credited"]
"""A credit note is always 'paid' (nothing is owed on it); a credited invoice is settled by it."""

InvoiceLineKind = Literal["product", "discount", "surcharge", "shipping"]

INVOICE_NUMBER_PATTERN = r"^[0-9]{4}-[0-9]{6}$"


class InvoiceLine(Shape):
    """A printed line. Discounts (group, customer, voucher) are lines of their own, negative."""

    kind: InvoiceLineKind
    description: str = Field(examples=["Flyers A5, 500 x", "Voucher SPRING-10"])
    sku: str | None = None
    quantity: int | None = None
    unit_net: UnitPrice | None = None
    net: Money
    vat_rate: VatRate


class InvoiceParty(Shape):
    """The buyer as the invoice names them (kept as issued, also after pseudonymisation)."""

    name: str
    company: str | None = None
    email: str | None = None
    vat_number: str | None = None
    customer_number: int | None = None
    address: OrderAddress | None = None


class Invoice(Shape):
    """An issued invoice or credit note: never changed, only paid, overdue or credited."""

    invoice_id: UUID
    invoice_number: str = Field(pattern=INVOICE_NUMBER_PATTERN, examples=["2026-000123"])
    kind: InvoiceKind
    credited_invoice_number: str | None = Field(
        default=None, description="For a credit note: the invoice it corrects."
    )
    reason: str | None = Field(default=None, description="For a credit note: why.")
    order_id: UUID
    order_number: int
    customer_id: UUID | None = Field(description="None: a guest, or pseudonymised (A9).")
    buyer: InvoiceParty
    language: Language
    currency: str
    issued_at: AwareDatetime
    issue_date: date = Field(description="In the shop's time zone.")
    due_date: date = Field(description="Issue date plus the customer's payment terms.")
    payment_method: PaymentMethod
    lines: list[InvoiceLine]
    vat: list[VatAmount] = Field(description="One entry per rate, ascending.")
    net_total: Money
    vat_total: Money
    gross_total: Money
    tax_exempt: bool = False
    vat_exemption_reason: str | None = None
    status: InvoiceStatus
    paid_on: date | None = None


class InvoiceSummary(Shape):
    invoice_id: UUID
    invoice_number: str
    kind: InvoiceKind
    order_id: UUID
    order_number: int
    customer_id: UUID | None
    buyer_name: str
    currency: str
    issue_date: date
    due_date: date
    gross_total: Money
    status: InvoiceStatus
    paid_on: date | None = None


class InvoicePage(Shape):
    items: list[InvoiceSummary]
    total: int
    page: int
    size: int


class OutstandingCustomer(Shape):
    """P7: what one customer owes against the credit limit."""

    customer_id: UUID
    customer_number: int | None
    name: str
    company: str | None = None
    unpaid_invoices: int
    overdue_invoices: int
    unpaid_total: Money = Field(description="Gross of unpaid and overdue invoices.")
    not_invoiced_total: Money = Field(description="Gross of orders on invoice not invoiced yet.")
    outstanding: Money = Field(description="unpaid_total + not_invoiced_total.")
    credit_limit: Money
    over_limit: bool


class Outstanding(Shape):
    currency: str
    customers: list[OutstandingCustomer] = Field(description="Largest outstanding first.")
    total: Money


class RevenueRow(Shape):
    """One row of the monthly revenue export (B6): an order invoiced (or credited) that month.

    Revenues are net; a credit note's row carries negative revenues.
    """

    provider_invoice_id: str | None
    provider_invoice_date: date | None
    provider_order_revenue: Money
    provider_order_id: str
    provider_pay_method: str | None
    shop_invoice_id: str
    shop_order_id: int
    shop_order_revenue: Money
    shop_pay_method: PaymentMethod


class RevenuePage(Shape):
    """A slice of a month's rows in invoice-number order; ask again with ``next_after``."""

    currency: str
    rows: list[RevenueRow]
    next_after: str | None = Field(description="None: this was the last slice.")


class CustomerBillingFigures(Shape):
    """B7 and P7 figures of one customer, as they are after a change."""

    orders_count: int = Field(ge=0, description="Orders not cancelled.")
    order_revenue_net: Money = Field(description="Net total of orders not cancelled.")
    unpaid_invoices: int = Field(ge=0, description="Unpaid and overdue invoices.")
    unpaid_total: Money
    outstanding: Money = Field(description="Unpaid invoices plus orders on invoice not invoiced.")
    credit_limit: Money = Decimal("0.00")


__all__ = [
    "INVOICE_NUMBER_PATTERN",
    "CustomerBillingFigures",
    "Invoice",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceLineKind",
    "InvoicePage",
    "InvoiceParty",
    "InvoiceStatus",
    "InvoiceSummary",
    "Outstanding",
    "OutstandingCustomer",
    "RevenuePage",
    "RevenueRow",
]
