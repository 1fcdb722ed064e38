"""How long a throttled caller must wait, in the whole seconds a Retry-After header carries."""

import math
from datetime import datetime


def seconds_until(moment: datetime, now: datetime) -> int:
    """Rounded up and never below 1, so a caller retrying at once is never told 0."""
    return max(1, math.ceil((moment - now).total_seconds()))
