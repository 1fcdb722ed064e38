"""Announces an applied import (P9): CustomersImported events written by PostgreSQL itself.

A 100,000-row import touches 100,000 records; turning each into a pydantic snapshot in
Python costs seconds, so the snapshots are built as JSON by the database, in the
CustomerSnapshot shape (plain concatenation: twice as fast as json_build_object), and
joined into envelopes that the contract model made. The rows
go into the outbox in the import's own transaction, like every other event.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import Message
from contracts.customers import CustomersImported
from service_runtime.database import outbox_row

EVENT_CHUNK = 500
"""Snapshots per CustomersImported event."""

_EMPTY_LIST_END = '"customers":[]}'

SNAPSHOT_JSON = """
    '{"customer_id":"' || c.customer_id
    || '","identity_id":"' || c.identity_id
    || '","customer_number":' || c.customer_number
    || ',"revision":' || c.revision
    || ',"email":' || to_json(i.email)
    || ',"email_verified":' || (i.email_verified_at IS NOT NULL)
    || ',"first_name":' || to_json(i.first_name)
    || ',"last_name":' || to_json(i.last_name)
    || ',"language":' || to_json(i.language)
    || ',"phone":' || coalesce(to_json(i.phone)::text, 'null')
    || ',"address":' || CASE WHEN coalesce(i.address_country, '') = '' THEN 'null' ELSE
        '{"line1":' || coalesce(to_json(i.address_line1)::text, 'null')
        || ',"line2":' || coalesce(to_json(i.address_line2)::text, 'null')
        || ',"postcode":' || coalesce(to_json(i.address_postcode)::text, 'null')
        || ',"city":' || coalesce(to_json(i.address_city)::text, 'null')
        || ',"region":' || coalesce(to_json(i.address_region)::text, 'null')
        || ',"country":' || to_json(i.address_country) || '}' END
    || ',"company":' || coalesce(to_json(i.company)::text, 'null')
    || ',"vat_number":' || coalesce(to_json(i.vat_number)::text, 'null')
    || ',"registration_number":' || coalesce(to_json(i.registration_number)::text, 'null')
    || ',"newsletter":' || c.newsletter
    || ',"newsletter_consent_at":' || coalesce(to_json(c.newsletter_consent_at)::text, 'null')
    || ',"tax_exempt":' || c.tax_exempt
    || ',"group_id":' || coalesce('"' || c.group_id || '"', 'null')
    || ',"denied":' || c.denied
    || ',"b2b":{"credit_limit":"' || c.credit_limit
    || '","payment_terms_days":' || c.payment_terms_days
    || ',"risk_level":' || to_json(c.risk_level)
    || ',"pays_by_invoice":' || c.pays_by_invoice
    || '},"registered_at":' || to_json(c.registered_at)
    || ',"profile_changed_at":' || to_json(i.profile_changed_at)
    || ',"source":' || to_json(c.source) || '}'
"""
"""A CustomerSnapshot as JSON, from shop record ``c`` and identity ``i`` (as ``snapshot_of``)."""

_FAST_COMPRESSION = text(
    """
    SELECT set_config('default_toast_compression', 'lz4', true)
    FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)
    """
)
"""For this transaction only: lz4 compresses the large payloads several times faster than
PostgreSQL's default pglz (when the server has it)."""

_WRITE_EVENTS = text(
    f"""
    INSERT INTO outbox (message_id, routing_key, message_type, correlation_id, payload)
    SELECT e.message_id, :routing_key, :message_type, :correlation_id,
        e.envelope || s.customers || '}}'
    FROM unnest(
        CAST(:chunks AS integer[]), CAST(:message_ids AS uuid[]), CAST(:envelopes AS text[])
    ) AS e(chunk, message_id, envelope)
    JOIN (
        SELECT chunk, '[' || string_agg(snapshot, ',' ORDER BY line) || ']' AS customers
        FROM (
            SELECT p.line, (row_number() OVER (ORDER BY p.line) - 1) / :chunk_size + 1 AS chunk,
                {SNAPSHOT_JSON} AS snapshot
            FROM import_plan p
            JOIN shop_customers c ON c.customer_id = p.customer_id
            JOIN identities i ON i.identity_id = c.identity_id
        ) touched
        GROUP BY chunk
    ) s ON s.chunk = e.chunk
    ORDER BY e.chunk
    """  # noqa: S608 - SNAPSHOT_JSON is a constant of this module
)


async def announce_import(
    session: AsyncSession, cause: Message, import_id: UUID, records: int
) -> int:
    """Put CustomersImported events for the records of ``import_plan`` in the outbox, in file
    order, EVENT_CHUNK snapshots each; returns how many events."""
    chunks = -(-records // EVENT_CHUNK)
    if chunks == 0:
        return 0
    rows = [
        outbox_row(
            CustomersImported.caused_by(
                cause, import_id=import_id, chunk=number, chunks=chunks, customers=[]
            )
        )
        for number in range(1, chunks + 1)
    ]
    envelopes = []
    for row in rows:
        payload = str(row["payload"])
        if not payload.endswith(_EMPTY_LIST_END):
            raise RuntimeError("CustomersImported no longer ends with its customers list")
        envelopes.append(payload[: -len("[]}")])
    await session.execute(_FAST_COMPRESSION)
    await session.execute(
        _WRITE_EVENTS,
        {
            "routing_key": CustomersImported.ROUTING_KEY,
            "message_type": CustomersImported.__name__,
            "correlation_id": cause.correlation_id,
            "chunks": list(range(1, chunks + 1)),
            "message_ids": [row["message_id"] for row in rows],
            "envelopes": envelopes,
            "chunk_size": EVENT_CHUNK,
        },
    )
    return chunks
