"""The price guard's files: read CSV / gzip CSV into typed Polars frames, write results whole.

Prices arrive in major units as text (``"2.99"``, ``"19900"``) and leave as exact integer minor
units (``price_minor``) using the currency's exponent — never through a float. Numbers are
written with the ASCII digits 0-9 only: full-width (``１９９００``) or other scripts' digits
(``١٩٩٠٠``) make the row malformed. Currency codes are read case-insensitively (``krw`` is KRW),
as the API reads them. Ids (``change_id``, ``listing_id``, ``product_id``, ``seller_id``) lose
surrounding spaces too (``"L1 "`` is listing ``L1``); one of only spaces is an empty id.

Timestamps (``observed_at``, ``proposed_at``) come back as UTC. One with an offset
(``2008-08-20T10:00:00+09:00``, ``…Z``, ``+0900``) is converted to UTC; one without
(``2008-08-20T10:00:00``, ``2008-08-20``) is taken as UTC. A column's first readable timestamp
decides whether the column carries offsets: a later value with an offset when it has none, or
without one when it has one, makes its row malformed (a file mixing the two would otherwise
read local times as UTC without a word). Without offsets the first value also sets the format
(a later ``20/08/2008`` after ``2008-08-20`` is malformed). A year outside 1-9999 (after
conversion to UTC) is malformed too.

Two kinds of trouble, kept apart:

- a file that cannot be read as a table at all — missing, a directory, empty (not even a
  header), a corrupt gzip, not UTF-8 (UTF-16 included), a header without a required column —
  raises :class:`~sagwa.errors.InvalidInput` naming the file;
- a row that cannot be read is reported in ``ReadResult.bad_rows`` with its 1-based line number
  (the header is line 1) and the bad value, e.g. ``new_price "12,9x" is not a price``. A row
  with more or fewer fields than the header is such a row, and so is a later row repeating a
  layout's key (``change_id`` in changes and labels, ``product_id`` in products), or a label
  whose ``error_type`` is unknown or disagrees with its ``is_error``.

A header with no rows is a valid, empty table; blank lines are ignored.

Results (:func:`write_file`) go where the path leads: a symlink is followed; a regular file is
written to a temporary file beside it and renamed into place, so a failed write leaves no
partial file and an earlier file of that name untouched; a device, FIFO or socket (``/dev/null``)
is written to directly, never replaced. A missing directory is refused, not created.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sagwa.domain.money import CURRENCY_EXPONENTS
from sagwa.errors import InvalidInput
from sagwa.priceguard.vocabulary import ERROR_TYPES

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
VERDICT_COLUMNS = ("change_id", "verdict", "score", "error_type", "reason")

# [0-9], not \d: Polars' \d matches any script's digits, which the integer casts then refuse.
_PRICE_RE = r"^[0-9]{1,13}(\.[0-9]{1,6})?$"
_PCT_RE = r"^[0-9]{1,2}(\.[0-9]+)?$"
_TIMES = ("observed_at", "proposed_at")
#: A UTC offset after a time of day: ``Z``, ``+09:00``, ``+0900``, ``+09`` (a date's ``-20`` is not).
_OFFSET_RE = r"[0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?\s*([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$"
_YEARS = (1, 9999)  # what Python's datetime can hold
_OPTIONAL = {"promotion_pct", "category", "list_price"}
_IDS = ("change_id", "listing_id", "product_id", "seller_id")
#: The column each layout's rows are identified by: a later row repeating it is malformed.
_KEYS = {CHANGE_COLUMNS: "change_id", LABEL_COLUMNS: "change_id", PRODUCT_COLUMNS: "product_id"}
_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SHOWN_VALUE_CHARS = 40


@dataclass(frozen=True)
class ReadResult:
    """A validated frame plus the rows that failed (line number, problem)."""

    frame: pl.DataFrame
    bad_rows: list[tuple[int, str]] = field(default_factory=list)


def read_table(path: str | Path, columns: tuple[str, ...]) -> ReadResult:
    """Read and validate one file; ``columns`` is one of the ``*_COLUMNS`` layouts above."""
    raw, ragged = _read_text_frame(Path(path), columns)
    raw = raw.with_columns(_parsed_times(columns))
    checks = _checks(columns)
    checked = raw.with_columns(_check=_first_failed(checks))
    failed = checked.filter(pl.col("_check").is_not_null())
    good = checked.filter(pl.col("_check").is_null()).drop("_check")
    good, repeats = _drop_repeats(good, _KEYS.get(columns))
    bad_rows = sorted(ragged + _describe(failed, checks) + repeats)
    return ReadResult(_typed(good, columns), bad_rows)


def check_readable(path: Path) -> None:
    """Raise :class:`InvalidInput` now if ``path`` is missing or a directory (before slow work)."""
    if not path.exists():
        raise InvalidInput(f"{path} does not exist", field=str(path))
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory, not a file", field=str(path))


_FD_PATH = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")


def inherited_fd(path: Path) -> int | None:
    """The open file descriptor ``path`` names (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``,
    ``/proc/self/fd/N``: a pipe, a ``>>`` redirect, a process substitution), else None. Such a
    path is written through the descriptor the shell gave us: reopening or resolving it would
    lose a pipe (``pipe:[…]`` is no file) or truncate a file opened for appending."""
    text = os.path.normpath(str(path))
    if text in ("/dev/stdout", "/dev/stderr"):
        return 1 if text.endswith("out") else 2
    found = _FD_PATH.match(text)
    return int(found.group(1)) if found else None


def check_writable(path: Path) -> None:
    """Raise :class:`InvalidInput` now if ``path`` could not be written as a file."""
    fd = inherited_fd(path)
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError:
            raise InvalidInput(f"cannot write {path}: descriptor {fd} is not open",
                               field=str(path)) from None
        return
    target = _target(path)
    if target.is_dir():
        raise InvalidInput(f"{path} is a directory; give a file name", field=str(path))
    if target.parent.is_dir():
        return
    above = next((p for p in target.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise InvalidInput(f"cannot write {path}: {above} is not a directory", field=str(path))
    raise InvalidInput(
        f"cannot write {path}: directory {target.parent} does not exist", field=str(path)
    )


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file: the same file on disk when both exist, else the
    same path once symlinks and ``..`` are resolved."""
    if inherited_fd(a) is not None or inherited_fd(b) is not None:
        return inherited_fd(a) == inherited_fd(b) is not None
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return _target(a) == _target(b)
    except (OSError, InvalidInput):
        return False


