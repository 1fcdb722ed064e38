"""Checks the header and the rows of a partner's CSV import (P9), one cell at a time.

Pure and cheap: a 100,000-row file is checked at tens of thousands of rows a second, so
optional checks run only on cells that hold something, and common email addresses take a
fast path that gives exactly what email-validator gives.

Rules a partner sees:
- Header names are case-insensitive; spaces and hyphens count as underscores ("First
  Name" is first_name; "E-Mail", "Full Name", "FirstName" and "LastName" are understood).
  ``email`` and either ``name`` or ``first_name`` and ``last_name`` are required; unknown,
  duplicate or unnamed columns are errors at line 1.
- ``name`` is split at its last space: "Ada King Lovelace" is first name "Ada King", last
  name "Lovelace". A single word is an error (every account needs a first name, which
  emails greet the customer with): write both names, or use first_name and last_name.
- Names and email are required in every row. Other empty cells leave the value as it is
  (or the default for a new customer); a cell cannot clear a value.
- newsletter and tax_exempt take true/false, yes/no or 1/0 (any case); language en, fr or
  de; group the name of one of the shop's groups (any case); phone the international form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

import phonenumbers
from email_validator import EmailNotValidError

from contracts.customers import ImportRowError
from customers.domain.group_names import group_name_key
from customers.domain.profile_input import (
    Checked,
    check_company,
    check_language,
    check_name,
    check_phone,
    check_vat_number,
    normalise_email,
)

HEADER_LINE = 1
COLUMN_MAX = 100
ROW_COLUMN = "row"
"""The ``column`` of an error about the whole row (its number of cells)."""

OPTIONAL_COLUMNS = (
    "phone",
    "company",
    "vat_number",
    "language",
    "newsletter",
    "group",
    "tax_exempt",
)
KNOWN_COLUMNS = ("name", "first_name", "last_name", "email", *OPTIONAL_COLUMNS)
PROFILE_FIELDS = ("first_name", "last_name", "language", "phone", "company", "vat_number")
"""Fields of the row that belong to the person's identity (A7); the others are the shop's."""

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})

_ATEXT = r"a-zA-Z0-9_!#$%&'*+\-/=?^`{|}~"
_SIMPLE_EMAIL = re.compile(rf"([{_ATEXT}]+(?:\.[{_ATEXT}]+)*)@([a-zA-Z0-9.\-]+)\Z")


@lru_cache(maxsize=4096)
def _domain(domain: str) -> str:
    """email-validator's normalised form of a plain ASCII domain; raises as it does."""
    return normalise_email(f"x@{domain}")[2:]


def import_email(raw: str) -> str:
    """Same result and errors as ``normalise_email``; plain ASCII addresses skip most work.

    For a dot-atom ASCII local part email-validator only checks the syntax matched here, so
    only the domain (cached: files repeat a few domains) needs its full check.
    """
    value = raw.strip()
    match = _SIMPLE_EMAIL.match(value)
    if match is None or len(value) > 254:
        return normalise_email(value)
    return f"{match[1]}@{_domain(match[2])}".lower()


_E164 = re.compile(r"\+([1-9][0-9]{6,14})")


def plain_e164(raw: str) -> str | None:
    """A valid number already written as E.164 (most files), else None: ``check_phone`` decides.

    Reads it as ``phonenumbers.parse`` would, without its general work: the country code,
    then the national number as it stands when no national prefix could be stripped from it.
    """
    value = raw.strip()
    match = _E164.fullmatch(value)
    if match is None:
        return None
    digits = match[1]
    for size in (1, 2, 3):
        country_code = int(digits[:size])
        if country_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[size:]
    if not national or national[0] == "0":
        return None
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        country_code, phonenumbers.region_code_for_country_code(country_code)
    )
    if metadata is None:
        return None
    prefix = metadata.national_prefix_for_parsing
    if prefix and re.match(prefix, national):
        return None
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))
    return value if phonenumbers.is_valid_number(number) else None


HEADER_ALIASES = {
    "e_mail": "email",
    "full_name": "name",
    "firstname": "first_name",
    "lastname": "last_name",
}


