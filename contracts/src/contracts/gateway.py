"""Messages owned by the gateway: shops and their settings."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from contracts.base import Event

Language = Literal["en", "fr", "de"]
VerificationMode = Literal["code", "none"]


class ShopOpened(Event):
    """An operator opened a partner shop; every service starts serving it."""

    OWNER: ClassVar[str] = "gateway"
    ROUTING_KEY: ClassVar[str] = "gateway.shop.opened.v1"
    type: Literal["ShopOpened"] = "ShopOpened"
    version: Literal[1] = 1

    brand_name: str = Field(
        description="The shop's brand as customers see it.", examples=["Print Atelier"]
    )
    slug: str = Field(description="URL-safe form of the brand, unique.", examples=["print-atelier"])
    default_language: Language = Field(description="Language used when a customer has none.")
    currency: str = Field(description="ISO 4217 code of the shop's prices.", examples=["EUR"])
    timezone: str = Field(
        description="IANA time zone shown to the shop's people.", examples=["Europe/Paris"]
    )
    sender_email: str = Field(
        description="From address of the shop's emails.", examples=["hello@print-atelier.example"]
    )
    verification_mode: VerificationMode = Field(
        description="'code': new customers confirm their email with a code; 'none': they do not."
    )
    storefront_url: str | None = Field(
        default=None, description="Base URL of the shop's storefront; links in emails start here."
    )


__all__ = ["Language", "ShopOpened", "VerificationMode"]
