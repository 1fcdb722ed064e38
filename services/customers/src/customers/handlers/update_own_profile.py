"""A8: a customer edits their own profile (shared by all their shops) and newsletter consent."""

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import update

from contracts.customers import CustomerSheet, PostalAddress, UpdateOwnProfile
from customers.adapters.customer_records import (
    address_columns,
    announce_changes,
    load_record,
    records_of_identity,
)
from customers.adapters.customer_sheets import load_sheet
from customers.adapters.tables import identities, shop_customers
from customers.domain.profile_input import check_profile
from customers.handlers.refusals import invalid_input, not_in_shop
from service_runtime.database import UnitOfWork


async def update_own_profile(command: UpdateOwnProfile, uow: UnitOfWork) -> CustomerSheet:
    """Only what differs is written; a profile change reaches every shop of the person, the
    newsletter consent only this one."""
    session = uow.session
    record = await load_record(session, command.shop_id, command.customer_id, lock=True)
    if record is None:
        raise not_in_shop("customer")
    current = record._mapping
    given = command.profile
    checked = check_profile(
        first_name=given.first_name,
        last_name=given.last_name,
        language=given.language,
        phone=given.phone,
        address=given.address,
        company=given.company,
        vat_number=given.vat_number,
        registration_number=given.registration_number,
        country_hint=current["address_country"],
    )
    if checked.problems:
        raise invalid_input(checked.problems)
    now = datetime.now(UTC)
    profile: dict[str, object] = {}
    for name, value in checked.values.items():
        columns = (
            address_columns(value if isinstance(value, PostalAddress) else None)
            if name == "address"
            else {name: value}
        )
        profile.update({c: v for c, v in columns.items() if current[c] != v})
    identity_id: UUID = current["identity_id"]
    if profile:
        await session.execute(
            update(identities)
            .where(identities.c.identity_id == identity_id)
            .values(**profile, profile_changed_at=now)
        )
    newsletter_changed = (
        command.newsletter is not None and command.newsletter != current["newsletter"]
    )
    if newsletter_changed:
        await session.execute(
            update(shop_customers)
            .where(shop_customers.c.customer_id == command.customer_id)
            .values(
                newsletter=command.newsletter,
                newsletter_consent_at=now if command.newsletter else None,
            )
        )
    if profile:
        await announce_changes(uow, command, await records_of_identity(session, identity_id))
    elif newsletter_changed:
        await announce_changes(uow, command, [command.customer_id])
    sheet = await load_sheet(session, command.shop_id, command.customer_id)
    if sheet is None:
        raise RuntimeError("the locked record disappeared")
    return sheet
