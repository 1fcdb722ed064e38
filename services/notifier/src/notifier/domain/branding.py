"""A shop's brand as customers see it, and which language an email is written in."""

from __future__ import annotations

from dataclasses import dataclass

SUPPORTED_LANGUAGES = ("en", "fr", "de")
FALLBACK_LANGUAGE = "en"
DEFAULT_PRIMARY_COLOR = "#1f2937"
DEFAULT_ACCENT_COLOR = "#2563eb"


@dataclass(frozen=True)
class Brand:
    """Everything a customer-facing email shows about its shop (never the provider's brand)."""

    name: str
    sender_email: str
    default_language: str
    timezone: str
    sender_name: str | None = None
    reply_to: str | None = None
    logo_url: str | None = None
    primary_color: str = DEFAULT_PRIMARY_COLOR
    accent_color: str = DEFAULT_ACCENT_COLOR
    legal_notice: str = ""
    storefront_url: str | None = None

    @property
    def from_name(self) -> str:
        """Display name of the From header: the sender name, else the brand, on one line."""
        return " ".join((self.sender_name or self.name).split())


def choose_language(requested: str | None, brand: Brand) -> str:
    """The customer's language when we write it, else the shop's, else English."""
    for language in (requested, brand.default_language):
        if language in SUPPORTED_LANGUAGES:
            return language
    return FALLBACK_LANGUAGE
