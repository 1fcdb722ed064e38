"""The order's life (B3): which provider step may follow which status, and when it may be cancelled.

Cancelling stops at production: once the provider prints, the order is the partner's cost.
"""

from __future__ import annotations

from contracts.billing import OrderStatus, ProviderStep

NEXT_STEPS: dict[OrderStatus, tuple[ProviderStep, ...]] = {
    "placed": ("data_received",),
    "data_received": ("data_checked", "data_rejected"),
    "data_rejected": ("data_received",),
    "data_checked": ("in_production",),
    "in_production": ("shipped",),
}
"""The provider steps each status allows; 'data_rejected' waits for new files."""

CANCELLABLE: frozenset[OrderStatus] = frozenset(
    {"placed", "data_received", "data_checked", "data_rejected"}
)


class InvalidTransition(Exception):
    """The order's current status does not allow the change asked for."""

    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        super().__init__(f"{current} -> {wanted}")
        self.current = current
        self.wanted = wanted


def after_step(current: OrderStatus, step: ProviderStep) -> OrderStatus:
    """The status once the provider reports ``step``; InvalidTransition when it cannot follow."""
    if step not in NEXT_STEPS.get(current, ()):
        raise InvalidTransition(current, step)
    return step


def after_cancel(current: OrderStatus) -> OrderStatus:
    """'cancelled' while production has not started; InvalidTransition after that."""
    if current not in CANCELLABLE:
        raise InvalidTransition(current, "cancelled")
    return "cancelled"


def allowed_next(current: OrderStatus) -> list[OrderStatus]:
    """What may follow ``current`` (for the refusal's detail), cancellation included."""
    allowed: list[OrderStatus] = list(NEXT_STEPS.get(current, ()))
    if current in CANCELLABLE:
        allowed.append("cancelled")
    return allowed
