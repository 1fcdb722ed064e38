"""Shows a customer's orders, order revenue and open invoices in the partner's overview (B7, O1)."""

from contracts.billing import CustomerBillingChanged
from gateway.adapters.billing_figures import record_figures
from service_runtime.database import UnitOfWork


async def apply_billing_changed(event: CustomerBillingChanged, uow: UnitOfWork) -> None:
    """Revision-guarded, so a late or repeated event never undoes newer figures."""
    await record_figures(
        uow.session,
        shop_id=event.shop_id,
        customer_id=event.customer_id,
        revision=event.revision,
        changed_at=event.changed_at,
        values=event.figures,
    )
