"""The partner's cart settings: how long a cart may rest before it counts as abandoned."""

from billing.adapters.shop_settings import set_abandon_after_hours
from billing.handlers.refusals import known_shop, shop_not_ready
from contracts.billing import CartSettings, ConfigureCarts, GetCartSettings
from service_runtime.database import UnitOfWork


async def configure_carts(command: ConfigureCarts, uow: UnitOfWork) -> CartSettings:
    hours = command.settings.abandon_after_hours
    if not await set_abandon_after_hours(uow.session, command.shop_id, hours):
        raise shop_not_ready()
    return CartSettings(abandon_after_hours=hours)


async def get_cart_settings(command: GetCartSettings, uow: UnitOfWork) -> CartSettings:
    shop = await known_shop(uow.session, command.shop_id)
    return CartSettings(abandon_after_hours=shop.abandon_after_hours)