def is_special_file(path: Path) -> bool:
    """An existing device, FIFO or socket (``/dev/null``): written to, never replaced."""
    try:
        return not stat.S_ISREG(path.stat().st_mode) and not path.is_dir()
    except OSError:
        return False


def write_verdicts(verdicts: pl.DataFrame, out: Path, output_format: str) -> None:
    """Write ``change_id, verdict, score, error_type, reason`` rows as CSV or a JSON array."""
    if output_format == "csv":
        text = verdicts.write_csv()
    else:
        text = json.dumps(verdicts.to_dicts(), ensure_ascii=False)
    write_file(out, text.encode("utf-8"))


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: through a symlink; into a device, FIFO or socket; else whole.

    A regular file (or a new one) is written beside its target and renamed over it, keeping an
    existing file's permission bits; a FIFO blocks until something reads it.
    """
    check_writable(path)
    fd = inherited_fd(path)
    if fd is not None:
        _write_fd(fd, data, path)
        return
    target = _target(path)
    try:
        if is_special_file(target):
            with target.open("wb") as stream:
                stream.write(data)
        else:
            _replace(target, data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}", field=str(path)) from None


def _write_fd(fd: int, data: bytes, path: Path) -> None:
    """All of ``data`` to the open descriptor ``fd`` (left open: it is the shell's)."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}", field=str(path)) from None


def _target(path: Path) -> Path:
    """The path a write lands on: symlinks followed (a dangling one to where it points)."""
    try:
        return Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError, ValueError) as exc:
        raise InvalidInput(f"cannot write {path}: {exc}", field=str(path)) from None


