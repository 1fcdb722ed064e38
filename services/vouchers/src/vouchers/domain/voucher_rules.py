"""Whether a typed voucher code may be used now (V4), with a precise reason when not.

The minimum order value is not checked here: it needs the cart's subtotal (see pricing.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from contracts.vouchers.shapes import VoucherKind
from vouchers.domain.pricing import VoucherOffer, VoucherRefusal


@dataclass(frozen=True)
class VoucherState:
    """What the vouchers table holds about one code, as the rules need it."""

    code: str
    kind: str
    value: Decimal
    min_order_value: Decimal
    valid_from: datetime | None
    valid_until: datetime | None
    redemption_limit: int
    use_count: int
    customer_id: UUID | None
    active: bool


def normalize_code(text: str) -> str:
    """Codes are case-insensitive and often pasted with spaces around them."""
    return text.strip().upper()


def check_voucher(
    state: VoucherState | None,
    code: str,
    *,
    customer_id: UUID | None,
    now: datetime,
    currency: str = "EUR",
) -> VoucherOffer | VoucherRefusal:
    """The first rule a code breaks, in a fixed order so a code always gets the same reason.

    ``currency`` is accepted for symmetry with ``price_cart``; no detail here names an amount.
    """
    if state is None:
        shown = normalize_code(code)
        return VoucherRefusal(shown, "unknown", f"There is no voucher code {shown}.")
    shown = state.code
    if not state.active:
        return VoucherRefusal(shown, "inactive", f"The code {shown} is not active.")
    if state.valid_from is not None and now < state.valid_from:
        return VoucherRefusal(
            shown, "not_yet_valid", f"The code {shown} is valid from {_moment(state.valid_from)}."
        )
    if state.valid_until is not None and now >= state.valid_until:
        return VoucherRefusal(
            shown, "expired", f"The code {shown} expired on {_moment(state.valid_until)}."
        )
    if state.use_count >= state.redemption_limit:
        return VoucherRefusal(shown, "used_up", _used_up_detail(shown, state.redemption_limit))
    if state.customer_id is not None and customer_id is None:
        return VoucherRefusal(
            shown,
            "not_for_this_customer",
            f"The code {shown} is personal: log in as the customer it was issued to.",
        )
    if state.customer_id is not None and customer_id != state.customer_id:
        return VoucherRefusal(
            shown, "not_for_this_customer", f"The code {shown} was issued to another customer."
        )
    return VoucherOffer(
        code=shown,
        kind=_kind(state.kind),
        value=state.value,
        min_order_value=state.min_order_value,
    )


def _moment(at: datetime) -> str:
    """A date when the moment is midnight UTC, else the date and time in UTC."""
    utc = at.astimezone(UTC)
    if (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0):
        return utc.date().isoformat()
    return utc.strftime("%Y-%m-%d %H:%M UTC")


def _used_up_detail(code: str, limit: int) -> str:
    if limit == 1:
        return f"The code {code} has already been used."
    return f"The code {code} has reached its limit of {limit} uses."


def _kind(kind: str) -> VoucherKind:
    """The table stores the kind as text; anything else is a data error, not a refusal."""
    if kind == "percent":
        return "percent"
    if kind == "fixed":
        return "fixed"
    raise ValueError(f"unknown voucher kind {kind!r}")
