"""Partner commands that read and replace a shop's brand (N1)."""

from contracts.notifier import ConfigureShopBrand, GetShopBrand, ShopBrandSettings
from notifier.adapters.shop_settings import load_brand_settings, replace_brand_settings
from notifier.domain.settings_checks import checked_brand
from notifier.handlers.refusals import invalid_input, shop_not_ready
from service_runtime.database import UnitOfWork


async def configure_shop_brand(command: ConfigureShopBrand, uow: UnitOfWork) -> ShopBrandSettings:
    """Replace every brand field at once; emails queued but not yet sent use the new brand."""
    settings, problems = checked_brand(command.brand)
    if problems:
        raise invalid_input(problems)
    stored = await replace_brand_settings(
        uow.session, command.shop_id, settings, command.occurred_at
    )
    if stored is None:
        raise shop_not_ready()
    return stored


async def get_shop_brand(command: GetShopBrand, uow: UnitOfWork) -> ShopBrandSettings:
    settings = await load_brand_settings(uow.session, command.shop_id)
    if settings is None:
        raise shop_not_ready()
    return settings
