"""Voucher rows: written set-based, read by id or by code, always within one shop."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import ARRAY, Row, String, bindparam, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.vouchers import Voucher, VoucherTerms
from vouchers.adapters.customer_pricing import shop_currency
from vouchers.adapters.tables import vouchers
from vouchers.domain.voucher_rules import VoucherState

TERM_COLUMNS = (
    "kind",
    "value",
    "min_order_value",
    "valid_from",
    "valid_until",
    "redemption_limit",
    "customer_id",
    "active",
)


def voucher(row: Any) -> Voucher:
    return Voucher.model_validate(
        {name: getattr(row, name) for name in (*TERM_COLUMNS, "voucher_id", "code", "use_count")}
        | {"created_at": row.created_at}
    )


def terms_of(row: Any) -> VoucherTerms:
    return VoucherTerms.model_validate({name: getattr(row, name) for name in TERM_COLUMNS})


def voucher_state(row: Any) -> VoucherState:
    return VoucherState(
        code=row.code,
        kind=row.kind,
        value=row.value,
        min_order_value=row.min_order_value,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        redemption_limit=row.redemption_limit,
        use_count=row.use_count,
        customer_id=row.customer_id,
        active=row.active,
    )


def term_values(terms: VoucherTerms) -> dict[str, Any]:
    return {name: getattr(terms, name) for name in TERM_COLUMNS}


async def insert_voucher(
    session: AsyncSession, shop_id: UUID, code: str, terms: VoucherTerms, now: datetime
) -> Row[Any] | None:
    """The new row, or None when the shop has the code already (nothing raised, nothing kept)."""
    row: Row[Any] | None = (
        await session.execute(
            insert(vouchers)
            .values(
                voucher_id=uuid4(),
                shop_id=shop_id,
                code=code,
                use_count=0,
                created_at=now,
                **term_values(terms),
            )
            .on_conflict_do_nothing(index_elements=[vouchers.c.shop_id, vouchers.c.code])
            .returning(vouchers)
        )
    ).first()
    return row


async def insert_codes(
    session: AsyncSession, shop_id: UUID, codes: list[str], terms: VoucherTerms, now: datetime
) -> list[str]:
    """One INSERT ... SELECT FROM unnest(codes); returns the codes that were free."""
    code = (
        func.unnest(bindparam("codes", codes, type_=ARRAY(String)))
        .table_valued("code")
        .render_derived(name="fresh")
    )
    fixed = {
        name: literal(value, vouchers.c[name].type) for name, value in term_values(terms).items()
    }
    rows = select(
        func.gen_random_uuid(),
        literal(shop_id, vouchers.c.shop_id.type),
        code.c.code,
        literal(0),
        literal(now, vouchers.c.created_at.type),
        *fixed.values(),
    ).select_from(code)
    statement = (
        insert(vouchers)
        .from_select(["voucher_id", "shop_id", "code", "use_count", "created_at", *fixed], rows)
        .on_conflict_do_nothing(index_elements=[vouchers.c.shop_id, vouchers.c.code])
        .returning(vouchers.c.code)
    )
    return list(await session.scalars(statement))


async def load_voucher(
    session: AsyncSession, shop_id: UUID, voucher_id: UUID, *, lock: bool = False
) -> Row[Any] | None:
    query = select(vouchers).where(
        vouchers.c.shop_id == shop_id, vouchers.c.voucher_id == voucher_id
    )
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def load_by_code(session: AsyncSession, shop_id: UUID, code: str) -> Row[Any] | None:
    """By the normalised code, through the (shop_id, code) unique index."""
    query = select(vouchers).where(vouchers.c.shop_id == shop_id, vouchers.c.code == code)
    return (await session.execute(query)).first()


async def currency_of(session: AsyncSession, shop_id: UUID) -> str:
    currency: str = (await session.execute(select(shop_currency(shop_id)))).scalar_one()
    return currency
