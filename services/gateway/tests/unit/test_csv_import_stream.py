"""Streaming CSV parse of an import upload: records, their file lines, chunks, bad files."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.domain.csv_import_stream import (
    MAX_LINE_CHARS,
    MAX_RECORD_LINES,
    CsvFileProblem,
    CsvRecord,
    RowChunk,
    consecutive_chunks,
    csv_records,
    header_and_rows,
)


async def pieces_of(data: bytes, size: int) -> AsyncIterator[bytes]:
    """The body as a server hands it over: in pieces that split lines and characters."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def records(data: bytes, size: int = 5) -> list[CsvRecord]:
    return [record async for batch in csv_records(pieces_of(data, size)) for record in batch]


async def chunks(data: bytes, chunk_rows: int, size: int = 64) -> list[RowChunk]:
    _, rows = await header_and_rows(pieces_of(data, size))
    return [chunk async for chunk in consecutive_chunks(rows, chunk_rows)]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
async def test_records_keep_their_line_whatever_the_pieces(size: int) -> None:
    data = (
        "\ufeffname,email,company\r\n"
        'Zoé Müller,zoe@example.com,"Crème, ""Brûlée"""\r\n'
        '"Jean\nPaul Sartre",jp@example.com,"Les\r\nTemps\nModernes"\n'
        "\n"
        "Simone,simone@example.com,\n"
        "Last,last@example.com,no newline at the end"
    ).encode()
    assert await records(data, size) == [
        CsvRecord(1, ["name", "email", "company"]),
        CsvRecord(2, ["Zoé Müller", "zoe@example.com", 'Crème, "Brûlée"']),
        CsvRecord(3, ["Jean\nPaul Sartre", "jp@example.com", "Les\r\nTemps\nModernes"]),
        CsvRecord(8, ["Simone", "simone@example.com", ""]),
        CsvRecord(9, ["Last", "last@example.com", "no newline at the end"]),
    ]


async def test_a_bom_is_only_stripped_at_the_start() -> None:
    assert await records("\ufeffemail\nx\ufeffy\n".encode()) == [
        CsvRecord(1, ["email"]),
        CsvRecord(2, ["x\ufeffy"]),
    ]
    assert await records(b"email\n") == [CsvRecord(1, ["email"])]


@pytest.mark.parametrize("size", [1, 4, 1000])
async def test_invalid_utf8_names_its_line(size: int) -> None:
    data = "email\né@example.com\n".encode() + b"ok\nbad\xff\xfe here\nmore\n"
    with pytest.raises(CsvFileProblem) as caught:
        await records(data, size)
    assert (caught.value.line, caught.value.reason) == (4, "is not valid UTF-8")


async def test_a_truncated_character_at_the_end_is_invalid() -> None:
    data = b"email\n" + "é".encode()[:1]
    with pytest.raises(CsvFileProblem) as caught:
        await records(data)
    assert caught.value.line == 2


async def test_an_unclosed_quote_is_reported_on_its_record() -> None:
    data = b'name,email\nok,a@example.com\n"broken,b@example.com\nc,c@example.com\n'
    with pytest.raises(CsvFileProblem) as caught:
        await records(data)
    assert caught.value.line == 3
    assert "quoted cell is not closed" in caught.value.reason


async def test_text_after_a_closing_quote_is_refused() -> None:
    with pytest.raises(CsvFileProblem) as caught:
        await records(b'name,email\n"a"b,a@example.com\n')
    assert caught.value.line == 2
    assert caught.value.reason.startswith("is not valid CSV")


async def test_a_runaway_quoted_cell_stops_early() -> None:
    data = b'name,email\n"open' + b"\nmore" * (MAX_RECORD_LINES + 5) + b'"\n'
    with pytest.raises(CsvFileProblem) as caught:
        await records(data, 4096)
    assert caught.value.line == 2
    assert "more than" in caught.value.reason


async def test_a_file_without_line_breaks_is_refused() -> None:
    with pytest.raises(CsvFileProblem) as caught:
        await records(b"email\n" + b"x" * (MAX_LINE_CHARS + 10), 65536)
    assert caught.value.line == 2


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\r\n\n"])
async def test_an_empty_file_has_no_header(data: bytes) -> None:
    with pytest.raises(CsvFileProblem) as caught:
        await header_and_rows(pieces_of(data, 1))
    assert caught.value.line == 1


async def test_chunks_hold_consecutive_lines_of_at_most_the_size() -> None:
    lines = "".join(f"n{i},e{i}@example.com\n" for i in range(2, 13))
    found = await chunks(f"name,email\n{lines}".encode(), 4, size=7)
    assert [(c.first_line, len(c.rows)) for c in found] == [(2, 4), (6, 4), (10, 3)]
    assert found[0].rows[0] == ["n2", "e2@example.com"]
    assert found[2].rows[-1] == ["n12", "e12@example.com"]


async def test_a_multiline_record_or_a_blank_line_ends_its_chunk() -> None:
    data = (
        b"name,email\n"
        b"a,a@example.com\n"  # line 2
        b'"b\nb",b@example.com\n'  # lines 3-4
        b"c,c@example.com\n"  # line 5
        b"\n"  # line 6, blank
        b"d,d@example.com\n"  # line 7
        b"e,e@example.com\n"  # line 8
    )
    found = await chunks(data, 100)
    assert [(c.first_line, [r[0] for r in c.rows]) for c in found] == [
        (2, ["a", "b\nb"]),
        (5, ["c"]),
        (7, ["d", "e"]),
    ]
    for chunk in found:  # every row's line is first_line + its index, as the contract says
        for index, row in enumerate(chunk.rows):
            line = data.split(b"\n")[chunk.first_line + index - 1]
            assert line.lstrip(b'"').startswith(row[0][:1].encode())


async def test_the_header_alone_gives_no_chunk() -> None:
    header, rows = await header_and_rows(pieces_of(b"\xef\xbb\xbfname,email\r\n", 3))
    assert header == CsvRecord(1, ["name", "email"])
    assert [chunk async for chunk in consecutive_chunks(rows, 10)] == []
