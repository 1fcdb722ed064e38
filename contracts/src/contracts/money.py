"""Money, percentages and rates as the messages carry them: decimals, never floats.

JSON carries them as strings ("12.50"), so no reader turns them into binary floats.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

Money = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2, description="Amount in the shop's currency."),
]
"""A signed amount to the cent (adjustments that lower a price are negative)."""

PositiveMoney = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
"""A price, cost or threshold: zero or more, to the cent."""

UnitPrice = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=4, description="Net price of one unit."),
]
"""Unit prices of print products are often fractions of a cent (0.0450 a flyer)."""

VatRate = Annotated[
    Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2, examples=["20.00", "5.50"])
]
"""A VAT rate in percent."""

Percent = Annotated[Decimal, Field(max_digits=5, decimal_places=2)]
"""A percentage with up to two decimals (bounds are set where it is used)."""

__all__ = ["Money", "Percent", "PositiveMoney", "UnitPrice", "VatRate"]
