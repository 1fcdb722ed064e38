"""Billing's copy of the shop customers (B2 terms, language, address) and forgetting them (A9).

Snapshots are state-carrying: the highest revision wins, whatever order they arrive in. A
customer deleted once (``deleted_customers``) is never brought back by a late event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import (
    customers,
    deleted_customers,
    invoices,
    orders,
    placements,
)
from billing.domain.languages import as_language
from contracts.billing import OrderAddress
from contracts.customers import CustomerRegistered, CustomerSnapshot, PostalAddress
from contracts.gateway import Language


@dataclass(frozen=True)
class BillingCustomer:
    """What an order needs to know about its customer."""

    customer_id: UUID
    customer_number: int
    email: str
    first_name: str
    last_name: str
    language: Language
    company: str | None
    vat_number: str | None
    address: PostalAddress | None
    pays_by_invoice: bool
    credit_limit: Decimal
    payment_terms_days: int

    @property
    def billing_address(self) -> OrderAddress | None:
        """The address on file as an order prints it, in the customer's name."""
        if self.address is None:
            return None
        return OrderAddress(
            name=f"{self.first_name} {self.last_name}".strip(),
            company=self.company,
            line1=self.address.line1,
            line2=self.address.line2,
            postcode=self.address.postcode,
            city=self.address.city,
            region=self.address.region,
            country=self.address.country,
        )


SNAPSHOT_COLUMNS = (
    "revision",
    "customer_number",
    "email",
    "first_name",
    "last_name",
    "language",
    "company",
    "vat_number",
    "address",
    "tax_exempt",
    "pays_by_invoice",
    "credit_limit",
    "payment_terms_days",
    "risk_level",
)
"""What a snapshot sets; ``figures_revision`` belongs to billing and is never overwritten."""


def _snapshot_values(snapshot: CustomerSnapshot) -> dict[str, Any]:
    return {
        "revision": snapshot.revision,
        "customer_number": snapshot.customer_number,
        "email": snapshot.email,
        "first_name": snapshot.first_name,
        "last_name": snapshot.last_name,
        "language": snapshot.language,
        "company": snapshot.company,
        "vat_number": snapshot.vat_number,
        "address": snapshot.address.model_dump(mode="json") if snapshot.address else None,
        "tax_exempt": snapshot.tax_exempt,
        "pays_by_invoice": snapshot.b2b.pays_by_invoice,
        "credit_limit": snapshot.b2b.credit_limit,
        "payment_terms_days": snapshot.b2b.payment_terms_days,
        "risk_level": snapshot.b2b.risk_level,
    }


def newest_per_customer(snapshots: Iterable[CustomerSnapshot]) -> list[CustomerSnapshot]:
    """One snapshot per customer, the highest revision: an import chunk may hold one twice."""
    newest: dict[UUID, CustomerSnapshot] = {}
    for snapshot in snapshots:
        kept = newest.get(snapshot.customer_id)
        if kept is None or snapshot.revision > kept.revision:
            newest[snapshot.customer_id] = snapshot
    return sorted(newest.values(), key=lambda s: s.customer_id)


async def _deleted_ids(session: AsyncSession, customer_ids: list[UUID]) -> set[UUID]:
    rows = await session.scalars(
        select(deleted_customers.c.customer_id).where(
            deleted_customers.c.customer_id.in_(customer_ids)
        )
    )
    return set(rows)


async def save_snapshots(
    session: AsyncSession, shop_id: UUID, snapshots: Iterable[CustomerSnapshot]
) -> None:
    """Insert or update each customer to its snapshot unless a newer one is kept (the
    figures' revision stays billing's); deleted customers are skipped.

    One statement, sorted by id, so two chunks touching the same customers lock them in the
    same order.
    """
    newest = newest_per_customer(snapshots)
    if not newest:
        return
    gone = await _deleted_ids(session, [s.customer_id for s in newest])
    rows = [
        {"customer_id": s.customer_id, "shop_id": shop_id, **_snapshot_values(s)}
        for s in newest
        if s.customer_id not in gone
    ]
    if not rows:
        return
    statement = insert(customers).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[customers.c.customer_id],
            set_={name: statement.excluded[name] for name in SNAPSHOT_COLUMNS},
            where=(customers.c.revision < statement.excluded.revision)
            & (customers.c.shop_id == statement.excluded.shop_id),
        )
    )


