"""Language codes as stored text and as the contracts' Literal (names fall back per shop)."""

from contracts.gateway import Language

LANGUAGES: dict[str, Language] = {"en": "en", "fr": "fr", "de": "de"}


def as_language(value: str) -> Language:
    """A stored code back to the contracts' Literal; anything unknown reads as English."""
    return LANGUAGES.get(value, "en")
