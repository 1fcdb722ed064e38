"""Schemas of every message that crosses a Clientele service boundary, one module per owner."""

from contracts import billing, customers, gateway, notifier, vouchers
from contracts.base import Command, CommandError, Event, FieldError, Message, Reply

MODULES = (gateway, customers, vouchers, billing, notifier)


def all_messages() -> list[type[Message]]:
    """Every concrete event and command, in a stable order (owner, then name)."""
    found: list[type[Message]] = []
    for module in MODULES:
        for name in sorted(module.__all__):
            obj = getattr(module, name)
            if (
                isinstance(obj, type)
                and issubclass(obj, Event | Command)
                and hasattr(obj, "ROUTING_KEY")
            ):
                found.append(obj)
    return found


__all__ = [
    "MODULES",
    "Command",
    "CommandError",
    "Event",
    "FieldError",
    "Message",
    "Reply",
    "all_messages",
]