def header_key(cell: str) -> str:
    """What a header cell names: case, spaces and hyphens aside ("E-Mail" is email)."""
    key = "_".join(cell.replace("\ufeff", "").strip().lower().replace("-", " ").split())
    return HEADER_ALIASES.get(key, key)


@dataclass(frozen=True)
class ImportHeader:
    """The file's columns as written and what each one holds."""

    columns: tuple[str, ...]
    keys: tuple[str, ...]

    def column_of(self, field: str) -> str:
        """The header cell a row field came from (first and last name may come from name)."""
        if field in self.keys:
            return self.columns[self.keys.index(field)]
        if field in ("first_name", "last_name") and "name" in self.keys:
            return self.columns[self.keys.index("name")]
        return field

    def position(self, column: str) -> int:
        """Sort key of an error's column: the whole row first, then left to right."""
        return self.columns.index(column) + 1 if column in self.columns else 0

    def as_json(self) -> dict[str, list[str]]:
        return {"columns": list(self.columns), "keys": list(self.keys)}

    @classmethod
    def from_json(cls, data: Mapping[str, Sequence[str]]) -> ImportHeader:
        return cls(tuple(data["columns"]), tuple(data["keys"]))


def read_header(cells: Sequence[str]) -> tuple[ImportHeader, list[ImportRowError]]:
    """The header and its problems (columns are kept as written, up to COLUMN_MAX characters)."""
    columns = tuple(cell.replace("\ufeff", "").strip()[:COLUMN_MAX] for cell in cells)
    keys = tuple(header_key(cell) for cell in cells)
    header = ImportHeader(columns, keys)
    errors: list[ImportRowError] = []

    def error(column: str, reason: str) -> None:
        errors.append(ImportRowError(line=HEADER_LINE, column=column, reason=reason))

    seen: set[str] = set()
    for column, key in zip(columns, keys, strict=True):
        if not key:
            error(column, "column has no name")
        elif key not in KNOWN_COLUMNS:
            error(column, f"unknown column (known: {', '.join(KNOWN_COLUMNS)})")
        elif key in seen:
            error(column, "column appears twice")
        seen.add(key)
    if "email" not in seen:
        error("email", "required column is missing")
    if "name" in seen and seen & {"first_name", "last_name"}:
        error(header.column_of("name"), "use either name or first_name and last_name, not both")
    elif "name" not in seen:
        if not seen & {"first_name", "last_name"}:
            error("name", "required column is missing (or first_name and last_name)")
        for key in ("first_name", "last_name"):
            if key not in seen and seen & {"first_name", "last_name"}:
                error(key, "required column is missing")
    return header, errors


@dataclass(slots=True)
class CheckedRow:
    """A row that may be imported: the email it matches and the fields it sets."""

    line: int
    email: str
    fields: dict[str, Any]


def split_name(raw: str) -> tuple[str, str] | None:
    """First and last name from a full name, split at the last space; None for one word."""
    words = raw.split()
    if len(words) < 2:
        return None
    return " ".join(words[:-1]), words[-1]


CellCheck = Callable[[Checked, str], None]
"""Checks one cell: its value into ``checked.values``, a problem with ``checked.refuse``."""


def _email(checked: Checked, raw: str) -> None:
    if not raw.strip():
        checked.refuse("email", "is required")
        return
    try:
        checked.values["email"] = import_email(raw)
    except EmailNotValidError as exc:
        checked.refuse("email", str(exc))


def _full_name(checked: Checked, raw: str) -> None:
    names = split_name(raw)
    if names is None:
        reason = "is required" if not raw.strip() else "needs a first and a last name"
        checked.refuse("name", f"{reason} (or use the first_name and last_name columns)")
        return
    check_name(checked, "first_name", names[0])
    check_name(checked, "last_name", names[1])


def _first_name(checked: Checked, raw: str) -> None:
    check_name(checked, "first_name", raw)


def _last_name(checked: Checked, raw: str) -> None:
    check_name(checked, "last_name", raw)


