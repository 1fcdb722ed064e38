"""Start serving a shop the gateway opened."""

from sqlalchemy.dialects.postgresql import insert

from contracts.gateway import ShopOpened
from service_runtime.database import UnitOfWork
from vouchers.adapters.tables import shops


async def record_shop(event: ShopOpened, uow: UnitOfWork) -> None:
    await uow.session.execute(
        insert(shops)
        .values(shop_id=event.shop_id, opened_at=event.occurred_at, currency=event.currency)
        .on_conflict_do_nothing()
    )
