"""Start serving a shop the gateway opened: its account settings and its three groups (P6)."""

from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from contracts.customers import CustomerGroup, CustomerGroupChanged
from contracts.gateway import ShopOpened
from customers.adapters.tables import customer_groups, shops
from customers.domain.group_names import group_name_key, system_groups
from service_runtime.database import UnitOfWork


async def record_shop(event: ShopOpened, uow: UnitOfWork) -> None:
    """Idempotent: a redelivered ShopOpened creates neither the shop nor a group twice."""
    session = uow.session
    await session.execute(
        insert(shops)
        .values(
            shop_id=event.shop_id,
            verification_mode=event.verification_mode,
            default_language=event.default_language,
            opened_at=event.occurred_at,
        )
        .on_conflict_do_nothing()
    )
    existing = set(
        await session.scalars(
            select(customer_groups.c.system_key).where(
                customer_groups.c.shop_id == event.shop_id,
                customer_groups.c.system_key.is_not(None),
            )
        )
    )
    now = datetime.now(UTC)
    for key, name in system_groups(event.default_language):
        if key in existing:
            continue
        group_id = (
            await session.execute(
                insert(customer_groups)
                .values(
                    group_id=uuid4(),
                    shop_id=event.shop_id,
                    name=name,
                    name_key=group_name_key(name),
                    system_key=key,
                    created_at=now,
                )
                .on_conflict_do_nothing()
                .returning(customer_groups.c.group_id)
            )
        ).scalar_one_or_none()
        if group_id is not None:
            uow.emit(
                CustomerGroupChanged.caused_by(
                    event,
                    group=CustomerGroup(group_id=group_id, name=name, system_key=key),
                    changed_at=now,
                )
            )
