"""Applies a staged CSV import in set-based SQL (P9): a few statements for any number of rows.

Run inside the finishing command's transaction, after the checks found no problem:
existing customers of the shop get the fields their row sets, people known from other
shops get a record here (their profile untouched, A7), new emails get an identity without
password (they activate through a password reset) and a record. Numbers continue the
shop's sequence in file order, reserved with one counter update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.customers import ImportRowError
from customers.domain.import_rows import ImportHeader

_DUPLICATES = text(
    """
    SELECT line, first_line FROM (
        SELECT line, min(line) OVER (PARTITION BY email) AS first_line
        FROM import_rows WHERE import_id = :import_id AND line > 1
    ) lines
    WHERE line > first_line
    """
)

_SHARED_PROFILE_CHANGES = text(
    """
    SELECT r.line, f.field
    FROM import_rows r
    JOIN identities i ON i.email = r.email
    JOIN shop_customers c ON c.identity_id = i.identity_id AND c.shop_id = :shop_id
    CROSS JOIN LATERAL (
        VALUES ('first_name', i.first_name), ('last_name', i.last_name),
            ('language', i.language), ('phone', i.phone), ('company', i.company),
            ('vat_number', i.vat_number)
    ) AS f(field, current_value)
    WHERE r.import_id = :import_id AND r.line > 1
      AND r.fields ->> f.field IS NOT NULL
      AND r.fields ->> f.field IS DISTINCT FROM f.current_value
      AND EXISTS (
          SELECT 1 FROM shop_customers o
          WHERE o.identity_id = i.identity_id AND o.shop_id <> :shop_id
      )
    """
)
"""The profile fields (PROFILE_FIELDS) a row would change for a person of several shops."""

_VANISHED_GROUPS = text(
    """
    SELECT r.line FROM import_rows r
    WHERE r.import_id = :import_id AND r.line > 1 AND r.fields ? 'group_id'
      AND NOT EXISTS (
          SELECT 1 FROM customer_groups g
          WHERE g.group_id = (r.fields ->> 'group_id')::uuid AND g.shop_id = :shop_id
      )
    """
)


async def problems_at_finish(
    session: AsyncSession, shop_id: UUID, import_id: UUID, header: ImportHeader
) -> list[ImportRowError]:
    """What only the whole file shows: repeated emails, shared profiles (A7), deleted groups."""
    params = {"import_id": import_id, "shop_id": shop_id}
    email = header.column_of("email")
    errors = [
        ImportRowError(line=r.line, column=email, reason=f"same email as line {r.first_line}")
        for r in await session.execute(_DUPLICATES, params)
    ]
    errors.extend(
        ImportRowError(
            line=r.line,
            column=header.column_of(r.field),
            reason=(
                "this customer's account is shared with another shop: only they can change"
                " their profile (leave the cell empty or as it is)"
            ),
        )
        for r in await session.execute(_SHARED_PROFILE_CHANGES, params)
    )
    errors.extend(
        ImportRowError(
            line=r.line,
            column=header.column_of("group"),
            reason="the group was deleted during the import",
        )
        for r in await session.execute(_VANISHED_GROUPS, params)
    )
    return errors


_ROOMY_JOINS = text("SELECT set_config('work_mem', '64MB', true)")
"""For this transaction only: the joins over every row of a large file stay in memory."""

_LOCK_COUNTER = text(
    """
    INSERT INTO customer_number_counters (shop_id, last_number) VALUES (:shop_id, 0)
    ON CONFLICT (shop_id) DO UPDATE SET last_number = customer_number_counters.last_number
    RETURNING last_number
    """
)
_PLAN = text(
    """
    CREATE TEMPORARY TABLE import_plan ON COMMIT DROP AS
    SELECT r.line, r.email, r.fields,
        coalesce(i.identity_id, gen_random_uuid()) AS identity_id,
        i.identity_id IS NULL AS new_identity,
        coalesce(c.customer_id, gen_random_uuid()) AS customer_id,
        c.customer_id IS NULL AS new_record
    FROM import_rows r
    LEFT JOIN identities i ON i.email = r.email
    LEFT JOIN shop_customers c ON c.identity_id = i.identity_id AND c.shop_id = :shop_id
    WHERE r.import_id = :import_id AND r.line > 1
    """
)
"""Each row's identity and record, existing or to create, decided before anything is written.

