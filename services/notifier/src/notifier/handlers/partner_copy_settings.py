"""Partner commands that read and replace where merchant emails and copies go (N4)."""

from contracts.notifier import ConfigurePartnerCopies, GetPartnerCopies, PartnerCopySettings
from notifier.adapters.shop_settings import load_partner_copies, replace_partner_copies
from notifier.domain.settings_checks import checked_partner_copies
from notifier.handlers.refusals import invalid_input, shop_not_ready
from service_runtime.database import UnitOfWork


async def configure_partner_copies(
    command: ConfigurePartnerCopies, uow: UnitOfWork
) -> PartnerCopySettings:
    """Replace addresses and kinds; events handled from now on follow the new settings."""
    settings, problems = checked_partner_copies(command.settings)
    if problems:
        raise invalid_input(problems)
    stored = await replace_partner_copies(
        uow.session, command.shop_id, settings, command.occurred_at
    )
    if stored is None:
        raise shop_not_ready()
    return stored


async def get_partner_copies(command: GetPartnerCopies, uow: UnitOfWork) -> PartnerCopySettings:
    settings = await load_partner_copies(uow.session, command.shop_id)
    if settings is None:
        raise shop_not_ready()
    return settings
