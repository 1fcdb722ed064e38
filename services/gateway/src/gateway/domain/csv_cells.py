"""Spreadsheet-formula neutralising for exported cells (P10, OWASP "CSV injection")."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet may run a cell that begins with one of these as a formula."""


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet shows but never evaluates: a leading ' when risky."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
