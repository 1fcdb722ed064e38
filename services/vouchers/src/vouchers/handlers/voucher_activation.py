"""V4: pause a voucher (no new cart or order can use it) or make it usable again (V6 report)."""

from datetime import UTC, datetime

from sqlalchemy import update

from contracts.vouchers import SetVoucherActive, Voucher
from service_runtime.database import UnitOfWork
from vouchers.adapters.tables import vouchers
from vouchers.adapters.voucher_records import load_voucher, terms_of, voucher
from vouchers.handlers.create_vouchers import announce_activation
from vouchers.handlers.refusals import voucher_not_found


async def set_voucher_active(command: SetVoucherActive, uow: UnitOfWork) -> Voucher:
    """No change, no event; orders holding the code keep it either way."""
    row = await load_voucher(uow.session, command.shop_id, command.voucher_id, lock=True)
    if row is None:
        raise voucher_not_found()
    if row.active == command.active:
        return voucher(row)
    changed = (
        await uow.session.execute(
            update(vouchers)
            .where(vouchers.c.voucher_id == row.voucher_id)
            .values(active=command.active)
            .returning(vouchers)
        )
    ).one()
    if command.active:
        announce_activation(
            uow, command, "reactivated", [row.code], terms_of(changed), datetime.now(UTC)
        )
    return voucher(changed)