Deciding first keeps every later statement from reading the table it writes (a plan made
while the table was small would rescan the new rows once per row)."""

_COUNT_PLAN = text(
    "SELECT count(*) FILTER (WHERE new_record), count(*) FILTER (WHERE NOT new_record)"
    " FROM import_plan"
)
_RESERVE_NUMBERS = text(
    "UPDATE customer_number_counters SET last_number = last_number + :count"
    " WHERE shop_id = :shop_id"
)
_UPDATE_PROFILES = text(
    """
    UPDATE identities i SET
        first_name = coalesce(p.fields ->> 'first_name', i.first_name),
        last_name = coalesce(p.fields ->> 'last_name', i.last_name),
        language = coalesce(p.fields ->> 'language', i.language),
        phone = coalesce(p.fields ->> 'phone', i.phone),
        company = coalesce(p.fields ->> 'company', i.company),
        vat_number = coalesce(p.fields ->> 'vat_number', i.vat_number),
        profile_changed_at = :now
    FROM import_plan p
    WHERE i.identity_id = p.identity_id AND NOT p.new_record
      AND (
          coalesce(p.fields ->> 'first_name', i.first_name),
          coalesce(p.fields ->> 'last_name', i.last_name),
          coalesce(p.fields ->> 'language', i.language),
          coalesce(p.fields ->> 'phone', i.phone),
          coalesce(p.fields ->> 'company', i.company),
          coalesce(p.fields ->> 'vat_number', i.vat_number)
      ) IS DISTINCT FROM (i.first_name, i.last_name, i.language, i.phone, i.company, i.vat_number)
      AND NOT EXISTS (
          SELECT 1 FROM shop_customers o
          WHERE o.identity_id = i.identity_id AND o.shop_id <> :shop_id
      )
    """
)
"""Existing customers of the shop; the NOT EXISTS keeps A7 even if a login raced the checks."""

_UPDATE_RECORDS = text(
    """
    UPDATE shop_customers c SET
        newsletter = coalesce((p.fields ->> 'newsletter')::boolean, c.newsletter),
        newsletter_consent_at = CASE
            WHEN p.fields ->> 'newsletter' IS NULL THEN c.newsletter_consent_at
            WHEN NOT (p.fields ->> 'newsletter')::boolean THEN NULL
            WHEN c.newsletter THEN c.newsletter_consent_at
            ELSE CAST(:now AS timestamptz)
        END,
        tax_exempt = coalesce((p.fields ->> 'tax_exempt')::boolean, c.tax_exempt),
        group_id = coalesce((p.fields ->> 'group_id')::uuid, c.group_id),
        revision = c.revision + 1,
        updated_at = :now
    FROM import_plan p
    WHERE c.customer_id = p.customer_id AND NOT p.new_record
    """
)
_INSERT_IDENTITIES = text(
    """
    INSERT INTO identities (
        identity_id, email, password_hash, email_verified_at, created_at, first_name, last_name,
        language, phone, company, vat_number, profile_changed_at
    )
    SELECT p.identity_id, p.email, NULL, NULL, :now, p.fields ->> 'first_name',
        p.fields ->> 'last_name', coalesce(p.fields ->> 'language', s.default_language),
        p.fields ->> 'phone', p.fields ->> 'company', p.fields ->> 'vat_number', :now
    FROM import_plan p, shops s
    WHERE p.new_identity AND s.shop_id = :shop_id
    """
)
"""New people: no password (a reset sets it) and unverified, in the shop's language if none."""

_INSERT_RECORDS = text(
    """
    INSERT INTO shop_customers (
        customer_id, shop_id, identity_id, customer_number, registered_at, updated_at, source,
        revision, newsletter, newsletter_consent_at, tax_exempt, group_id
    )
    SELECT p.customer_id, :shop_id, p.identity_id,
        :first_number + row_number() OVER (ORDER BY p.line) - 1, :now, :now, 'import', 1,
        coalesce((p.fields ->> 'newsletter')::boolean, false),
        CASE WHEN (p.fields ->> 'newsletter')::boolean THEN CAST(:now AS timestamptz) END,
        coalesce((p.fields ->> 'tax_exempt')::boolean, false),
        coalesce(
            (p.fields ->> 'group_id')::uuid,
            (SELECT g.group_id FROM customer_groups g
             WHERE g.shop_id = :shop_id AND g.system_key = 'customer')
        )
    FROM import_plan p
    WHERE p.new_record
    """
)
"""New records of the shop, numbered in file order, in the 'customer' group unless named."""


@dataclass(frozen=True)
class Applied:
    created: int
    updated: int


async def apply_import(session: AsyncSession, shop_id: UUID, import_id: UUID) -> Applied:
    """Write every staged row to identities and shop records; returns what it did.

    Leaves the temporary table ``import_plan`` (one row per file row, with its
    ``customer_id``) for announcing; it is dropped at commit.
    """
    now = datetime.now(UTC)
    params: dict[str, Any] = {"import_id": import_id, "shop_id": shop_id, "now": now}
    # The counter's row lock first: registrations and logins in this shop wait for the
    # import, so the records the plan finds missing are still missing when it writes them.
    last_number = (await session.execute(_LOCK_COUNTER, params)).scalar_one()
    await session.execute(_ROOMY_JOINS)
    await session.execute(_PLAN, params)
    created, updated = (await session.execute(_COUNT_PLAN)).one()
    if updated:
        await session.execute(_UPDATE_PROFILES, params)
        await session.execute(_UPDATE_RECORDS, params)
    if created:
        await session.execute(_RESERVE_NUMBERS, params | {"count": created})
        await session.execute(_INSERT_IDENTITIES, params)
        await session.execute(_INSERT_RECORDS, params | {"first_number": last_number + 1})
    return Applied(created=created, updated=updated)
