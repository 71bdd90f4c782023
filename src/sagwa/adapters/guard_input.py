"""The price guard's input files: CSV / gzip CSV read into typed, validated Polars frames.

:func:`read_table` reads one file in one of the ``*_COLUMNS`` layouts. What makes a row good
(prices, currencies, timestamps, labels) is in :mod:`sagwa.adapters.guard_row_checks`; here the
file is turned into a table of text. Currency codes are read case-insensitively (``krw`` is
KRW), as the API reads them. Ids (``change_id``, ``listing_id``, ``product_id``,
``seller_id``) lose surrounding spaces too (``"L1 "`` is listing ``L1``); one of only spaces
is an empty id. A quoted empty value (``""``) is an empty value, as an unquoted one is.

Two kinds of trouble, kept apart:

- a file that cannot be read as a table at all — missing, a directory, empty (not even a
  header), a corrupt gzip, not UTF-8 (UTF-16 included), a header without a required column
  (the refusal says when a name differs from one only by case or surrounding spaces, or when
  the header looks ``;``- or tab-separated: names are matched exactly, never guessed) or
  naming a column twice (``changes.csv line 1: column new_price appears twice``) — raises
  :class:`~sagwa.errors.InvalidInput` naming the file, ``details["reason"]`` saying which
  (``file_missing``, ``file_empty``, ``gzip_unreadable``, ``file_not_utf8``, ``column_missing``,
  ``column_named_twice``, ``quote_not_closed`` ...);
- a row that cannot be read is reported in ``ReadResult.bad_rows`` with its 1-based line number
  (the header is line 1) and the bad value, e.g. ``new_price "12,9x" is not a price``. A row
  with more or fewer fields than the header is such a row, and so is a later row repeating a
  layout's key (``change_id`` in changes and labels, ``product_id`` in products), or a label
  whose ``error_type`` is unknown or disagrees with its ``is_error``.

A header with no rows is a valid, empty table; blank lines are ignored.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import polars as pl

from sagwa.adapters.guard_row_checks import WRITTEN, validate_rows
from sagwa.errors import InvalidInput

HISTORY_COLUMNS = ("listing_id", "product_id", "seller_id", "price", "observed_at", "currency")
CHANGE_COLUMNS = (
    "change_id",
    "listing_id",
    "product_id",
    "seller_id",
    "old_price",
    "new_price",
    "proposed_at",
    "promotion_pct",
    "currency",
)
PRODUCT_COLUMNS = ("product_id", "list_price", "currency", "category")
LABEL_COLUMNS = ("change_id", "is_error", "error_type")

_IDS = ("change_id", "listing_id", "product_id", "seller_id")
#: The column each layout's rows are identified by: a later row repeating it is malformed.
KEYS = {CHANGE_COLUMNS: "change_id", LABEL_COLUMNS: "change_id", PRODUCT_COLUMNS: "product_id"}
_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class ReadResult:
    """A validated frame plus the rows that failed (line number, problem)."""

    frame: pl.DataFrame
    bad_rows: list[tuple[int, str]] = field(default_factory=list)


def read_table(path: str | Path, columns: tuple[str, ...]) -> ReadResult:
    """Read and validate one file; ``columns`` is one of the ``*_COLUMNS`` layouts above."""
    raw, ragged = _read_text_frame(Path(path), columns)
    good, bad_rows = validate_rows(raw, columns, key=KEYS.get(columns))
    return ReadResult(good, sorted(ragged + bad_rows))


def check_readable(path: Path) -> None:
    """Raise :class:`InvalidInput` now if ``path`` is missing or a directory (before slow work)."""
    if not path.exists():
        raise InvalidInput(f"{path} does not exist", field=str(path), reason="file_missing")
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory, not a file", field=str(path),
                           reason="file_is_directory")


def _read_bytes(path: Path) -> bytes:
    check_readable(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field=str(path),
                           reason="file_unreadable") from None
    if data[:2] != _GZIP_MAGIC:
        return data
    try:
        return gzip.decompress(data)
    except EOFError:
        problem = "it ends before the end of the compressed data (truncated?)"
    except (OSError, zlib.error) as exc:
        problem = str(exc)
    raise InvalidInput(f"{path} is not a readable gzip file: {problem}", field=str(path),
                       reason="gzip_unreadable")


def _read_text_frame(
    path: Path, columns: tuple[str, ...]
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """All columns as text plus ``_line``; rows with too many fields are dropped and reported."""
    data = _read_bytes(path)
    if b"\r" in data and b"\n" not in data:  # old Mac line endings: \r alone ends each line
        data = data.replace(b"\r", b"\n")
    return text_frame_of(path, data, columns)


def text_frame_of(
    path: Path, data: bytes, columns: tuple[str, ...], *, shift: int = 0
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """``data`` (a header line, then rows) as text columns plus ``_line``, and the ragged rows.

    ``shift``: how many of the file's lines came between the header and ``data``'s first row
    (a block of a file read in blocks, ``guard_input_blocks``); the header is checked only
    where ``shift`` is 0."""
    if shift == 0:
        _check_header_text(path, data)
        _check_header_names(path, _first_line_fields(data))
    try:
        frame = pl.read_csv(data, infer_schema=False)
    except pl.exceptions.NoDataError:
        raise InvalidInput(f"{path} is empty: not even a header line", field=str(path),
                           reason="file_empty") from None
    except pl.exceptions.PolarsError:
        frame, ragged = _read_ragged(path, data, shift)
    else:
        # Polars fills a short row's missing fields with nulls, so a null in the last column
        # may be a short row: let the csv module count the fields (and quoted line breaks)
        short = frame.width > 0 and frame[frame.columns[-1]].null_count() > 0
        if _count_lines(data) == frame.height + 1 and not short:
            frame = frame.with_columns(_line=pl.int_range(2 + shift, frame.height + 2 + shift))
            ragged = []
        else:
            frame, ragged = _read_ragged(path, data, shift)
    return _normalised(path, frame, columns), ragged


def _normalised(path: Path, frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    """The layout's columns (refusing a header without one), blank rows dropped, currency
    codes upper-cased, ids and ``error_type`` without surrounding spaces."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        names = [c for c in frame.columns if c != "_line"]
        raise InvalidInput(
            f"{path} lacks column(s) {', '.join(missing)} (its header has: {', '.join(names)})"
            + _header_advice(names, missing),
            field=str(path), reason="column_missing",
        )
    # a quoted empty value ("") is empty, as the careful reader reads it (the fast one keeps
    # it as text): one file reads alike whichever reader a block of it takes
    frame = frame.with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in columns)
    blank = pl.all_horizontal(pl.col(c).is_null() for c in columns)
    frame = frame.select(*columns, "_line").filter(~blank)
    if "currency" in columns:
        code = pl.col("currency").str.strip_chars().str.to_uppercase()
        # as written, where that differs: a problem quotes what the file says ("won")
        frame = frame.with_columns(
            code, pl.when(code != pl.col("currency")).then(pl.col("currency")).alias(WRITTEN))
    stripped = [c for c in (*_IDS, "error_type") if c in columns]
    return frame.with_columns(
        pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c).str.strip_chars()).alias(c)
        for c in stripped
    )


