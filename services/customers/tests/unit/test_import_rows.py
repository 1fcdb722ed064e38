"""Checks of a CSV import's header and rows (P9): pure functions, no database."""

from __future__ import annotations

import random
from collections.abc import Callable
from uuid import uuid4

import phonenumbers
import pytest
from email_validator import EmailNotValidError

from contracts.customers import ImportRowError
from customers.domain.import_rows import (
    CheckedChunk,
    CheckedRow,
    RowChecker,
    import_email,
    plain_e164,
    read_header,
    split_name,
)
from customers.domain.profile_input import Checked, check_phone, normalise_email

GUEST = uuid4()
GROUPS = {"guest": GUEST, "wholesale buyers": uuid4()}


def checker(*header: str) -> RowChecker:
    parsed, errors = read_header(list(header))
    assert errors == []
    return RowChecker(parsed, GROUPS)


def test_header_names_ignore_case_spaces_hyphens_and_a_bom() -> None:
    header, errors = read_header(["\ufeff First Name", "LAST-NAME", " E-Mail ", "VAT number"])
    assert errors == []
    assert header.keys == ("first_name", "last_name", "email", "vat_number")
    assert header.columns == ("First Name", "LAST-NAME", "E-Mail", "VAT number")
    assert header.column_of("email") == "E-Mail"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["name"], {("email", "required column is missing")}),
        (
            ["email", "phone"],
            {("name", "required column is missing (or first_name and last_name)")},
        ),
        (["email", "first_name"], {("last_name", "required column is missing")}),
        (
            ["Name", "email", "last_name"],
            {("Name", "use either name or first_name and last_name, not both")},
        ),
        (["name", "email", "Email"], {("Email", "column appears twice")}),
        (["name", "email", " "], {("", "column has no name")}),
    ],
)
def test_header_problems_name_the_column(cells: list[str], expected: set[tuple[str, str]]) -> None:
    _, errors = read_header(cells)
    assert {(e.column, e.reason) for e in errors} == expected
    assert all(e.line == 1 for e in errors)


def test_an_unknown_column_lists_the_known_ones() -> None:
    _, errors = read_header(["name", "email", "birthday"])
    assert len(errors) == 1
    assert errors[0].column == "birthday"
    assert errors[0].reason.startswith("unknown column (known: name, first_name, last_name,")


def test_a_full_name_is_split_at_its_last_space() -> None:
    assert split_name("  Ada   King  Lovelace ") == ("Ada King", "Lovelace")
    assert split_name("Cher") is None
    row = checker("name", "email").check(2, ["Ada King Lovelace", " Ada@Example.COM "])
    assert row == CheckedRow(
        line=2,
        email="ada@example.com",
        fields={"first_name": "Ada King", "last_name": "Lovelace"},
    )


def test_a_single_word_name_is_refused() -> None:
    errors = checker("Full Name", "email").check(9, ["Cher", "cher@example.com"])
    assert errors == [
        ImportRowError(
            line=9,
            column="Full Name",
            reason="needs a first and a last name (or use the first_name and last_name columns)",
        )
    ]


def test_optional_cells_are_normalised_and_empty_ones_leave_values_alone() -> None:
    rows = checker(
        "first_name",
        "last_name",
        "email",
        "phone",
        "company",
        "vat_number",
        "language",
        "newsletter",
        "group",
        "tax_exempt",
    )
    full = rows.check(
        3,
        [
            "Ada",
            "Lovelace",
            "ada@example.com",
            "+44 20 7946 0958",
            "  Analytical   Engines ",
            "FR 40 303 265 045",
            "FR",
            "Yes",
            " GUEST ",
            "0",
        ],
    )
    assert isinstance(full, CheckedRow)
    assert full.fields == {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "+442079460958",
        "company": "Analytical Engines",
        "vat_number": "FR40303265045",
        "language": "fr",
        "newsletter": True,
        "group_id": str(GUEST),
        "tax_exempt": False,
    }
    sparse = rows.check(4, ["Ada", "Lovelace", "ada@example.com", "", " ", "", "", "", "", ""])
    assert isinstance(sparse, CheckedRow)
    assert sparse.fields == {"first_name": "Ada", "last_name": "Lovelace"}