async def save_registration(session: AsyncSession, event: CustomerRegistered) -> None:
    """A new customer at revision 0 with default terms; any snapshot already kept wins."""
    if await _deleted_ids(session, [event.customer_id]):
        return
    await session.execute(
        insert(customers)
        .values(
            customer_id=event.customer_id,
            shop_id=event.shop_id,
            revision=0,
            customer_number=event.customer_number,
            email=event.email,
            first_name=event.first_name,
            last_name=event.last_name,
            language=event.language,
            company=event.company,
            vat_number=None,
            address=None,
            tax_exempt=False,
            pays_by_invoice=False,
            credit_limit=Decimal("0.00"),
            payment_terms_days=0,
            risk_level="none",
        )
        .on_conflict_do_nothing(index_elements=[customers.c.customer_id])
    )


def _customer(row: Any) -> BillingCustomer:
    return BillingCustomer(
        customer_id=row.customer_id,
        customer_number=row.customer_number,
        email=row.email,
        first_name=row.first_name,
        last_name=row.last_name,
        language=as_language(row.language),
        company=row.company,
        vat_number=row.vat_number,
        address=None if row.address is None else PostalAddress.model_validate(row.address),
        pays_by_invoice=row.pays_by_invoice,
        credit_limit=row.credit_limit,
        payment_terms_days=row.payment_terms_days,
    )


async def load_customer(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, *, lock: bool = False
) -> BillingCustomer | None:
    """The shop's customer as billing knows them; ``lock`` holds the row until commit, so
    two invoice orders of one customer are checked against the credit limit one at a time."""
    query = select(customers).where(
        customers.c.shop_id == shop_id, customers.c.customer_id == customer_id
    )
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return None if row is None else _customer(row)


async def was_deleted(session: AsyncSession, shop_id: UUID, customer_id: UUID) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    deleted_customers.c.shop_id == shop_id,
                    deleted_customers.c.customer_id == customer_id,
                )
            )
        )
    )


async def pseudonymise(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, pseudonym_id: UUID
) -> int:
    """Orders keep their amounts (revenue still adds up) but no longer name the person;
    invoice rows lose the link, their documents stay as issued. Returns the orders changed."""
    changed = await session.execute(
        update(orders)
        .where(orders.c.shop_id == shop_id, orders.c.customer_id == customer_id)
        .values(
            customer_id=None,
            customer_number=None,
            pseudonym_id=pseudonym_id,
            email=None,
            first_name=None,
            last_name=None,
            company=None,
            vat_number=None,
            billing_address=None,
            shipping_address=None,
        )
        .returning(orders.c.order_id)
    )
    await session.execute(
        update(invoices)
        .where(invoices.c.shop_id == shop_id, invoices.c.customer_id == customer_id)
        .values(customer_id=None)
    )
    await session.execute(
        update(placements)
        .where(placements.c.shop_id == shop_id, placements.c.customer_id == customer_id)
        .values(customer_id=None)
    )
    return len(changed.all())


async def forget_customer(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, pseudonym_id: UUID, at: datetime
) -> None:
    """The copy goes; the tombstone keeps late snapshots from bringing it back."""
    await session.execute(
        delete(customers).where(
            customers.c.shop_id == shop_id, customers.c.customer_id == customer_id
        )
    )
    await session.execute(
        insert(deleted_customers)
        .values(customer_id=customer_id, shop_id=shop_id, pseudonym_id=pseudonym_id, deleted_at=at)
        .on_conflict_do_nothing(index_elements=[deleted_customers.c.customer_id])
    )