def _replace(target: Path, data: bytes) -> None:
    """Write a temporary file beside ``target`` (created new, never followed), rename it over."""
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        with tmp.open("xb") as stream:
            stream.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _read_bytes(path: Path) -> bytes:
    check_readable(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field=str(path)) from None
    if data[:2] != _GZIP_MAGIC:
        return data
    try:
        return gzip.decompress(data)
    except EOFError:
        reason = "it ends before the end of the compressed data (truncated?)"
    except (OSError, zlib.error) as exc:
        reason = str(exc)
    raise InvalidInput(f"{path} is not a readable gzip file: {reason}", field=str(path))


def _read_text_frame(
    path: Path, columns: tuple[str, ...]
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """All columns as text plus ``_line``; rows with too many fields are dropped and reported."""
    data = _read_bytes(path)
    _check_header_text(path, data)
    try:
        frame = pl.read_csv(data, infer_schema=False)
    except pl.exceptions.NoDataError:
        raise InvalidInput(f"{path} is empty: not even a header line", field=str(path)) from None
    except pl.exceptions.PolarsError:
        frame, ragged = _read_ragged(path, data)
    else:
        # Polars fills a short row's missing fields with nulls, so a null in the last column
        # may be a short row: let the csv module count the fields (and quoted line breaks)
        short = frame.width > 0 and frame[frame.columns[-1]].null_count() > 0
        if _count_lines(data) == frame.height + 1 and not short:
            frame, ragged = frame.with_columns(_line=pl.int_range(2, frame.height + 2)), []
        else:
            frame, ragged = _read_ragged(path, data)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = ", ".join(c for c in frame.columns if c != "_line")
        raise InvalidInput(
            f"{path} lacks column(s) {', '.join(missing)} (its header has: {found})",
            field=str(path),
        )
    blank = pl.all_horizontal(pl.col(c).is_null() for c in columns)
    frame = frame.select(*columns, "_line").filter(~blank)
    if "currency" in columns:
        frame = frame.with_columns(pl.col("currency").str.strip_chars().str.to_uppercase())
    stripped = [c for c in (*_IDS, "error_type") if c in columns]
    frame = frame.with_columns(
        pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c).str.strip_chars()).alias(c)
        for c in stripped
    )
    return frame, ragged


def _check_header_text(path: Path, data: bytes) -> None:
    """Refuse a file whose header is not UTF-8 text (UTF-16, Latin-1 ...): one line, line 1."""
    header = data[: data.find(b"\n")] if b"\n" in data else data
    problem = None
    if data.startswith(_UTF16_BOMS) or b"\x00" in header:
        problem = "it looks like UTF-16; save it as UTF-8"
    else:
        try:
            header.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = f"byte 0x{header[exc.start : exc.start + 1].hex()}"
    if problem is not None:
        raise InvalidInput(f"{path} line 1: not UTF-8 text ({problem})", field=str(path))


