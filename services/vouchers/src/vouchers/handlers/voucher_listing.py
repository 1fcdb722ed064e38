"""V4, P11: the shop's vouchers, newest first, and one voucher by id."""

from sqlalchemy import ColumnElement, func, select

from contracts.vouchers import GetVoucher, ListVouchers, Voucher, VoucherPage
from service_runtime.database import UnitOfWork
from vouchers.adapters.tables import vouchers
from vouchers.adapters.voucher_records import load_voucher, voucher
from vouchers.domain.voucher_rules import normalize_code
from vouchers.handlers.refusals import voucher_not_found


def _filters(command: ListVouchers) -> list[ColumnElement[bool]]:
    found = [vouchers.c.shop_id == command.shop_id]
    if command.code_prefix:
        # Codes are stored upper-case; "_" and "%" in a prefix are literal characters.
        found.append(
            vouchers.c.code.startswith(normalize_code(command.code_prefix), autoescape=True)
        )
    if command.active is not None:
        found.append(vouchers.c.active.is_(command.active))
    if command.customer_id is not None:
        found.append(vouchers.c.customer_id == command.customer_id)
    return found


async def list_vouchers(command: ListVouchers, uow: UnitOfWork) -> VoucherPage:
    where = _filters(command)
    session = uow.session
    total = await session.scalar(select(func.count()).select_from(vouchers).where(*where))
    rows = await session.execute(
        select(vouchers)
        .where(*where)
        .order_by(vouchers.c.created_at.desc(), vouchers.c.voucher_id.desc())
        .offset((command.page - 1) * command.size)
        .limit(command.size)
    )
    return VoucherPage(
        items=[voucher(row) for row in rows],
        total=total or 0,
        page=command.page,
        size=command.size,
    )


async def get_voucher(command: GetVoucher, uow: UnitOfWork) -> Voucher:
    row = await load_voucher(uow.session, command.shop_id, command.voucher_id)
    if row is None:
        raise voucher_not_found()
    return voucher(row)
