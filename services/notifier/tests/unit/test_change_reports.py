"""Which voucher codes a system change report lists (V6): all up to 20, else 20 and a count."""

from hypothesis import given
from hypothesis import strategies as st

from notifier.domain.change_reports import CODES_LISTED_MAX, listed_codes


def codes(n: int) -> list[str]:
    return [f"CODE-{i:04d}" for i in range(n)]


def test_up_to_20_codes_are_all_listed() -> None:
    for n in (1, 19, 20):
        listed = listed_codes(codes(n), n)
        assert (listed.shown, listed.more) == (codes(n), 0)


def test_21_codes_list_20_and_one_more() -> None:
    listed = listed_codes(codes(21), 21)

    assert (listed.shown, listed.more) == (codes(20), 1)


def test_a_batch_whose_event_carries_only_its_first_100_codes_counts_them_all() -> None:
    listed = listed_codes(codes(100), 500)

    assert (listed.shown, listed.more) == (codes(20), 480)


@given(
    carried=st.integers(min_value=0, max_value=150),
    extra=st.integers(min_value=0, max_value=10_000),
)
def test_shown_plus_more_is_the_count_and_shown_is_the_head(carried: int, extra: int) -> None:
    count = carried + extra
    listed = listed_codes(codes(carried), count)

    assert listed.shown == codes(carried)[:CODES_LISTED_MAX]
    assert len(listed.shown) + listed.more == count
