from gateway.domain.shop_settings import currency_problem, slug_candidates, timezone_problem
from gateway.domain.tokens import new_partner_token, token_digest


def test_currency_and_time_zone_are_checked_against_the_standards() -> None:
    assert currency_problem("EUR") is None
    assert currency_problem("EUX") == "is not an ISO 4217 currency code"
    assert timezone_problem("Europe/Paris") is None
    assert timezone_problem("Paris") == "is not an IANA time zone"


def test_slugs_come_from_the_brand_with_numbered_fallbacks() -> None:
    candidates = slug_candidates("Atelier Lumière & Co")
    assert candidates[:3] == ["atelier-lumiere-co", "atelier-lumiere-co-2", "atelier-lumiere-co-3"]
    assert slug_candidates("***")[0] == "shop"


def test_tokens_are_random_and_kept_only_as_digests() -> None:
    first, second = new_partner_token(), new_partner_token()
    assert first != second
    assert first.startswith("pt_")
    assert token_digest(first) != first
    assert len(token_digest(first)) == 64
