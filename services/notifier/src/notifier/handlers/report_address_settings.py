"""Partner commands that read and replace where system change reports go (V6)."""

from contracts.notifier import ConfigureReportAddresses, GetReportAddresses, ReportAddresses
from notifier.adapters.report_addresses import load_report_addresses, replace_report_addresses
from notifier.domain.settings_checks import checked_report_addresses
from notifier.handlers.refusals import invalid_input, shop_not_ready
from service_runtime.database import UnitOfWork


async def configure_report_addresses(
    command: ConfigureReportAddresses, uow: UnitOfWork
) -> ReportAddresses:
    """Replace the addresses (an empty list stops reports); later changes follow the new list."""
    addresses, problems = checked_report_addresses(command.settings)
    if problems:
        raise invalid_input(problems)
    stored = await replace_report_addresses(
        uow.session, command.shop_id, addresses, command.occurred_at
    )
    if stored is None:
        raise shop_not_ready()
    return stored


async def get_report_addresses(command: GetReportAddresses, uow: UnitOfWork) -> ReportAddresses:
    """Read-only: an opened shop that never named any has an empty list."""
    settings = await load_report_addresses(uow.session, command.shop_id)
    if settings is None:
        raise shop_not_ready()
    return settings