def test_every_bad_cell_is_reported_with_its_column() -> None:
    rows = checker(
        "Name", "Email", "Phone", "VAT Number", "Language", "Newsletter", "Group", "Tax Exempt"
    )
    errors = rows.check(
        7, ["Ada Lovelace", "ada@", "12", "FR123", "es", "perhaps", "Gold", "maybe"]
    )
    assert isinstance(errors, list)
    assert [e.column for e in errors] == [
        "Email",
        "Phone",
        "VAT Number",
        "Language",
        "Newsletter",
        "Group",
        "Tax Exempt",
    ]
    assert all(e.line == 7 for e in errors)
    assert errors[4].reason == "must be true or false (yes/no, 1/0), or empty"
    assert errors[5].reason == "is not a customer group of this shop"


def test_vat_alias_is_not_a_known_column() -> None:
    _, errors = read_header(["name", "email", "VAT"])
    assert [e.column for e in errors] == ["VAT"]


def test_required_cells_and_the_cell_count() -> None:
    rows = checker("first_name", "last_name", "email")
    assert rows.check(5, ["Ada", "", ""]) == [
        ImportRowError(line=5, column="last_name", reason="must not be empty"),
        ImportRowError(line=5, column="email", reason="is required"),
    ]
    assert rows.check(6, ["Ada", "Lovelace"]) == [
        ImportRowError(line=6, column="row", reason="has 2 cells, the header has 3")
    ]


def test_a_chunk_skips_blank_lines_and_keeps_the_errors() -> None:
    chunk = CheckedChunk(
        checker("name", "email"),
        10,
        [["Ada Lovelace", "ada@example.com"], ["", " "], [], ["Bob", "bob@example.com"]],
    )
    good = list(chunk.good_rows())
    assert [r.line for r in good] == [10]
    assert (chunk.rows, chunk.bad_rows) == (2, 1)
    assert [(e.line, e.column) for e in chunk.errors] == [(13, "name")]


EMAILS = [
    "Ada@Example.COM",
    " a.b+c@sub.example.org ",
    "x@localhost",
    "a@b",
    "a@-ex.com",
    "a@ex..com",
    "a..b@ex.com",
    "a@ex.123",
    "INFO@EX.COM",
    "a@xn--bcher-kva.example",
    "a" * 70 + "@ex.com",
    "a@" + "b" * 64 + ".com",
    "user@example.invalid",
    "a@ex.com.",
    "ü@ex.com",
    '"quoted"@ex.com',
    "Ada <ada@example.com>",
    "a@ex_ample.com",
]


def answer(normalise: Callable[[str], str], raw: str) -> str:
    try:
        return "ok: " + normalise(raw)
    except EmailNotValidError as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("raw", EMAILS)
def test_the_email_fast_path_answers_as_email_validator(raw: str) -> None:
    assert answer(import_email, raw) == answer(normalise_email, raw)


def slow_phone(raw: str) -> str | None:
    checked = Checked()
    check_phone(checked, raw, None)
    value: str | None = checked.values.get("phone")
    return value


def test_the_phone_fast_path_accepts_only_what_phonenumbers_accepts_the_same() -> None:
    samples = [
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
        if (example := phonenumbers.example_number_for_type(region, kind)) is not None
    ]
    generator = random.Random(4)
    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    samples += [
        f"+{generator.choice(codes)}{generator.randrange(10**4, 10**12)}" for _ in range(3000)
    ]
    samples += ["+390612345678", "+330612345678", "+78123456789", "+12125550123", "+0123"]
    accepted = 0
    for raw in samples:
        fast = plain_e164(raw)
        if fast is not None:
            accepted += 1
            assert fast == slow_phone(raw), raw
    assert accepted > 400
    assert plain_e164("+33 6 12 34 56 78") is None
    assert plain_e164("+33612345678") == "+33612345678"


def test_a_very_long_header_cell_is_cut_to_what_errors_can_name() -> None:
    header, errors = read_header(["name", "email", "x" * 150])
    assert header.columns[2] == "x" * 100
    assert [e.column for e in errors] == ["x" * 100]


def test_a_phone_from_our_own_formula_safe_export_reads_back() -> None:
    rows = checker("name", "email", "phone")
    row = rows.check(2, ["Ada Lovelace", "ada@example.com", "'+442079460958"])
    assert isinstance(row, CheckedRow)
    assert row.fields["phone"] == "+442079460958"
