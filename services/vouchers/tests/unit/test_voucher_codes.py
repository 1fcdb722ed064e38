"""Generated voucher codes (V4): unguessable, unique in a batch, easy to type."""

from __future__ import annotations

import random
import re

import pytest

from vouchers.domain.voucher_codes import ALPHABET, generate_code, generate_codes

RANDOM_PART = re.compile(f"[{ALPHABET}]{{10}}")


def test_the_alphabet_has_no_look_alikes() -> None:
    assert not set(ALPHABET) & set("01IO")
    assert len(set(ALPHABET)) == len(ALPHABET) == 32


def test_a_code_is_ten_characters_from_the_alphabet() -> None:
    code = generate_code("")
    assert RANDOM_PART.fullmatch(code)


@pytest.mark.parametrize(
    ("prefix", "head"),
    [("spring", "SPRING-"), (" Flyer_26 ", "FLYER_26-"), ("SUMMER-", "SUMMER-")],
)
def test_a_prefix_is_upper_cased_and_joined_with_a_dash(prefix: str, head: str) -> None:
    code = generate_code(prefix)
    assert code.startswith(head)
    assert RANDOM_PART.fullmatch(code.removeprefix(head))


def test_a_prefix_with_other_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="prefix"):
        generate_code("spring sale")


def test_a_given_system_random_source_is_used() -> None:
    code = generate_code("x", random.SystemRandom())
    assert RANDOM_PART.fullmatch(code.removeprefix("X-"))


def test_ten_thousand_generated_codes_are_distinct_and_well_formed() -> None:
    codes = generate_codes("camp", 10_000)
    assert len(codes) == len(set(codes)) == 10_000
    assert all(c.startswith("CAMP-") and RANDOM_PART.fullmatch(c[5:]) for c in codes)
    # every character of the alphabet shows up: nothing is left out of the draw
    assert set("".join(c[5:] for c in codes)) == set(ALPHABET)


def test_zero_codes_is_an_empty_batch_and_a_negative_count_an_error() -> None:
    assert generate_codes("", 0) == []
    with pytest.raises(ValueError, match="count"):
        generate_codes("", -1)
