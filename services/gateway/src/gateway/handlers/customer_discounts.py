"""Shows a customer's personal discount and its "SC" marker in the partner's overview (V1, V2)."""

from contracts.vouchers import CustomerDiscountChanged
from gateway.adapters.customer_discounts import record_discount
from service_runtime.database import UnitOfWork


async def apply_discount_changed(event: CustomerDiscountChanged, uow: UnitOfWork) -> None:
    """Revision-guarded, so a late or repeated event never undoes a newer discount."""
    await record_discount(
        uow.session,
        shop_id=event.shop_id,
        customer_id=event.customer_id,
        discount_percent=event.discount_percent,
        special_condition=event.special_condition,
        revision=event.revision,
    )
