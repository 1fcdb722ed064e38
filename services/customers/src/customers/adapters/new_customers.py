"""Creates identities and shop records: registration, partner creation and shared login (A6).

A new shop record gets the shop's next customer number, goes into the shop's 'customer'
group unless told otherwise, and is announced: CustomerRegistered, then its first
CustomerChanged (revision 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import Message
from contracts.customers import B2BTerms, CustomerRegistered, CustomerSnapshot, PostalAddress
from contracts.customers.shapes import RegistrationSource
from customers.adapters.customer_numbers import next_customer_number
from customers.adapters.customer_records import address_columns, announce_changes
from customers.adapters.tables import customer_groups, identities, shop_customers
from service_runtime.database import UnitOfWork

IDENTITY_PROFILE_COLUMNS = (
    "first_name",
    "last_name",
    "language",
    "phone",
    "company",
    "vat_number",
    "registration_number",
)


def identity_profile_columns(profile: Mapping[str, object]) -> dict[str, object]:
    """Identity columns for checked profile values (see registration_input.profile_values)."""
    address = profile.get("address")
    columns: dict[str, object] = {name: profile.get(name) for name in IDENTITY_PROFILE_COLUMNS}
    columns.update(address_columns(address if isinstance(address, PostalAddress) else None))
    return columns


async def insert_identity(
    session: AsyncSession,
    *,
    email: str,
    profile: Mapping[str, object],
    password_hash: str | None,
    verified_at: datetime | None,
    now: datetime,
) -> UUID | None:
    """The new identity's id; None when the email is someone's already (even one made a moment
    ago by a concurrent request)."""
    statement = (
        insert(identities)
        .values(
            identity_id=uuid4(),
            email=email,
            password_hash=password_hash,
            email_verified_at=verified_at,
            created_at=now,
            profile_changed_at=now,
            **identity_profile_columns(profile),
        )
        .on_conflict_do_nothing(index_elements=[identities.c.email])
        .returning(identities.c.identity_id)
    )
    identity_id: UUID | None = (await session.execute(statement)).scalar_one_or_none()
    return identity_id


@dataclass(frozen=True)
class ShopTerms:
    """Shop-level fields of a new record; a None group means the shop's 'customer' group."""

    newsletter: bool = False
    tax_exempt: bool = False
    group_id: UUID | None = None
    b2b: B2BTerms = field(default_factory=B2BTerms)


async def default_group(session: AsyncSession, shop_id: UUID) -> UUID | None:
    """The shop's 'customer' group, None if the shop has none (e.g. it was deleted)."""
    group_id: UUID | None = await session.scalar(
        select(customer_groups.c.group_id).where(
            customer_groups.c.shop_id == shop_id, customer_groups.c.system_key == "customer"
        )
    )
    return group_id


async def add_shop_record(
    uow: UnitOfWork,
    cause: Message,
    *,
    shop_id: UUID,
    identity_id: UUID,
    source: RegistrationSource,
    now: datetime,
    terms: ShopTerms | None = None,
) -> CustomerSnapshot | None:
    """Create and announce the person's record in ``shop_id``.

    None when the person has a record there already: the caller must then refuse, which rolls
    back the customer number taken here.
    """
    terms = terms or ShopTerms()
    session = uow.session
    number = await next_customer_number(session, shop_id)
    group_id = terms.group_id or await default_group(session, shop_id)
    customer_id: UUID | None = (
        await session.execute(
            insert(shop_customers)
            .values(
                customer_id=uuid4(),
                shop_id=shop_id,
                identity_id=identity_id,
                customer_number=number,
                registered_at=now,
                updated_at=now,
                source=source,
                revision=0,
                newsletter=terms.newsletter,
                newsletter_consent_at=now if terms.newsletter else None,
                tax_exempt=terms.tax_exempt,
                group_id=group_id,
                credit_limit=terms.b2b.credit_limit,
                payment_terms_days=terms.b2b.payment_terms_days,
                risk_level=terms.b2b.risk_level,
                pays_by_invoice=terms.b2b.pays_by_invoice,
            )
            .on_conflict_do_nothing(
                index_elements=[shop_customers.c.shop_id, shop_customers.c.identity_id]
            )
            .returning(shop_customers.c.customer_id)
        )
    ).scalar_one_or_none()
    if customer_id is None:
        return None
    person = (
        await session.execute(
            select(
                identities.c.email,
                identities.c.first_name,
                identities.c.last_name,
                identities.c.language,
                identities.c.email_verified_at,
                identities.c.company,
            ).where(identities.c.identity_id == identity_id)
        )
    ).one()
    uow.emit(
        CustomerRegistered.caused_by(
            cause,
            shop_id=shop_id,
            customer_id=customer_id,
            identity_id=identity_id,
            customer_number=number,
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            language=person.language,
            registered_at=now,
            email_verified=person.email_verified_at is not None,
            source=source,
            company=person.company,
        )
    )
    snapshots = await announce_changes(uow, cause, [customer_id])
    return snapshots[customer_id]
