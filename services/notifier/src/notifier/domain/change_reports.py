"""What a system change report lists (V6): a long batch of voucher codes is cut, not dropped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CODES_LISTED_MAX = 20
"""A report lists this many codes at most; the partner finds the rest in the backend."""


@dataclass(frozen=True)
class ListedCodes:
    """The codes a report shows, and how many more were activated ("… and N more")."""

    shown: list[str]
    more: int


def listed_codes(codes: Sequence[str], count: int, limit: int = CODES_LISTED_MAX) -> ListedCodes:
    """All codes when there are at most ``limit``, else the first ``limit``; ``more`` counts the rest.

    ``count`` is how many were activated: a generated batch's event carries only its first codes.
    """
    shown = list(codes[:limit])
    return ListedCodes(shown=shown, more=max(count - len(shown), 0))
