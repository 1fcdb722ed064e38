"""Links in emails lead to the shop's own storefront, never to a platform address."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID


def storefront_base(configured: str | None, fallback_template: str, shop_id: UUID) -> str:
    """The shop's storefront URL, else the platform's storefront route for this shop."""
    base = configured or fallback_template.format(shop_id=shop_id)
    return base.rstrip("/")


def token_link(base: str, path: str, token: str) -> str:
    """E.g. ``https://shop.example/invitation?token=...`` with the token URL-encoded."""
    return f"{base}/{path}?{urlencode({'token': token})}"
