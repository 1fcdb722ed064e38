"""V4: vouchers a partner types or has generated in bulk; active ones are reported (V6)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

from sqlalchemy import exists, select

from contracts.base import Message
from contracts.vouchers import (
    CreateVoucher,
    GeneratedVouchers,
    GenerateVouchers,
    Voucher,
    VouchersActivated,
    VoucherTerms,
)
from service_runtime.database import UnitOfWork
from vouchers.adapters.tables import customers
from vouchers.adapters.voucher_records import insert_codes, insert_voucher, voucher
from vouchers.domain.voucher_codes import generate_codes
from vouchers.domain.voucher_rules import normalize_code
from vouchers.handlers.refusals import unknown_customer_field, voucher_code_taken

REPORTED_CODES = 100
"""A generated batch's event names its first codes only: the report stays readable."""

MAX_GENERATION_ROUNDS = 20
"""Collisions of 50-bit codes are rare: more rounds than this means something else is wrong."""


async def create_voucher(command: CreateVoucher, uow: UnitOfWork) -> Voucher:
    await _check_customer(uow, command.shop_id, command.terms)
    code = normalize_code(command.code)
    now = datetime.now(UTC)
    row = await insert_voucher(uow.session, command.shop_id, code, command.terms, now)
    if row is None:
        raise voucher_code_taken(code)
    if command.terms.active:
        announce_activation(uow, command, "created", [code], command.terms, now)
    return voucher(row)


async def generate_vouchers(command: GenerateVouchers, uow: UnitOfWork) -> GeneratedVouchers:
    """Insert set-based and top up codes that collided with stored ones until ``count`` are in."""
    await _check_customer(uow, command.shop_id, command.terms)
    now = datetime.now(UTC)
    codes: list[str] = []
    for _ in range(MAX_GENERATION_ROUNDS):
        fresh = generate_codes(command.prefix, command.count - len(codes))
        codes += await insert_codes(uow.session, command.shop_id, fresh, command.terms, now)
        if len(codes) == command.count:
            break
    else:
        raise RuntimeError(f"no {command.count} free codes found for prefix {command.prefix!r}")
    if command.terms.active:
        announce_activation(uow, command, "generated", codes, command.terms, now)
    return GeneratedVouchers(count=len(codes), codes=codes)


def announce_activation(
    uow: UnitOfWork,
    cause: Message,
    how: Literal["created", "generated", "reactivated"],
    codes: list[str],
    terms: VoucherTerms,
    at: datetime,
) -> None:
    uow.emit(
        VouchersActivated.caused_by(
            cause,
            how=how,
            count=len(codes),
            codes=codes[:REPORTED_CODES],
            terms=terms,
            activated_at=at,
        )
    )


async def _check_customer(uow: UnitOfWork, shop_id: UUID, terms: VoucherTerms) -> None:
    """A personal voucher names a customer this shop has (as far as this service knows)."""
    if terms.customer_id is None:
        return
    known = await uow.session.scalar(
        select(
            exists().where(
                customers.c.shop_id == shop_id, customers.c.customer_id == terms.customer_id
            )
        )
    )
    if not known:
        raise unknown_customer_field()
