"""Links in emails: the shop's storefront, else the configured platform route for the shop."""

from uuid import UUID

import pytest
from pydantic import ValidationError

from notifier.config import NotifierSettings
from notifier.domain.storefront_links import storefront_base, token_link

SHOP = UUID("12345678-1234-5678-1234-567812345678")


def test_the_shop_storefront_wins_over_the_fallback() -> None:
    assert storefront_base("https://shop.example/", "http://x/{shop_id}", SHOP) == (
        "https://shop.example"
    )


def test_the_fallback_names_the_shop() -> None:
    default = NotifierSettings().storefront_base_url

    assert storefront_base(None, default, SHOP) == f"http://127.0.0.1:8100/shops/{SHOP}"


def test_the_token_is_url_encoded() -> None:
    link = token_link("https://shop.example", "password-reset", "a+b/c=d&e f")

    assert link == "https://shop.example/password-reset?token=a%2Bb%2Fc%3Dd%26e+f"


@pytest.mark.parametrize(
    "template", ["ftp://shops.example/{shop_id}", "https://x/{shop}", "https://x/{0}", "/shops"]
)
def test_a_template_that_cannot_make_a_link_is_refused_at_start_up(template: str) -> None:
    with pytest.raises(ValidationError, match="storefront_base_url"):
        NotifierSettings(storefront_base_url=template)
