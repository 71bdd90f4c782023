"""Read the price guard's CSV / gzip CSV files into typed Polars frames, with row validation.

Prices arrive in major units as text (``"2.99"``, ``"19900"``) and leave as exact integer minor
units (``price_minor``) using the currency's exponent — never through a float. A malformed row
is reported with its 1-based file line number (the header is line 1). Timestamps without an
offset are taken as UTC; one file uses one timestamp format (the first row's sets it).
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sagwa.domain.money import CURRENCY_EXPONENTS

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

_PRICE_RE = r"^\d{1,13}(\.\d{1,6})?$"
_PCT_RE = r"^\d{1,2}(\.\d+)?$"
_OPTIONAL = {"promotion_pct", "category", "list_price"}


@dataclass(frozen=True)
class ReadResult:
    """A validated frame plus the rows that failed (line number, problem)."""

    frame: pl.DataFrame
    bad_rows: list[tuple[int, str]] = field(default_factory=list)


def read_table(path: str | Path, columns: tuple[str, ...]) -> ReadResult:
    """Read and validate one file; ``columns`` is one of the ``*_COLUMNS`` layouts above."""
    raw, ragged = _read_text_frame(Path(path), columns)
    problems = _problems(raw, columns)
    checked = raw.with_columns(_line=pl.int_range(2, raw.height + 2)).with_columns(
        _problem=problems
    )
    bad = checked.filter(pl.col("_problem").is_not_null())
    bad_rows = sorted(
        ragged + list(zip(bad["_line"].to_list(), bad["_problem"].to_list(), strict=True))
    )
    good = checked.filter(pl.col("_problem").is_null()).drop("_problem")
    return ReadResult(_typed(good, columns), bad_rows)


def _read_text_frame(
    path: Path, columns: tuple[str, ...]
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """All columns as text; rows with the wrong number of fields are dropped and reported."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        frame = pl.read_csv(data, infer_schema=False)
        ragged: list[tuple[int, str]] = []
    except pl.exceptions.ComputeError:
        frame, ragged = _read_ragged(data)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        return pl.DataFrame({c: [] for c in columns}, schema={c: pl.Utf8 for c in columns}), [
            (1, f"header lacks column(s) {', '.join(missing)}")
        ]
    return frame.select(columns), ragged


def _read_ragged(data: bytes) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    rows = csv.reader(io.StringIO(data.decode("utf-8", errors="replace")))
    header = next(rows)
    good: list[list[str | None]] = []
    ragged: list[tuple[int, str]] = []
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            ragged.append((line, f"expected {len(header)} fields, found {len(row)}"))
        else:
            good.append([v if v != "" else None for v in row])
    frame = pl.DataFrame(good, schema={h: pl.Utf8 for h in header}, orient="row")
    return frame, ragged


def _problems(raw: pl.DataFrame, columns: tuple[str, ...]) -> pl.Expr:
    checks: list[tuple[pl.Expr, str]] = []
    for name in columns:
        if name not in _OPTIONAL:
            checks.append((pl.col(name).is_null(), f"{name} is empty"))
    if "currency" in columns:
        known = list(CURRENCY_EXPONENTS)
        checks.append((~pl.col("currency").is_in(known), "unknown currency"))
    for name in ("price", "old_price", "new_price", "list_price"):
        if name in columns:
            bad = pl.col(name).is_not_null() & ~pl.col(name).str.contains(_PRICE_RE)
            checks.append((bad, f"{name} is not a price"))
            checks.append((_too_many_decimals(name), f"{name} has more decimals than its currency"))
    if "promotion_pct" in columns:
        bad = pl.col("promotion_pct").is_not_null() & ~pl.col("promotion_pct").str.contains(_PCT_RE)
        checks.append((bad, "promotion_pct is not a percentage below 100"))
    for name in ("observed_at", "proposed_at"):
        if name in columns:
            bad = pl.col(name).str.to_datetime(strict=False).is_null()
            checks.append((bad, f"{name} is not a date/time"))
    if "is_error" in columns:
        checks.append((~pl.col("is_error").is_in(["0", "1"]), "is_error is not 0 or 1"))
    expr = pl.lit(None, dtype=pl.Utf8)
    for cond, text in reversed(checks):
        expr = pl.when(cond.fill_null(False)).then(pl.lit(text)).otherwise(expr)
    return expr


def _exponent() -> pl.Expr:
    return pl.col("currency").replace_strict(CURRENCY_EXPONENTS, default=2, return_dtype=pl.Int64)


def _too_many_decimals(name: str) -> pl.Expr:
    frac = pl.col(name).str.extract(r"\.(\d+)$").str.strip_chars_end("0")
    return frac.str.len_chars().fill_null(0) > _exponent()


def _minor(name: str) -> pl.Expr:
    """Exact minor units from a validated major-unit text price."""
    whole = pl.col(name).str.extract(r"^(\d+)").cast(pl.Int64)
    frac = pl.col(name).str.extract(r"\.(\d+)$").str.strip_chars_end("0").fill_null("")
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
    for name in ("observed_at", "proposed_at"):
        if name in columns:
            out = out.with_columns(pl.col(name).str.to_datetime(strict=False, time_zone="UTC"))
    if "is_error" in columns:
        out = out.with_columns(pl.col("is_error").cast(pl.Int8))
    return out
