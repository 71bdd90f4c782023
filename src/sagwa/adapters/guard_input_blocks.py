"""A price guard input file read in blocks of rows, so a file of any size is read in bounded
memory: :func:`iter_text_blocks` yields each block as :func:`guard_input.read_table` would
read the whole file (text columns plus ``_line``, the file's line numbers; the ragged rows
apart), and raises the same refusals for a file that cannot be read as a table.

A block ends at a line break outside a quoted value (an even count of ``"`` before it), so a
value with a line break in it stays in one block; a quote that is never closed makes the rest
of the file one block, which is then refused as a whole file would be.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import polars as pl

from sagwa.adapters.guard_input import (
    _GZIP_MAGIC,
    KEYS,
    ReadResult,
    check_readable,
    text_frame_of,
)
from sagwa.adapters.guard_row_checks import drop_repeats, validate_rows
from sagwa.errors import InvalidInput

#: About this many bytes of text per block (a block holds whole rows, so it may be longer).
BLOCK_BYTES = 16 << 20
#: The same for a labels file, whose rows are short: about as many rows as a block of changes.
LABEL_BLOCK_BYTES = 4 << 20
#: How many earlier line breaks to try when the last one of a block is inside quotes.
_TRIES = 64


def iter_text_blocks(
    path: Path, columns: tuple[str, ...], *, block_bytes: int = BLOCK_BYTES
) -> Iterator[tuple[pl.DataFrame, list[tuple[int, str]]]]:
    """The file's rows in blocks: ``(text frame with _line, ragged rows)``, the first block
    always (a header-only file gives one empty frame), then one per block of rows."""
    check_readable(path)
    with _open(path) as stream:
        pieces = _Pieces(stream, path, block_bytes)
        buffer = pieces.first()
        end = buffer.find(b"\n")
        if end < 0 and not pieces.done:
            buffer += pieces.rest_of_line(buffer)
            end = buffer.find(b"\n")
        header = buffer if end < 0 else buffer[: end + 1]
        buffer = b"" if end < 0 else buffer[end + 1 :]
        shift = 0
        first = True
        while True:
            if not pieces.done and len(buffer) < block_bytes:
                buffer += pieces.more()
                continue
            cut = len(buffer) if pieces.done else _cut(buffer)
            if cut is None:  # no line break outside quotes yet: read on
                buffer += pieces.more()
                continue
            block, buffer = buffer[:cut], buffer[cut:]
            if block or first:
                yield text_frame_of(path, header + block, columns, shift=shift)
            first = False
            shift += _lines(block)
            if pieces.done and not buffer:
                return


def read_table_in_blocks(path: Path, columns: tuple[str, ...], *,
                         block_bytes: int = BLOCK_BYTES) -> ReadResult:
    """:func:`guard_input.read_table` of a file in a layout without timestamps (labels,
    products), holding the file's text a block at a time: the same typed rows, bad rows,
    line numbers and refusals; a key repeated in a later block is found over the typed rows.
    (Whether timestamps carry UTC offsets is decided over a whole file: the changes and the
    history are not read here.)"""
    if any(name.endswith("_at") for name in columns):
        raise ValueError(f"a layout with timestamps is read whole: {columns}")
    goods: list[pl.DataFrame] = []
    bad: list[tuple[int, str]] = []
    for raw, ragged in iter_text_blocks(path, columns, block_bytes=block_bytes):
        good, bad_here = validate_rows(raw, columns, key=None)
        goods.append(good)
        bad += ragged + bad_here
    good, repeats = _drop_repeats(pl.concat(goods), KEYS.get(columns))
    return ReadResult(good, sorted(bad + repeats))


def _drop_repeats(good: pl.DataFrame,
                  key: str | None) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """``guard_row_checks.drop_repeats`` asked only of the rows whose ``key`` shares a 64-bit
    fingerprint with another's (every repeat among them): it groups by the key, which costs
    far more memory than the rows themselves when they are many and short."""
    if key is None or good.height == 0:
        return good, []
    prints = good[key].hash(seed=0).to_numpy()
    values, counts = np.unique(prints, return_counts=True)
    shared = values[counts > 1]
    if shared.size == 0:
        return good, []
    _, repeats = drop_repeats(good.filter(pl.Series(np.isin(prints, shared))), key)
    lines = pl.Series([line for line, _ in repeats], dtype=pl.Int64)
    return good.filter(~pl.col("_line").is_in(lines.implode())), repeats


def _cut(buffer: bytes) -> int | None:
    """Where a block of ``buffer`` (which starts at a row's start) may end: after its last line
    break that ends a row, as the csv module reads rows (a line break in a quoted value does
    not end one; a ``"`` inside an unquoted value is a plain character)."""
    at = buffer.rfind(b"\n")
    if b'"' not in buffer:
        return None if at < 0 else at + 1
    for _ in range(_TRIES):
        if at < 0:
            return None
        if _ends_a_row(buffer[: at + 1]):
            return at + 1
        at = buffer.rfind(b"\n", 0, at)
    return None


#: A line the csv module reads as a row of its own after ``text`` only when ``text`` ends
#: outside quotes (inside, it becomes part of the open quoted value).
_SENTINEL = "\u2063sagwa-block-end\u2063"


def _ends_a_row(data: bytes) -> bool:
    """Whether ``data`` (whole rows from a row's start, ending with a line break) ends outside
    a quoted value, asked of the csv module itself (the careful reader's parser)."""
    text = data.decode("utf-8", errors="replace") + _SENTINEL + "\n"
    last: list[str] = []
    limit = csv.field_size_limit(len(text) + 1)  # a long quoted value is not an error here
    try:
        for last in csv.reader(io.StringIO(text, newline="")):
            pass
    finally:
        csv.field_size_limit(limit)
    return last == [_SENTINEL]


def _lines(block: bytes) -> int:
    """The lines of ``block`` as the csv reader counts them (``\r``, ``\n`` or ``\r\n`` each
    end one; a block never ends between ``\r`` and ``\n``)."""
    return block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")


@contextlib.contextmanager
def _open(path: Path) -> Iterator[BinaryIO]:
    """The file's bytes, unpacked when it starts as gzip does. Opened once and peeked at, so a
    pipe (``--changes /dev/stdin``, ``<(...)``) loses nothing to the look; closed after."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field=str(path),
                           reason="file_unreadable") from None
    with stream:
        try:
            packed = stream.peek(2)[:2] == _GZIP_MAGIC
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}",
                               field=str(path), reason="file_unreadable") from None
        if not packed:
            yield stream
            return
        with gzip.GzipFile(fileobj=stream, mode="rb") as unpacked:
            yield unpacked  # type: ignore[misc]


class _Pieces:
    """The file's bytes in pieces (unpacked when gzip), old Mac line ends (``\\r`` alone in
    the first piece) read as line breaks, and read errors said as a whole-file read says them."""

    def __init__(self, stream: BinaryIO, path: Path, size: int) -> None:
        self.stream, self.path, self.size = stream, path, size
        self.done = False
        self.mac = False

    def first(self) -> bytes:
        """The first piece, read on until its first line break is known: ``\n``, or ``\r``
        followed by something else (old Mac line ends, the file then has no ``\n``)."""
        data = self._read(self.size)
        while not self.done and b"\n" not in data and data.find(b"\r") in (-1, len(data) - 1):
            data += self._read(self.size)
        self.mac = b"\r" in data and b"\n" not in data
        return self._ends(data)

    def more(self) -> bytes:
        return self._ends(self._read(self.size))

    def rest_of_line(self, start: bytes) -> bytes:
        """Read on until a line break (a header longer than a piece)."""
        out = b""
        while not self.done and b"\n" not in out:
            out += self.more()
        return out

    def _ends(self, data: bytes) -> bytes:
        return data.replace(b"\r", b"\n") if self.mac else data

    def _read(self, size: int) -> bytes:
        try:
            data = self.stream.read(size)
        except EOFError:
            self._refuse("it ends before the end of the compressed data (truncated?)")
        except (gzip.BadGzipFile, zlib.error) as exc:
            # as a whole-file read words it ("CRC check failed", without the two sums)
            self._refuse(re.sub(r" 0x[0-9a-f]+ != 0x[0-9a-f]+$", "", str(exc)))
        except OSError as exc:
            raise InvalidInput(f"cannot read {self.path}: {exc.strerror or exc}",
                               field=str(self.path), reason="file_unreadable") from None
        if not data:
            self.done = True
        return data

    def _refuse(self, problem: str) -> None:
        raise InvalidInput(f"{self.path} is not a readable gzip file: {problem}",
                           field=str(self.path), reason="gzip_unreadable")