def _phone(checked: Checked, raw: str) -> None:
    if not raw or raw.isspace():
        return
    # Our export writes '+33... (formula-neutralised): a re-imported export reads back as is.
    raw = raw.removeprefix("'")
    if (e164 := plain_e164(raw)) is not None:
        checked.values["phone"] = e164
    else:
        check_phone(checked, raw, None)


def _company(checked: Checked, raw: str) -> None:
    if raw and not raw.isspace():
        check_company(checked, raw)


def _vat_number(checked: Checked, raw: str) -> None:
    if raw and not raw.isspace():
        check_vat_number(checked, raw)


def _language(checked: Checked, raw: str) -> None:
    if raw and not raw.isspace():
        check_language(checked, raw)


def _flag(key: str) -> CellCheck:
    def check(checked: Checked, raw: str) -> None:
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            checked.values[key] = True
        elif word in FALSE_WORDS:
            checked.values[key] = False
        elif word:
            checked.refuse(key, "must be true or false (yes/no, 1/0), or empty")

    return check


def _group(groups: Mapping[str, UUID]) -> CellCheck:
    ids = {name: str(group_id) for name, group_id in groups.items()}

    def check(checked: Checked, raw: str) -> None:
        if not raw or raw.isspace():
            return
        group_id = ids.get(group_name_key(raw))
        if group_id is None:
            checked.refuse("group", "is not a customer group of this shop")
        else:
            checked.values["group_id"] = group_id

    return check


CELL_CHECKS: dict[str, CellCheck] = {
    "email": _email,
    "name": _full_name,
    "first_name": _first_name,
    "last_name": _last_name,
    "phone": _phone,
    "company": _company,
    "vat_number": _vat_number,
    "language": _language,
    "newsletter": _flag("newsletter"),
    "tax_exempt": _flag("tax_exempt"),
}


class RowChecker:
    """Checks the data rows of one file against its header and the shop's groups.

    ``groups`` maps the shop's group names (as ``group_name_key``) to their ids.
    """

    def __init__(self, header: ImportHeader, groups: Mapping[str, UUID]) -> None:
        checks = CELL_CHECKS | {"group": _group(groups)}
        self.width = len(header.keys)
        self.cells = [
            (column, checks[key]) for column, key in zip(header.columns, header.keys, strict=True)
        ]

    def check(self, line: int, cells: Sequence[str]) -> CheckedRow | list[ImportRowError]:
        """One data row: the row to stage, or one error per bad cell."""
        if len(cells) != self.width:
            return [
                ImportRowError(
                    line=line,
                    column=ROW_COLUMN,
                    reason=f"has {len(cells)} cells, the header has {self.width}",
                )
            ]
        checked = Checked()
        errors: list[ImportRowError] = []
        for (column, check), raw in zip(self.cells, cells, strict=True):
            check(checked, raw)
            if checked.problems:
                errors.extend(
                    ImportRowError(line=line, column=column, reason=problem.reason)
                    for problem in checked.problems
                )
                checked.problems.clear()
        if errors:
            return errors
        email = checked.values.pop("email")
        return CheckedRow(line=line, email=email, fields=checked.values)


def is_blank(cells: Sequence[str]) -> bool:
    """An empty line (or only empty cells): skipped, neither imported nor an error."""
    return not any(cell and not cell.isspace() for cell in cells)


class CheckedChunk:
    """One chunk's rows, checked while they are read: good rows stream out, errors stay here.

    Streaming lets the database take in checked rows while the next ones are checked.
    """

    def __init__(self, checker: RowChecker, first_line: int, rows: Sequence[Sequence[str]]) -> None:
        self.checker = checker
        self.first_line = first_line
        self.source = rows
        self.rows = 0
        self.bad_rows = 0
        self.errors: list[ImportRowError] = []

    def good_rows(self) -> Iterator[CheckedRow]:
        for line, cells in enumerate(self.source, start=self.first_line):
            if is_blank(cells):
                continue
            self.rows += 1
            checked = self.checker.check(line, cells)
            if isinstance(checked, CheckedRow):
                yield checked
            else:
                self.bad_rows += 1
                self.errors.extend(checked)
