"""Customers' order and invoice figures (B7, P7) for the overview and the sheet, whichever of a
customer's events comes first.

The figures may arrive before the customer's overview row (the row then takes them from
``customer_billing_figures`` when it is inserted) or after it (the row is updated here). The
per-customer advisory lock of the overview's writes orders the two, so neither is lost.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import exists, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.billing import CustomerBillingFigures
from gateway.adapters.overview_writes import lock_customers
from gateway.adapters.tables import customer_billing_figures as figures
from gateway.adapters.tables import customer_overview as overview
from gateway.adapters.tables import deleted_customers


async def record_figures(
    session: AsyncSession,
    *,
    shop_id: UUID,
    customer_id: UUID,
    revision: int,
    changed_at: datetime,
    values: CustomerBillingFigures,
) -> bool:
    """Keep the figures unless a same or higher revision (or a tombstone) is there; True when
    they were applied, and then the customer's overview row shows them too."""
    await lock_customers(session, [customer_id])
    tombstoned = await session.scalar(
        select(exists().where(deleted_customers.c.customer_id == customer_id))
    )
    if tombstoned:
        return False
    kept = {
        "orders_count": values.orders_count,
        "order_revenue_net": values.order_revenue_net,
        "unpaid_invoices": values.unpaid_invoices,
        "unpaid_total": values.unpaid_total,
        "outstanding": values.outstanding,
        "credit_limit": values.credit_limit,
        "revision": revision,
        "changed_at": changed_at,
    }
    statement = insert(figures).values(customer_id=customer_id, shop_id=shop_id, **kept)
    statement = statement.on_conflict_do_update(
        index_elements=[figures.c.customer_id],
        set_={name: statement.excluded[name] for name in kept},
        where=(figures.c.revision < statement.excluded.revision)
        & (figures.c.shop_id == statement.excluded.shop_id),
    )
    applied = (
        await session.execute(statement.returning(figures.c.customer_id))
    ).first() is not None
    if applied:
        await session.execute(
            update(overview)
            .where(overview.c.shop_id == shop_id, overview.c.customer_id == customer_id)
            .values(
                orders_count=values.orders_count,
                order_revenue_net=values.order_revenue_net,
                unpaid_invoices=values.unpaid_invoices,
            )
        )
    return applied


@dataclass(frozen=True)
class KnownFigures:
    """A customer's figures as billing last reported them, and when."""

    values: CustomerBillingFigures
    changed_at: datetime


async def read_figures(
    session: AsyncSession, shop_id: UUID, customer_id: UUID
) -> KnownFigures | None:
    """None when billing has reported nothing for this customer of this shop (no order yet)."""
    row = (
        await session.execute(
            select(figures).where(
                figures.c.customer_id == customer_id, figures.c.shop_id == shop_id
            )
        )
    ).one_or_none()
    if row is None:
        return None
    return KnownFigures(
        CustomerBillingFigures(
            orders_count=row.orders_count,
            order_revenue_net=row.order_revenue_net,
            unpaid_invoices=row.unpaid_invoices,
            unpaid_total=row.unpaid_total,
            outstanding=row.outstanding,
            credit_limit=row.credit_limit,
        ),
        row.changed_at,
    )
