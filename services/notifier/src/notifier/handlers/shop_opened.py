"""Keep the brand of a shop the gateway opened, so its emails carry it."""

from sqlalchemy.dialects.postgresql import insert

from contracts.gateway import ShopOpened
from notifier.adapters.tables import shop_brands
from service_runtime.database import UnitOfWork


async def record_brand(event: ShopOpened, uow: UnitOfWork) -> None:
    """Upsert the brand; a stale event (older than the stored brand) changes nothing."""
    statement = insert(shop_brands).values(
        shop_id=event.shop_id,
        brand_name=event.brand_name,
        sender_email=event.sender_email,
        default_language=event.default_language,
        timezone=event.timezone,
        updated_at=event.occurred_at,
    )
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[shop_brands.c.shop_id],
            set_={
                "brand_name": statement.excluded.brand_name,
                "sender_email": statement.excluded.sender_email,
                "default_language": statement.excluded.default_language,
                "timezone": statement.excluded.timezone,
                "updated_at": statement.excluded.updated_at,
            },
            where=shop_brands.c.updated_at <= statement.excluded.updated_at,
        )
    )