#: Near misses named in a refusal of a header lacking columns; the rest are counted.
_NEAR_MISSES_SHOWN = 3


def _header_advice(names: list[str], missing: list[str]) -> str:
    """What a header lacking the ``missing`` columns likely got wrong, to add to the refusal:
    another separator than ",", or names that differ from the layout's only by case or by
    surrounding spaces. Names are matched exactly, never guessed: a header with such names
    usually comes from a file written another way (values padded with spaces, another
    tool's columns), better looked at than read on a guess."""
    for separator, word in ((";", "semicolon"), ("\t", "tab")):
        if any(separator in name for name in names):
            return f"; the header looks {word}-separated: the file must be comma-separated"
    near: dict[str, list[str]] = {}  # how they differ: the names, as written
    for column in missing:
        name = next((n for n in names if n.strip().lower() == column), None)
        if name is None:
            continue
        how = ("case" if name.strip() == name
               else "surrounding spaces" if name.strip() == column
               else "case and surrounding spaces")
        near.setdefault(how, []).append(json.dumps(name, ensure_ascii=False))
    if not near:
        return ""
    said = []
    for how, shown in near.items():
        more = len(shown) - _NEAR_MISSES_SHOWN
        said.append(f"only by {how}: {', '.join(shown[:_NEAR_MISSES_SHOWN])}"
                    + (f" and {more} more" if more > 0 else ""))
    return ("; names must match exactly (lower case, no spaces around them), and these differ "
            f"from the required ones {'; '.join(said)}")


def _check_header_text(path: Path, data: bytes) -> None:
    """Refuse a file whose header is not UTF-8 text (UTF-16, Latin-1 ...): one line, line 1."""
    header = data[: data.find(b"\n")] if b"\n" in data else data
    problem = None
    packed = next((name for magic, name in _OTHER_PACKINGS if data.startswith(magic)), None)
    if packed is not None:
        problem = f"it is {packed}; only gzip is read: unpack it first"
    elif data.startswith(_UTF16_BOMS) or _alternating_nuls(header):
        problem = "it looks like UTF-16; save it as UTF-8"
    elif b"\x00" in header:
        problem = "it holds binary data, not CSV text"
    else:
        try:
            header.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = f"byte 0x{header[exc.start : exc.start + 1].hex()}"
    if problem is not None:
        raise InvalidInput(f"{path} line 1: not UTF-8 text ({problem})", field=str(path),
                           reason="file_not_utf8")


