"""Report voucher codes that became usable to the shop's report addresses (V6): how, which, terms."""

from typing import Any

from contracts.vouchers import VouchersActivated
from notifier.adapters.queued_messages import queue_messages
from notifier.adapters.report_addresses import report_audience
from notifier.domain.change_reports import listed_codes
from notifier.domain.message_kinds import MessageKind
from service_runtime.database import UnitOfWork

KIND: MessageKind = "system_change_report"
CHANGE = "vouchers_activated"
"""Which report the template writes: this one or ``customer_discount``."""


def context_of(event: VouchersActivated, currency: str) -> dict[str, Any]:
    """Template variables: how and how many, the codes (cut at 20), the terms in the shop's currency."""
    terms = event.terms
    codes = listed_codes(event.codes, event.count)
    return {
        "change": CHANGE,
        "how": event.how,
        "count": event.count,
        "codes": codes.shown,
        "more_codes": codes.more,
        "voucher_kind": terms.kind,
        "value": format(terms.value, "f"),
        "currency": currency,
        "min_order_value": format(terms.min_order_value, "f"),
        "valid_from": terms.valid_from.isoformat() if terms.valid_from else None,
        "valid_until": terms.valid_until.isoformat() if terms.valid_until else None,
        "redemption_limit": terms.redemption_limit,
        "customer_only": terms.customer_id is not None,
        "activated_at": event.activated_at.isoformat(),
    }


async def queue_vouchers_report(event: VouchersActivated, uow: UnitOfWork) -> None:
    """One report per report address, in the shop's language; none when the partner named none."""
    audience = await report_audience(uow.session, event.shop_id)
    if audience is None:
        return
    await queue_messages(
        uow.session,
        event,
        KIND,
        audience.addresses,
        audience.language,
        context_of(event, audience.currency),
    )
