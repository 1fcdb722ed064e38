"""Streaming CSV parse of an uploaded import (P9): records with their file line, never the whole file.

``csv.reader`` pulls lines synchronously while the body arrives asynchronously, so records are
parsed from the lines received so far; when a record needs a line that has not arrived yet,
its partial lines are put back and parsed again by a fresh reader once more bytes are in.
"""

from __future__ import annotations

import codecs
import csv
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from dataclasses import dataclass, field

MAX_LINE_CHARS = 1_000_000
"""A physical line longer than this is refused (a file without line breaks is not a CSV)."""
MAX_RECORD_LINES = 1_000
"""A record spanning more lines than this most likely misses a closing quote."""


class CsvFileProblem(Exception):
    """The upload is not a readable CSV file at ``line`` (1 = the first line of the file)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class CsvRecord:
    """One record and the physical line it starts on."""

    line: int
    cells: list[str]


@dataclass
class RowChunk:
    """Records on consecutive lines: ``rows[i]`` starts on line ``first_line + i``."""

    first_line: int
    rows: list[list[str]] = field(default_factory=list)

    @property
    def next_line(self) -> int:
        return self.first_line + len(self.rows)


class _NeedMoreLines(Exception):
    """The reader wants a line that has not arrived yet."""


class _Lines:
    """The lines ``csv.reader`` reads; remembers those the current record took."""

    def __init__(self) -> None:
        self.waiting: deque[str] = deque()
        self.taken: list[str] = []
        self.ended = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.waiting:
            line = self.waiting.popleft()
            self.taken.append(line)
            return line
        if self.ended:
            raise StopIteration
        raise _NeedMoreLines

    def put_back(self) -> None:
        self.waiting.extendleft(reversed(self.taken))
        self.taken.clear()


class _Decoder:
    """UTF-8 (BOM stripped) to complete lines, counting lines to name the one a bad byte is on."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._partial = ""
        self._lines_done = 0

    def lines(self, data: bytes, *, final: bool = False) -> list[str]:
        """The complete lines ``data`` finishes, each with its line break (the last may lack it)."""
        try:
            text = self._partial + self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            line = self._lines_done + exc.object[: exc.start].count(b"\n") + 1
            raise CsvFileProblem(line, "is not valid UTF-8") from exc
        pieces = text.split("\n")
        self._partial = pieces.pop()
        complete = [f"{piece}\n" for piece in pieces]
        if final and self._partial:
            complete.append(self._partial)
            self._partial = ""
        self._lines_done += len(complete)
        if len(self._partial) > MAX_LINE_CHARS:
            raise CsvFileProblem(
                self._lines_done + 1, f"is longer than {MAX_LINE_CHARS} characters"
            )
        return complete


async def csv_records(body: AsyncIterable[bytes]) -> AsyncIterator[list[CsvRecord]]:
    """The file's records, a batch per piece of body received; blank lines are skipped."""
    decoder = _Decoder()
    lines = _Lines()
    reader = csv.reader(lines, strict=True)
    line = 1
    pieces = aiter(body)
    while True:
        batch: list[CsvRecord] = []
        while True:
            lines.taken.clear()
            try:
                cells = next(reader)
            except _NeedMoreLines:
                lines.put_back()
                break
            except StopIteration:
                if batch:
                    yield batch
                return
            except csv.Error as exc:
                raise CsvFileProblem(line, _csv_reason(exc, lines)) from exc
            if len(lines.taken) > MAX_RECORD_LINES:
                raise CsvFileProblem(
                    line, f"a quoted cell runs over more than {MAX_RECORD_LINES} lines"
                )
            if cells:
                batch.append(CsvRecord(line, cells))
            line += len(lines.taken)
        if batch:
            yield batch
        if len(lines.waiting) > MAX_RECORD_LINES:
            raise CsvFileProblem(
                line, f"a quoted cell runs over more than {MAX_RECORD_LINES} lines"
            )
        piece = await anext(pieces, None)
        if piece is None:
            lines.waiting.extend(decoder.lines(b"", final=True))
            lines.ended = True
        else:
            lines.waiting.extend(decoder.lines(piece))
        reader = csv.reader(lines, strict=True)


def _csv_reason(exc: csv.Error, lines: _Lines) -> str:
    if lines.ended and not lines.waiting:
        return "a quoted cell is not closed before the end of the file"
    return f"is not valid CSV ({exc})"


async def consecutive_chunks(
    batches: AsyncIterator[list[CsvRecord]], size: int
) -> AsyncIterator[RowChunk]:
    """Chunks of at most ``size`` rows, cut where a row does not start on the next line.

    The import command only carries the first row's line, so a record spanning several lines
    (or a blank line) ends its chunk to keep every row's line number exact.
    """
    chunk: RowChunk | None = None
    async for batch in batches:
        for record in batch:
            if chunk is not None and (len(chunk.rows) >= size or record.line != chunk.next_line):
                yield chunk
                chunk = None
            if chunk is None:
                chunk = RowChunk(record.line)
            chunk.rows.append(record.cells)
    if chunk is not None:
        yield chunk


async def header_and_rows(
    body: AsyncIterable[bytes],
) -> tuple[CsvRecord, AsyncIterator[list[CsvRecord]]]:
    """The header record, and the records after it; an empty file has no header."""
    batches = csv_records(body)
    first = await anext(batches, None)
    if not first:
        raise CsvFileProblem(1, "the file is empty: a header row is expected")

    async def rows() -> AsyncIterator[list[CsvRecord]]:
        if len(first) > 1:
            yield first[1:]
        async for batch in batches:
            yield batch

    return first[0], rows()
