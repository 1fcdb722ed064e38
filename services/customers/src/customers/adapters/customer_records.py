"""Reads shop customers as contract snapshots and announces their changes (CustomerChanged).

Every change to a shop customer, or to the identity behind it, goes through
``announce_changes``: it bumps the record's revision in the same transaction and puts a
CustomerChanged with the whole record in the outbox, so consumers can keep the newest
revision whatever order events arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Row, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import Message
from contracts.customers import B2BTerms, CustomerChanged, CustomerSnapshot, PostalAddress
from customers.adapters.tables import identities, shop_customers
from service_runtime.database import UnitOfWork

RECORD_COLUMNS = (
    shop_customers.c.customer_id,
    shop_customers.c.shop_id,
    shop_customers.c.identity_id,
    shop_customers.c.customer_number,
    shop_customers.c.revision,
    shop_customers.c.source,
    shop_customers.c.registered_at,
    shop_customers.c.newsletter,
    shop_customers.c.newsletter_consent_at,
    shop_customers.c.tax_exempt,
    shop_customers.c.group_id,
    shop_customers.c.denied,
    shop_customers.c.credit_limit,
    shop_customers.c.payment_terms_days,
    shop_customers.c.risk_level,
    shop_customers.c.pays_by_invoice,
    shop_customers.c.last_login_at,
    identities.c.email,
    identities.c.email_verified_at,
    identities.c.password_hash,
    identities.c.first_name,
    identities.c.last_name,
    identities.c.language,
    identities.c.phone,
    identities.c.address_line1,
    identities.c.address_line2,
    identities.c.address_postcode,
    identities.c.address_city,
    identities.c.address_region,
    identities.c.address_country,
    identities.c.company,
    identities.c.vat_number,
    identities.c.registration_number,
    identities.c.profile_changed_at,
)


def select_records() -> Select[tuple[object, ...]]:
    """Shop customers joined with their identities, every column a snapshot needs."""
    return select(*RECORD_COLUMNS).join(
        identities, identities.c.identity_id == shop_customers.c.identity_id
    )


def address_columns(address: PostalAddress | None) -> dict[str, str | None]:
    """The identity table's address columns for ``address`` (all None clears it)."""
    return {
        "address_line1": address.line1 if address else None,
        "address_line2": address.line2 if address else None,
        "address_postcode": address.postcode if address else None,
        "address_city": address.city if address else None,
        "address_region": address.region if address else None,
        "address_country": address.country if address else None,
    }


def snapshot_of(row: Row[tuple[object, ...]]) -> CustomerSnapshot:
    r = row._mapping
    address = (
        PostalAddress(
            line1=r["address_line1"],
            line2=r["address_line2"],
            postcode=r["address_postcode"],
            city=r["address_city"],
            region=r["address_region"],
            country=r["address_country"],
        )
        if r["address_country"]
        else None
    )
    return CustomerSnapshot(
        customer_id=r["customer_id"],
        identity_id=r["identity_id"],
        customer_number=r["customer_number"],
        revision=r["revision"],
        email=r["email"],
        email_verified=r["email_verified_at"] is not None,
        first_name=r["first_name"],
        last_name=r["last_name"],
        language=r["language"],
        phone=r["phone"],
        address=address,
        company=r["company"],
        vat_number=r["vat_number"],
        registration_number=r["registration_number"],
        newsletter=r["newsletter"],
        newsletter_consent_at=r["newsletter_consent_at"],
        tax_exempt=r["tax_exempt"],
        group_id=r["group_id"],
        denied=r["denied"],
        b2b=B2BTerms(
            credit_limit=r["credit_limit"],
            payment_terms_days=r["payment_terms_days"],
            risk_level=r["risk_level"],
            pays_by_invoice=r["pays_by_invoice"],
        ),
        registered_at=r["registered_at"],
        profile_changed_at=r["profile_changed_at"],
        source=r["source"],
    )


async def load_record(
    session: AsyncSession, shop_id: UUID, customer_id: UUID, *, lock: bool = False
) -> Row[tuple[object, ...]] | None:
    """One customer of one shop (another shop's customer is None: callers answer 404)."""
    statement = select_records().where(
        shop_customers.c.shop_id == shop_id, shop_customers.c.customer_id == customer_id
    )
    if lock:
        statement = statement.with_for_update(of=shop_customers)
    return (await session.execute(statement)).first()


async def records_of_identity(session: AsyncSession, identity_id: UUID) -> list[UUID]:
    """Every shop record of a person: a profile change concerns each of them."""
    found = await session.scalars(
        select(shop_customers.c.customer_id).where(shop_customers.c.identity_id == identity_id)
    )
    return list(found)


async def announce_changes(
    uow: UnitOfWork, cause: Message, customer_ids: Iterable[UUID]
) -> dict[UUID, CustomerSnapshot]:
    """Bump each record's revision and emit CustomerChanged with its shop's id; returns them."""
    ids: Sequence[UUID] = sorted(set(customer_ids))
    if not ids:
        return {}
    session = uow.session
    await session.execute(
        update(shop_customers)
        .where(shop_customers.c.customer_id.in_(ids))
        .values(revision=shop_customers.c.revision + 1, updated_at=datetime.now(UTC))
    )
    rows = (
        await session.execute(select_records().where(shop_customers.c.customer_id.in_(ids)))
    ).all()
    snapshots: dict[UUID, CustomerSnapshot] = {}
    for row in rows:
        snapshot = snapshot_of(row)
        snapshots[snapshot.customer_id] = snapshot
        uow.emit(
            CustomerChanged.caused_by(cause, shop_id=row._mapping["shop_id"], customer=snapshot)
        )
    return snapshots
