"""Brand, partner-copy and report settings: what is refused (naming the field) and how values are stored."""

import pytest
from pydantic import ValidationError

from contracts.notifier import PartnerCopySettings, ReportAddresses, ShopBrandSettings
from notifier.domain.settings_checks import (
    checked_brand,
    checked_partner_copies,
    checked_report_addresses,
)

GOOD_BRAND = ShopBrandSettings(
    brand_name="  Atelier Lumière ",
    sender_name="Atelier Lumière, Service client",
    sender_email="Bonjour@Atelier-Lumiere.EXAMPLE",
    reply_to="aide@atelier-lumiere.example",
    logo_url="https://cdn.atelier-lumiere.example/logo.png",
    primary_color="#7C2D12",
    accent_color="#0f766e",
    legal_notice="Atelier Lumière SARL\n12 rue des Lilas, 75011 Paris\nRCS Paris 123 456 789",
    storefront_url="https://www.atelier-lumiere.example/",
)


def fields_of(settings: ShopBrandSettings) -> dict[str, str]:
    _, problems = checked_brand(settings)
    return {problem.field: problem.reason for problem in problems}


def test_a_good_brand_is_trimmed_and_normalised() -> None:
    cleaned, problems = checked_brand(GOOD_BRAND)

    assert problems == []
    assert cleaned.brand_name == "Atelier Lumière"
    assert cleaned.sender_email == "Bonjour@atelier-lumiere.example"
    assert cleaned.primary_color == "#7c2d12"
    assert cleaned.storefront_url == "https://www.atelier-lumiere.example"
    assert cleaned.legal_notice.count("\n") == 2, "line breaks of the legal notice are kept"


def test_every_bad_field_is_named_at_once() -> None:
    bad = GOOD_BRAND.model_copy(
        update={
            "brand_name": " ",
            "sender_name": "Evil\r\nBcc: victim@example.com",
            "sender_email": "not-an-email",
            "reply_to": "also@bad@example.com",
            "logo_url": "javascript:alert(1)",
            "storefront_url": "ftp://shop.example",
            "legal_notice": "x" * 2001,
        }
    )

    problems = fields_of(bad)

    assert set(problems) == {
        "brand_name",
        "sender_name",
        "sender_email",
        "reply_to",
        "logo_url",
        "storefront_url",
        "legal_notice",
    }
    assert problems["brand_name"] == "must not be empty"
    assert "line breaks" in problems["sender_name"]
    assert "http" in problems["logo_url"]


@pytest.mark.parametrize(
    "url",
    ["https://", "http:///path", "https://shop .example", "//shop.example", "shop.example"],
)
def test_urls_must_be_absolute_http_urls(url: str) -> None:
    assert "storefront_url" in fields_of(GOOD_BRAND.model_copy(update={"storefront_url": url}))


def test_empty_optional_fields_become_none() -> None:
    cleaned, problems = checked_brand(
        GOOD_BRAND.model_copy(update={"reply_to": " ", "logo_url": "", "storefront_url": None})
    )

    assert problems == []
    assert (cleaned.reply_to, cleaned.logo_url, cleaned.storefront_url) == (None, None, None)


def test_email_addresses_need_no_network_but_a_real_domain() -> None:
    assert "sender_email" in fields_of(
        GOOD_BRAND.model_copy(update={"sender_email": "a@localhost"})
    )
    assert fields_of(GOOD_BRAND.model_copy(update={"sender_email": "a@café.example"})) == {}


def test_colours_are_checked_by_the_contract() -> None:
    with pytest.raises(ValidationError):
        ShopBrandSettings.model_validate(
            GOOD_BRAND.model_dump() | {"primary_color": "red; background:url(x)"}
        )


def test_partner_addresses_are_normalised_and_deduplicated() -> None:
    cleaned, problems = checked_partner_copies(
        PartnerCopySettings(
            addresses=["Shop@Example.com", " shop@example.com", "orders@example.com"],
            kinds=["registration", "invoice", "registration"],
        )
    )

    assert problems == []
    assert cleaned.addresses == ["shop@example.com", "orders@example.com"]
    assert cleaned.kinds == ["registration", "invoice"]


def test_partner_addresses_name_the_bad_entry_and_the_count() -> None:
    _, problems = checked_partner_copies(
        PartnerCopySettings(addresses=["ok@example.com", "broken"], kinds=[])
    )
    assert [p.field for p in problems] == ["addresses.1"]

    _, problems = checked_partner_copies(PartnerCopySettings(addresses=[], kinds=[]))
    assert [p.field for p in problems] == ["addresses"]

    eleven = [f"p{n}@example.com" for n in range(11)]
    _, problems = checked_partner_copies(PartnerCopySettings(addresses=eleven, kinds=[]))
    assert [p.field for p in problems] == ["addresses"]


def test_unknown_copy_kinds_are_refused_by_the_contract() -> None:
    with pytest.raises(ValidationError):
        PartnerCopySettings.model_validate({"addresses": ["a@example.com"], "kinds": ["spam"]})


def test_report_addresses_are_normalised_and_deduplicated_like_partner_addresses() -> None:
    raw = ["Reports@Example.com", " reports@example.com", "Owner@Example.com"]

    addresses, problems = checked_report_addresses(ReportAddresses(addresses=raw))
    partner, _ = checked_partner_copies(PartnerCopySettings(addresses=raw))

    assert problems == []
    assert addresses == ["reports@example.com", "owner@example.com"]
    assert addresses == partner.addresses


def test_no_report_addresses_is_allowed_and_means_no_reports() -> None:
    assert checked_report_addresses(ReportAddresses(addresses=[])) == ([], [])


def test_report_addresses_name_each_bad_entry_under_settings() -> None:
    _, problems = checked_report_addresses(
        ReportAddresses(addresses=["ok@example.com", "broken", "a@localhost"])
    )

    assert [p.field for p in problems] == ["settings.addresses.1", "settings.addresses.2"]
    assert all(p.reason for p in problems)


def test_more_than_20_report_addresses_are_refused() -> None:
    twenty_one = [f"r{n}@example.com" for n in range(21)]
    with pytest.raises(ValidationError):
        ReportAddresses(addresses=twenty_one)  # the contract refuses them first

    _, problems = checked_report_addresses(ReportAddresses.model_construct(addresses=twenty_one))

    assert [p.field for p in problems] == ["settings.addresses"]
    assert "20" in problems[0].reason