def _count_lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _read_ragged(path: Path, data: bytes) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """The slow, careful reader: exact line numbers, ragged rows reported, blank lines skipped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise InvalidInput(
            f"{path} line {line}: not UTF-8 text (byte 0x{bad})", field=str(path)
        ) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None:
        raise InvalidInput(f"{path} is empty: not even a header line", field=str(path))
    good: list[list[str | int | None]] = []
    ragged: list[tuple[int, str]] = []
    line = rows.line_num + 1
    for row in rows:
        if row and len(row) != len(header):
            ragged.append((line, f"expected {len(header)} fields, found {len(row)}"))
        elif row:
            good.append([v if v != "" else None for v in row] + [line])
        line = rows.line_num + 1
    schema: dict[str, pl.DataType] = {h: pl.Utf8() for h in header}
    frame = pl.DataFrame(good, schema={**schema, "_line": pl.Int64()}, orient="row")
    return frame, ragged


@dataclass(frozen=True)
class _Check:
    """A row fails when ``bad`` holds; ``text`` may use ``{value}`` and ``{currency}``."""

    bad: pl.Expr
    column: str
    text: str


def _checks(columns: tuple[str, ...]) -> list[_Check]:
    checks = [
        _Check(pl.col(c).is_null(), c, f"{c} is empty") for c in columns if c not in _OPTIONAL
    ]
    if "currency" in columns:
        known = ~pl.col("currency").is_in(list(CURRENCY_EXPONENTS))
        checks.append(_Check(known, "currency", "currency {value} is not a currency sagwa knows"))
    for name in ("price", "old_price", "new_price", "list_price", "promotion_pct"):
        if name in columns:
            text = f"{name} {{value}} has digits other than 0-9 (full-width or another script's)"
            checks.append(_Check(_foreign_digits(name), name, text))
    for name in ("price", "old_price", "new_price", "list_price"):
        if name in columns:
            bad = pl.col(name).is_not_null() & ~pl.col(name).str.contains(_PRICE_RE)
            checks.append(_Check(bad, name, f"{name} {{value}} is not a price"))
            checks.append(
                _Check(
                    _too_many_decimals(name),
                    name,
                    f"{name} {{value}} has more decimals than its currency ({{currency}}) has",
                )
            )
    if "promotion_pct" in columns:
        bad = pl.col("promotion_pct").is_not_null() & ~pl.col("promotion_pct").str.contains(_PCT_RE)
        text = "promotion_pct {value} is not a percentage below 100"
        checks.append(_Check(bad, "promotion_pct", text))
    for name in _TIMES:
        if name in columns:
            checks += _time_checks(name)
    if "is_error" in columns:
        checks += _label_checks()
    return checks


def _label_checks() -> list[_Check]:
    """``is_error`` 0 or 1, a known ``error_type``, and the two agreeing."""
    known = ", ".join(ERROR_TYPES)
    none = pl.col("error_type") == "none"
    return [
        _Check(~pl.col("is_error").is_in(["0", "1"]), "is_error", "is_error {value} is not 0 or 1"),
        _Check(
            ~pl.col("error_type").is_in(list(ERROR_TYPES)),
            "error_type",
            f"error_type {{value}} is not an error type sagwa knows ({known})",
        ),
        _Check(
            (pl.col("is_error") == "1") & none,
            "error_type",
            "is_error is 1 but error_type is none: name the error's type",
        ),
        _Check(
            (pl.col("is_error") == "0") & ~none,
            "error_type",
            "is_error is 0 but error_type is {value}: an error type needs is_error 1",
        ),
    ]


def _foreign_digits(name: str) -> pl.Expr:
    """Digits other than 0-9 (full-width, Arabic-Indic, ...): said apart, as they look right."""
    return pl.col(name).str.contains(r"[\d&&[^0-9]]")


def _time_checks(name: str) -> list[_Check]:
    """Unreadable, offset unlike the column's first value, or a year Python cannot hold."""
    parsed, offset = pl.col(_parsed_name(name)), _has_offset(name)
    first_offset = offset.filter(parsed.is_not_null()).first()  # the first readable one
    return [
        _Check(
            pl.col(name).is_not_null() & parsed.is_null(),
            name,
            f"{name} {{value}} is not a date/time",
        ),
        _Check(
            offset & ~first_offset,
            name,
            f"{name} {{value}} has a UTC offset, but the file's first {name} has none; "
            "give every timestamp an offset, or none",
        ),
        _Check(
            ~offset & first_offset,
            name,
            f"{name} {{value}} has no UTC offset, but the file's first {name} has one; "
            "give every timestamp an offset, or none",
        ),
        _Check(
            ~parsed.dt.year().is_between(*_YEARS),
            name,
            f"{name} {{value}} is outside the years {_YEARS[0]} to {_YEARS[1]}",
        ),
    ]


def _parsed_name(name: str) -> str:
    return f"_{name}_utc"


def _has_offset(name: str) -> pl.Expr:
    return pl.col(name).str.contains(_OFFSET_RE)


