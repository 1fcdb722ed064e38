"""Start billing for a shop the gateway opened, in its currency and language."""

from sqlalchemy.dialects.postgresql import insert

from billing.adapters.tables import shops
from contracts.gateway import ShopOpened
from service_runtime.database import UnitOfWork


async def record_shop(event: ShopOpened, uow: UnitOfWork) -> None:
    await uow.session.execute(
        insert(shops)
        .values(
            shop_id=event.shop_id,
            currency=event.currency,
            timezone=event.timezone,
            default_language=event.default_language,
            opened_at=event.occurred_at,
        )
        .on_conflict_do_nothing()
    )
