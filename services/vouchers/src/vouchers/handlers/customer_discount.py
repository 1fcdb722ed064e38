"""V1, V2: a customer's personal discount ("SC" when set), announced for the change report (V6)."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import update

from contracts.vouchers import (
    CustomerDiscountChanged,
    CustomerPricing,
    GetCustomerPricing,
    SetCustomerDiscount,
)
from service_runtime.database import UnitOfWork
from vouchers.adapters.customer_pricing import customer_pricing, load_customer
from vouchers.adapters.tables import customers
from vouchers.handlers.refusals import customer_not_found


def hundredths(percent: Decimal | None) -> Decimal | None:
    """Percentages read back as stored (NUMERIC(5,2)): 10 and 10.00 are the same discount."""
    return None if percent is None else percent.quantize(Decimal("0.01"))


async def get_customer_pricing(command: GetCustomerPricing, uow: UnitOfWork) -> CustomerPricing:
    row = await load_customer(uow.session, command.shop_id, command.customer_id)
    if row is None:
        raise customer_not_found()
    return customer_pricing(row)


async def set_customer_discount(command: SetCustomerDiscount, uow: UnitOfWork) -> CustomerPricing:
    """The same value again changes nothing and reports nothing."""
    row = await load_customer(uow.session, command.shop_id, command.customer_id, lock=True)
    if row is None:
        raise customer_not_found()
    pricing = customer_pricing(row)
    percent = hundredths(command.discount_percent)
    if row.discount_percent == percent:
        return pricing
    now = datetime.now(UTC)
    revision = row.discount_revision + 1
    await uow.session.execute(
        update(customers)
        .where(
            customers.c.shop_id == command.shop_id,
            customers.c.customer_id == command.customer_id,
        )
        .values(
            discount_percent=percent,
            discount_revision=revision,
            discount_changed_at=now,
        )
    )
    uow.emit(
        CustomerDiscountChanged.caused_by(
            command,
            customer_id=command.customer_id,
            customer_number=row.customer_number,
            customer_name=f"{row.first_name} {row.last_name}".strip(),
            customer_email=row.email,
            discount_percent=percent,
            previous_percent=row.discount_percent,
            special_condition=percent is not None,
            revision=revision,
            changed_by=command.changed_by,
            changed_at=now,
        )
    )
    return pricing.model_copy(
        update={"discount_percent": percent, "special_condition": percent is not None}
    )
