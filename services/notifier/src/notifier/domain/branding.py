"""A shop's brand as customers see it, and which language an email is written in."""

from __future__ import annotations

from dataclasses import dataclass

SUPPORTED_LANGUAGES = ("en", "fr", "de")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Brand:
    """Everything a customer-facing email shows about its shop (never the provider's brand)."""

    name: str
    sender_email: str
    default_language: str
    timezone: str


def choose_language(requested: str | None, brand: Brand) -> str:
    """The customer's language when we write it, else the shop's, else English."""
    for language in (requested, brand.default_language):
        if language in SUPPORTED_LANGUAGES:
            return language
    return FALLBACK_LANGUAGE