def _parsed_times(columns: tuple[str, ...]) -> list[pl.Expr]:
    """Each timestamp column parsed once, to UTC (null where unreadable), for checks and types.

    Values with and without an offset are parsed apart, each kind's format inferred from its
    own first value, so a file without offsets is read exactly as before offsets were known.
    """
    out = []
    for name in _TIMES:
        if name in columns:
            text, offset = pl.col(name), _has_offset(name)
            naive = pl.when(~offset).then(text).str.to_datetime(strict=False)
            aware = pl.when(offset).then(text).str.to_datetime(strict=False, time_zone="UTC")
            utc = pl.coalesce(
                naive.dt.replace_time_zone("UTC").dt.cast_time_unit("us"),
                aware.dt.cast_time_unit("us"),
            )
            out.append(utc.alias(_parsed_name(name)))
    return out


def _first_failed(checks: list[_Check]) -> pl.Expr:
    """Index of the first check a row fails, or null."""
    expr = pl.lit(None, dtype=pl.Int32)
    for i, check in reversed(list(enumerate(checks))):
        expr = pl.when(check.bad.fill_null(False)).then(pl.lit(i, dtype=pl.Int32)).otherwise(expr)
    return expr


def _describe(failed: pl.DataFrame, checks: list[_Check]) -> list[tuple[int, str]]:
    """``(line, 'new_price "12,9x" is not a price')`` for each failed row (few, so in Python)."""
    out = []
    # only the text columns: a parsed time Python cannot hold (year 0) must not be converted
    for row in failed.select(pl.col(pl.String), "_check", "_line").iter_rows(named=True):
        check = checks[row["_check"]]
        text = check.text.format(value=_shown(row[check.column]), currency=row.get("currency"))
        out.append((row["_line"], text))
    return out


def _shown(value: str | None) -> str:
    """A value quoted for a one-line message: escapes kept visible, long values cut."""
    if value is not None and len(value) > _SHOWN_VALUE_CHARS:
        value = value[:_SHOWN_VALUE_CHARS] + "…"
    return json.dumps(value, ensure_ascii=False)


def _drop_repeats(
    good: pl.DataFrame, key: str | None
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """Keep the first row of each ``key``; report the later ones against the first's line."""
    if key is None or good.height == 0:
        return good, []
    marked = good.with_columns(_first=pl.col("_line").min().over(key))
    later = marked.filter(pl.col("_line") != pl.col("_first"))
    repeats = [
        (line, f"{key} {_shown(value)} repeats line {first}")
        for line, value, first in later.select("_line", key, "_first").iter_rows()
    ]
    return marked.filter(pl.col("_line") == pl.col("_first")).drop("_first"), repeats


def _exponent() -> pl.Expr:
    return pl.col("currency").replace_strict(CURRENCY_EXPONENTS, default=2, return_dtype=pl.Int64)


def _too_many_decimals(name: str) -> pl.Expr:
    frac = pl.col(name).str.extract(r"\.([0-9]+)$").str.strip_chars_end("0")
    return frac.str.len_chars().fill_null(0) > _exponent()


def _minor(name: str) -> pl.Expr:
    """Exact minor units from a validated major-unit text price."""
    whole = pl.col(name).str.extract(r"^([0-9]+)").cast(pl.Int64)
    frac = pl.col(name).str.extract(r"\.([0-9]+)$").str.strip_chars_end("0").fill_null("")
    frac_len = frac.str.len_chars().cast(pl.Int64)
    frac_val = pl.when(frac_len > 0).then(frac.cast(pl.Int64, strict=False)).otherwise(0)
    scale = pl.lit(10, dtype=pl.Int64).pow(_exponent())
    frac_scale = pl.lit(10, dtype=pl.Int64).pow(_exponent() - frac_len)
    return whole * scale + frac_val * frac_scale


def _typed(good: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    out = good
    for name in ("price", "old_price", "new_price", "list_price"):
        if name in columns:
            out = out.with_columns(_minor(name).alias(f"{name}_minor"))
    if "promotion_pct" in columns:
        out = out.with_columns(pl.col("promotion_pct").cast(pl.Float64))
    for name in _TIMES:
        if name in columns:
            out = out.with_columns(pl.col(_parsed_name(name)).alias(name)).drop(_parsed_name(name))
    if "is_error" in columns:
        out = out.with_columns(pl.col("is_error").cast(pl.Int8))
    return out
