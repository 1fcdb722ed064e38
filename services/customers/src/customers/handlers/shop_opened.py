"""Start serving a shop the gateway opened, with its account settings."""

from sqlalchemy.dialects.postgresql import insert

from contracts.gateway import ShopOpened
from customers.adapters.tables import shops
from service_runtime.database import UnitOfWork


async def record_shop(event: ShopOpened, uow: UnitOfWork) -> None:
    await uow.session.execute(
        insert(shops)
        .values(
            shop_id=event.shop_id,
            verification_mode=event.verification_mode,
            default_language=event.default_language,
            opened_at=event.occurred_at,
        )
        .on_conflict_do_nothing()
    )
