"""Customer group names (P6): the three every shop starts with, and what makes two names equal."""

from __future__ import annotations

from typing import Literal

from contracts.base import FieldError

SystemKey = Literal["visitor", "guest", "customer"]
NAME_MAX = 100

SYSTEM_GROUPS: dict[str, tuple[tuple[SystemKey, str], ...]] = {
    "en": (("visitor", "Visitor"), ("guest", "Guest"), ("customer", "Customer")),
    "fr": (("visitor", "Visiteur"), ("guest", "Invité"), ("customer", "Client")),
    "de": (("visitor", "Besucher"), ("guest", "Gast"), ("customer", "Kunde")),
}
"""Named in the shop's default language; the partner may rename them later."""


def system_groups(language: str) -> tuple[tuple[SystemKey, str], ...]:
    return SYSTEM_GROUPS.get(language, SYSTEM_GROUPS["en"])


def clean_group_name(raw: str) -> str:
    """Trimmed, inner runs of whitespace made one space."""
    return " ".join(raw.split())


def group_name_key(name: str) -> str:
    """What must be unique per shop: names differing only in case are the same group."""
    return clean_group_name(name).lower()


def group_name_problem(name: str) -> FieldError | None:
    if not name:
        return FieldError(field="name", reason="must not be empty")
    if len(name) > NAME_MAX:
        return FieldError(field="name", reason=f"must have at most {NAME_MAX} characters")
    return None
