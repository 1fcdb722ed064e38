"""V3: a price adjustment per customer group (negative: discount, positive: surcharge)."""

from decimal import Decimal

from sqlalchemy import update

from contracts.vouchers import (
    GroupAdjustment,
    GroupAdjustments,
    ListGroupAdjustments,
    SetGroupAdjustment,
)
from service_runtime.database import UnitOfWork
from vouchers.adapters.customer_pricing import GROUP_COLUMNS, group_adjustment, list_groups
from vouchers.adapters.tables import customer_groups
from vouchers.handlers.refusals import group_not_found


async def set_group_adjustment(command: SetGroupAdjustment, uow: UnitOfWork) -> GroupAdjustment:
    row = (
        await uow.session.execute(
            update(customer_groups)
            .where(
                customer_groups.c.shop_id == command.shop_id,
                customer_groups.c.group_id == command.group_id,
            )
            .values(adjustment_percent=command.percent.quantize(Decimal("0.01")))
            .returning(*GROUP_COLUMNS)
        )
    ).first()
    adjustment = group_adjustment(row) if row is not None else None
    if adjustment is None:
        raise group_not_found()
    return adjustment


async def list_group_adjustments(
    command: ListGroupAdjustments, uow: UnitOfWork
) -> GroupAdjustments:
    """System groups first (Visitor, Guest, Customer), then the partner's groups by name."""
    return GroupAdjustments(items=await list_groups(uow.session, command.shop_id))