#: What other packings a file given as CSV may be (its first bytes), named in the refusal.
_OTHER_PACKINGS = ((b"PK\x03\x04", "a zip archive"), (b"\xfd7zXZ\x00", "xz-compressed"),
                   (b"BZh", "bzip2-compressed"), (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
                   (_GZIP_MAGIC, "gzip-compressed twice"))


def _alternating_nuls(header: bytes) -> bool:
    """Text in UTF-16 without a BOM: every other byte of a Latin header is 0."""
    probe = header[:64]
    return len(probe) >= 4 and (not any(probe[1::2]) or not any(probe[0::2]))


def _first_line_fields(data: bytes) -> list[str]:
    """The header's names as the csv module reads the first line (UTF-8, checked before)."""
    first = data[: data.find(b"\n")] if b"\n" in data else data
    return next(csv.reader([first.decode("utf-8-sig", errors="replace").rstrip("\r")]), [])


def _check_header_names(path: Path, header: list[str]) -> None:
    """Refuse a header naming a column twice: which of the two is meant cannot be known (the
    fast reader would take the first, the careful one could not line the rows up). Columns
    without a name (a trailing comma) are not names, and are left to be ignored."""
    first: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in first and name != "":
            raise InvalidInput(
                f"{path} line 1: column {name} appears twice (columns {first[name]} and "
                f"{position})",
                field=str(path), reason="column_named_twice",
            )
        first.setdefault(name, position)


def _count_lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _read_ragged(path: Path, data: bytes,
                 shift: int = 0) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """The slow, careful reader: exact line numbers, ragged rows reported, blank lines skipped
    (``shift``: lines of the file between the header and ``data``'s first row)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line += shift if line > 1 else 0
        bad = data[exc.start : exc.start + 1].hex()
        raise InvalidInput(
            f"{path} line {line}: not UTF-8 text (byte 0x{bad})", field=str(path),
            reason="file_not_utf8",
        ) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None:
        raise InvalidInput(f"{path} is empty: not even a header line", field=str(path),
                           reason="file_empty")
    _check_header_names(path, header)  # the whole header, were it to hold a quoted line break
    # columns without a name get one of their own, so the rows still line up with the header
    header = [name or f"_unnamed_{i}" for i, name in enumerate(header, start=1)]
    good: list[list[str | int | None]] = []
    ragged: list[tuple[int, str]] = []
    line = rows.line_num + 1
    starts: list[int] = []  # where each line starts in ``text``, found when first needed
    for row in rows:
        if rows.line_num > line:  # a quoted line break: one row over several lines
            starts = starts or _line_starts(text)
            _check_quote_closed(path, text, line, starts, shift)
        if row and len(row) != len(header):
            ragged.append((line + shift, f"expected {len(header)} fields, found {len(row)}"))
        elif row:
            good.append([*row, line + shift])  # "" is made empty in _normalised
        line = rows.line_num + 1
    schema: dict[str, pl.DataType] = {h: pl.Utf8() for h in header}
    frame = pl.DataFrame(good, schema={**schema, "_line": pl.Int64()}, orient="row")
    return frame, ragged


def _line_starts(text: str) -> list[int]:
    """The offset in ``text`` of each line's first character (line 1 at index 0), and its
    length last: lines as the csv reader counts them (``\r``, ``\n`` or ``\r\n`` each end one)."""
    return [0, *accumulate(len(line) for line in io.StringIO(text, newline=""))]


def _check_quote_closed(path: Path, text: str, line: int, starts: list[int],
                        shift: int = 0) -> None:
    """Refuse the file when the row starting at ``line`` opens a quote that is never closed:
    the lenient reader would take the rest of the file as one value and lose every row after
    it (a row to skip with --skip-bad-rows would hide them all)."""
    try:
        for _ in csv.reader(io.StringIO(text[starts[line - 1]:], newline=""), strict=True):
            return  # the row closes its quotes: a value with a line break in it
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
    last = len(starts) - 1 + shift  # the file's last line
    line += shift
    raise InvalidInput(
        f"{path} line {line}: a quoted value starts on this line and its quote is never closed "
        f"(lines {line}-{last} would be read as one value); close the quote or remove it",
        field=str(path), reason="quote_not_closed")
