"""Keep the brand and currency of a shop the gateway opened and start its partner settings."""

from sqlalchemy.dialects.postgresql import insert

from contracts.gateway import ShopOpened
from notifier.adapters.tables import partner_copy_settings, shop_brands
from service_runtime.database import UnitOfWork

STATED_BY_THE_GATEWAY = (
    "brand_name",
    "sender_name",
    "sender_email",
    "default_language",
    "timezone",
    "currency",
    "storefront_url",
    "updated_at",
)


async def record_brand(event: ShopOpened, uow: UnitOfWork) -> None:
    """Upsert the brand; a stale event (older than the stored brand) changes nothing.

    A partner's ConfigureShopBrand moves ``updated_at`` past the ShopOpened it followed, so a
    redelivered ShopOpened leaves the partner's settings alone. Partner settings start with the
    sender address, no copies and no report addresses (the partner opts in) and are never
    overwritten here.
    """
    statement = insert(shop_brands).values(
        shop_id=event.shop_id,
        brand_name=event.brand_name,
        sender_name=event.brand_name,
        sender_email=event.sender_email,
        default_language=event.default_language,
        timezone=event.timezone,
        currency=event.currency.upper(),
        storefront_url=event.storefront_url.rstrip("/") if event.storefront_url else None,
        updated_at=event.occurred_at,
    )
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[shop_brands.c.shop_id],
            set_={column: statement.excluded[column] for column in STATED_BY_THE_GATEWAY},
            where=shop_brands.c.updated_at <= statement.excluded.updated_at,
        )
    )
    await uow.session.execute(
        insert(partner_copy_settings)
        .values(
            shop_id=event.shop_id,
            addresses=[event.sender_email.strip().lower()],
            kinds=[],
            updated_at=event.occurred_at,
        )
        .on_conflict_do_nothing(index_elements=[partner_copy_settings.c.shop_id])
    )
