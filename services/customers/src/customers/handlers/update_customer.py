"""P2, P7 within A7: the partner edits a customer's profile (only if theirs alone) and shop fields.

Profile fields live on the person's identity, shared by every shop the person uses; if the
identity has a record in another shop, only the customer may change them (A7). Shop-level
fields (newsletter consent, tax exemption, group, B2B terms) are always the partner's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, exists, select, update

from contracts.base import FieldError
from contracts.customers import CustomerSheet, PostalAddress, UpdateCustomer
from customers.adapters.customer_records import (
    address_columns,
    announce_changes,
    load_record,
    records_of_identity,
)
from customers.adapters.customer_sheets import load_sheet
from customers.adapters.tables import customer_groups, identities, shop_customers
from customers.domain.profile_input import check_profile
from customers.handlers.refusals import invalid_input, not_in_shop, profile_owned_by_customer
from service_runtime.database import UnitOfWork

PROFILE_COLUMNS = (
    "first_name",
    "last_name",
    "language",
    "phone",
    "company",
    "vat_number",
    "registration_number",
)


def current_address(r: Any) -> PostalAddress | None:
    if not r["address_country"]:
        return None
    return PostalAddress(
        line1=r["address_line1"],
        line2=r["address_line2"],
        postcode=r["address_postcode"],
        city=r["address_city"],
        region=r["address_region"],
        country=r["address_country"],
    )


def profile_changes(values: dict[str, Any], record: Row[tuple[object, ...]]) -> dict[str, Any]:
    """The checked values that differ from the identity's current ones."""
    r = record._mapping
    changed = {
        name: value
        for name, value in values.items()
        if name in PROFILE_COLUMNS and value != r[name]
    }
    if "address" in values and values["address"] != current_address(r):
        changed["address"] = values["address"]
    return changed


def shop_level_changes(
    command: UpdateCustomer, record: Row[tuple[object, ...]], now: datetime
) -> dict[str, Any]:
    """Columns of the shop record to set: only those whose value changes."""
    r = record._mapping
    wanted: dict[str, Any] = {}
    if command.newsletter is not None and command.newsletter != r["newsletter"]:
        wanted["newsletter"] = command.newsletter
        wanted["newsletter_consent_at"] = now if command.newsletter else None
    if command.tax_exempt is not None:
        wanted["tax_exempt"] = command.tax_exempt
    if command.group is not None:
        wanted["group_id"] = command.group.group_id
    if command.b2b is not None:
        wanted["credit_limit"] = command.b2b.credit_limit
        wanted["payment_terms_days"] = command.b2b.payment_terms_days
        wanted["risk_level"] = command.b2b.risk_level
        wanted["pays_by_invoice"] = command.b2b.pays_by_invoice
    return {name: value for name, value in wanted.items() if value != r[name]}


async def update_customer(command: UpdateCustomer, uow: UnitOfWork) -> CustomerSheet:
    session = uow.session
    record = await load_record(session, command.shop_id, command.customer_id, lock=True)
    if record is None:
        raise not_in_shop("customer")
    r = record._mapping
    identity_id: UUID = r["identity_id"]
    given = command.profile.model_dump(exclude_none=True)
    checked = check_profile(
        **{name: getattr(command.profile, name) for name in given},
        country_hint=r["address_country"],
    )
    problems = list(checked.problems)
    group_id = command.group.group_id if command.group is not None else None
    if group_id is not None and not await session.scalar(
        select(
            exists().where(
                customer_groups.c.group_id == group_id,
                customer_groups.c.shop_id == command.shop_id,
            )
        )
    ):
        problems.append(FieldError(field="group_id", reason="is not a customer group of this shop"))
    if problems:
        raise invalid_input(problems)

    now = datetime.now(UTC)
    profile = profile_changes(checked.values, record)
    announce: set[UUID] = set()
    if profile:
        # Locked so that a login creating a record in another shop (A6) waits for us.
        await session.execute(
            select(identities.c.identity_id)
            .where(identities.c.identity_id == identity_id)
            .with_for_update()
        )
        others = await session.scalar(
            select(
                exists().where(
                    shop_customers.c.identity_id == identity_id,
                    shop_customers.c.shop_id != command.shop_id,
                )
            )
        )
        if others:
            raise profile_owned_by_customer(list(profile))
        columns = {name: value for name, value in profile.items() if name != "address"}
        if "address" in profile:
            columns |= address_columns(profile["address"])
        await session.execute(
            update(identities)
            .where(identities.c.identity_id == identity_id)
            .values(**columns, profile_changed_at=now)
        )
        announce.update(await records_of_identity(session, identity_id))
    if shop_level := shop_level_changes(command, record, now):
        await session.execute(
            update(shop_customers)
            .where(shop_customers.c.customer_id == command.customer_id)
            .values(**shop_level)
        )
        announce.add(command.customer_id)
    await announce_changes(uow, command, announce)
    sheet = await load_sheet(session, command.shop_id, command.customer_id)
    assert sheet is not None  # locked above, so still there
    return sheet
