"""What makes a row of a price guard input file good, and the typed columns a good row gives.

:func:`validate_rows` takes a file's rows as text (from :mod:`sagwa.adapters.guard_input`) and
returns the good rows typed plus ``(line, problem)`` for each bad one, e.g.
``new_price "12,9x" is not a price``.

Prices arrive in major units as text (``"2.99"``, ``"19900"``) and leave as exact integer minor
units (``price_minor``) using the currency's exponent — never through a float. Numbers are
written with the ASCII digits 0-9 only: full-width (``１９９００``) or other scripts' digits
(``١٩٩٠٠``) make the row malformed. A currency sagwa does not know makes it malformed too, and
so does a label whose ``error_type`` is unknown or disagrees with its ``is_error``.
A ``promotion_pct`` of 0 declares no promotion, like an empty one (a tool that writes 0 for
"none" must not lift the limit on undeclared cuts).

Timestamps (``observed_at``, ``proposed_at``) come back as UTC. One with an offset
(``2008-08-20T10:00:00+09:00``, ``…Z``, ``+0900``) is converted to UTC; one without
(``2008-08-20T10:00:00``, ``2008-08-20``) is taken as UTC. Only ISO 8601 forms are read
(``20/08/2008`` is malformed: its day and month could be either). Most of a column's readable
timestamps decide whether the column carries offsets (a tie: its first): a value with an
offset when it has none, or without one when it has one, makes its row malformed (a file
mixing the two would otherwise read local times as UTC without a word). A year outside 1-9999
(after conversion to UTC) is malformed too.

A later row repeating the layout's key (``change_id``, ``product_id``) is malformed: the first
is kept.

A bad row's problem names every bad field of it, in the layout's column order (one problem a
field: ``old_price "199,000" is not a price; new_price "19,900" is not a price``); a value is
quoted as the file wrote it (a currency ``won``, not ``WON``). :func:`expected_forms` says once,
for the problems of a run, how the values named in them are to be written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from sagwa.domain.money import CURRENCY_EXPONENTS
from sagwa.priceguard.vocabulary import ERROR_TYPES

# [0-9], not \d: Polars' \d matches any script's digits, which the integer casts then refuse.
_PRICE_RE = r"^[0-9]{1,13}(\.[0-9]{1,6})?$"
_PCT_RE = r"^[0-9]{1,2}(\.[0-9]+)?$"
_PRICES = ("price", "old_price", "new_price", "list_price")
_TIMES = ("observed_at", "proposed_at")
#: A UTC offset after a time of day: ``Z``, ``+09:00``, ``+0900``, ``+09`` (a date's ``-20`` is not).
_OFFSET_RE = r"[0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?\s*([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$"
_YEARS = (1, 9999)  # what Python's datetime can hold
#: The ISO 8601 forms a timestamp may take: a date and time ("T" or a space between, seconds
#: and their fraction optional), or a date alone (not with an offset).
_ISO_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M", "%Y-%m-%d")
_OPTIONAL = {"promotion_pct", "category", "list_price"}
#: Names and ids, written to the output as read: a control character (a NUL) in one is refused.
_NAMES = ("change_id", "listing_id", "product_id", "seller_id", "category", "error_type")
_SHOWN_VALUE_CHARS = 40


def validate_rows(
    raw: pl.DataFrame, columns: tuple[str, ...], *, key: str | None,
    offsets: Mapping[str, bool | None] | None = None,
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """The good rows of ``raw`` (text columns plus ``_line``) typed, and the bad ones as
    ``(line, problem)``; a later row repeating ``key`` is a bad one. ``offsets``: whether each
    timestamp column carries UTC offsets, decided over a whole file read in blocks
    (:func:`offset_votes`, :meth:`OffsetVotes.decision`); by default ``raw``'s own values
    decide, the same way."""
    raw = raw.with_columns(_parsed_times(columns))
    if offsets is None:  # as the rows given decide it
        offsets = {name: v.decision() for name, v in _votes(raw, columns).items()}
    checks = _checks(columns, offsets)
    checked = raw.with_columns(_check=_first_failed(checks))
    failed = checked.filter(pl.col("_check").is_not_null())
    good = checked.filter(pl.col("_check").is_null()).drop("_check", WRITTEN, strict=False)
    good, repeats = drop_repeats(good, key)
    return _typed(good, columns), _describe(failed, checks, columns) + repeats


#: The currency as the file wrote it, where that differs from the code read (``won`` for
#: ``WON``; null elsewhere): set by ``guard_input``, quoted in a row's problem, then dropped.
WRITTEN = "_currency_written"


@dataclass(frozen=True)
class _Check:
    """A row fails when ``bad`` holds; ``text`` may use ``{value}`` and ``{currency}``."""

    bad: pl.Expr
    column: str
    text: str


#: How a value is to be written, said once for a run's bad rows: by a phrase its problems use.
_FORMS = {
    "is not a price": 'prices are plain numbers with "." for decimals, without thousands '
                      "separators or currency symbols: 199000 or 19.99",
    "has more decimals than its currency": "a price has at most as many decimals as its "
        "currency: none in " + " and ".join(c for c, e in CURRENCY_EXPONENTS.items() if e == 0)
        + ", 2 in the others",
    "is not a currency sagwa knows": "currencies sagwa knows (in any case): "
                                     + ", ".join(CURRENCY_EXPONENTS),
    "is not a percentage": 'promotion_pct is a number below 100 without "%", or empty: 30 or '
                           "12.5",
    "is not a date/time": "timestamps are ISO 8601: 2025-07-10T10:00:00+09:00, or without "
                          "an offset (taken as UTC) 2025-07-10 10:00:00 or 2025-07-10",
    "has digits other than 0-9": "numbers are written with the digits 0-9 (not full-width)",
}


def expected_forms(problems: list[str]) -> list[str]:
    """How the values the ``problems`` (of bad rows) name are to be written, each form once."""
    return [form for phrase, form in _FORMS.items() if any(phrase in p for p in problems)]


def _checks(columns: tuple[str, ...], offsets: Mapping[str, bool | None]) -> list[_Check]:
    checks = [
        _Check(pl.col(c).is_null(), c, f"{c} is empty") for c in columns if c not in _OPTIONAL
    ]
    for name in _NAMES:
        if name in columns:  # shown as \u0000 in the message (_shown): visible, not swallowed
            # a quoted line break or tab is CSV's own (kept, as read); NUL and the rest are not
            checks.append(_Check(pl.col(name).str.contains(r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"),
                                 name, f"{name} {{value}} has a control character (a NUL, …)"))
    if "currency" in columns:
        known = ~pl.col("currency").is_in(list(CURRENCY_EXPONENTS))
        checks.append(_Check(known, "currency", "currency {value} is not a currency sagwa knows"))
    for name in (*_PRICES, "promotion_pct"):
        if name in columns:
            text = f"{name} {{value}} has digits other than 0-9 (full-width or another script's)"
            checks.append(_Check(_foreign_digits(name), name, text))
    for name in _PRICES:
        if name in columns:
            checks += _price_checks(name)
    if "promotion_pct" in columns:
        bad = pl.col("promotion_pct").is_not_null() & ~pl.col("promotion_pct").str.contains(_PCT_RE)
        text = "promotion_pct {value} is not a percentage below 100"
        checks.append(_Check(bad, "promotion_pct", text))
    for name in _TIMES:
        if name in columns:
            checks += _time_checks(name, offsets.get(name))
    if "is_error" in columns:
        checks += _label_checks()
    return checks


def _price_checks(name: str) -> list[_Check]:
    """A price in major units, with no more decimals than its currency has."""
    bad = pl.col(name).is_not_null() & ~pl.col(name).str.contains(_PRICE_RE)
    return [
        _Check(bad, name, f"{name} {{value}} is not a price"),
        _Check(
            _too_many_decimals(name),
            name,
            f"{name} {{value}} has more decimals than its currency ({{currency}}) has",
        ),
    ]


def _label_checks() -> list[_Check]:
    """``is_error`` 0 or 1, an ``error_type`` written as a name, and the two agreeing.

    A type sagwa does not name itself (another data set's ``repricer_runaway``) is a label all
    the same: its errors count in recall and get a row of their own per type, and the CLI notes
    it (a typo such as ``extra_zeros`` shows there). Sagwa's own types are listed in the error.
    """
    known = ", ".join(ERROR_TYPES)
    none = pl.col("error_type") == "none"
    return [
        _Check(~pl.col("is_error").is_in(["0", "1"]), "is_error", "is_error {value} is not 0 or 1"),
        _Check(
            ~pl.col("error_type").str.contains(r"^[a-z][a-z0-9_]{0,63}$"),
            "error_type",
            f"error_type {{value}} is not a type name (lower-case letters, digits and _; "
            f"sagwa's own: {known})",
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


def _time_checks(name: str, decided: bool | None) -> list[_Check]:
    """Unreadable, offset unlike the column's first value, or a year Python cannot hold."""
    parsed, offset = pl.col(_parsed_name(name)), _has_offset(name)
    # whether the column carries offsets (OffsetVotes.decision: as most of its readable values
    # do), so one odd row is the one said to be malformed, not the many after it; None (no
    # readable value) fails no row
    first_offset = pl.lit(decided, dtype=pl.Boolean)
    return [
        _Check(
            pl.col(name).is_not_null() & parsed.is_null(),
            name,
            f"{name} {{value}} is not a date/time",
        ),
        _Check(
            offset & ~first_offset,
            name,
            f"{name} {{value}} has a UTC offset, but most of the file's {name} values have "
            "none; give every timestamp an offset, or none",
        ),
        _Check(
            ~offset & first_offset,
            name,
            f"{name} {{value}} has no UTC offset, but most of the file's {name} values have "
            "one; give every timestamp an offset, or none",
        ),
        _Check(
            ~parsed.dt.year().is_between(*_YEARS),
            name,
            f"{name} {{value}} is outside the years {_YEARS[0]} to {_YEARS[1]}",
        ),
    ]


@dataclass(frozen=True)
class OffsetVotes:
    """Of one timestamp column's readable values: how many carry a UTC offset, how many there
    are, and whether the first one does (None: none readable)."""

    with_offset: int = 0
    readable: int = 0
    first: bool | None = None

    def plus(self, later: OffsetVotes) -> OffsetVotes:
        return OffsetVotes(self.with_offset + later.with_offset, self.readable + later.readable,
                           self.first if self.first is not None else later.first)

    def decision(self) -> bool | None:
        """As most readable values do (a tie: as the first); None when none is readable."""
        if self.readable == 0:
            return None
        share = self.with_offset / self.readable
        return self.first if share == 0.5 else share > 0.5


def offset_votes(raw: pl.DataFrame, columns: tuple[str, ...]) -> dict[str, OffsetVotes]:
    """Each timestamp column's :class:`OffsetVotes` in ``raw`` (text columns, a block of a
    file): summed over the blocks (``plus``), they decide the file's ``offsets``."""
    return _votes(raw.with_columns(_parsed_times(columns)), columns)


def _votes(parsed: pl.DataFrame, columns: tuple[str, ...]) -> dict[str, OffsetVotes]:
    """:func:`offset_votes` of rows whose timestamps are parsed already."""
    names = [n for n in _TIMES if n in columns]
    if not names:
        return {}
    parsed = parsed.select(*(_parsed_name(n) for n in names),
                           *(_has_offset(n).alias(f"_{n}_has") for n in names))
    out = {}
    for name in names:
        has = parsed.filter(pl.col(_parsed_name(name)).is_not_null())[f"_{name}_has"]
        out[name] = OffsetVotes(int(has.sum()), has.len(),
                                bool(has[0]) if has.len() else None)
    return out


def _parsed_name(name: str) -> str:
    return f"_{name}_utc"


def _has_offset(name: str) -> pl.Expr:
    return pl.col(name).str.contains(_OFFSET_RE)


def _parsed_times(columns: tuple[str, ...]) -> list[pl.Expr]:
    """Each timestamp column parsed once, to UTC (null where unreadable), for checks and types.

    Values with and without an offset are parsed apart, each against the ISO 8601 forms
    (``_ISO_FORMATS``) one by one: no value's format is guessed from another's.
    """
    out = []
    for name in _TIMES:
        if name in columns:
            text, offset = pl.col(name), _has_offset(name)
            naive = pl.coalesce([pl.when(~offset).then(text).str.to_datetime(
                f, strict=False, time_unit="us") for f in _ISO_FORMATS])
            aware = pl.coalesce([pl.when(offset).then(text).str.to_datetime(
                f + "%#z", strict=False, time_zone="UTC", time_unit="us")
                for f in _ISO_FORMATS[:-1]])
            utc = pl.coalesce(naive.dt.replace_time_zone("UTC"), aware)
            out.append(utc.alias(_parsed_name(name)))
    return out


def _first_failed(checks: list[_Check]) -> pl.Expr:
    """Index of the first check a row fails, or null."""
    expr = pl.lit(None, dtype=pl.Int32)
    for i, check in reversed(list(enumerate(checks))):
        expr = pl.when(check.bad.fill_null(False)).then(pl.lit(i, dtype=pl.Int32)).otherwise(expr)
    return expr


def _describe(failed: pl.DataFrame, checks: list[_Check],
              columns: tuple[str, ...]) -> list[tuple[int, str]]:
    """``(line, 'old_price "1,9" is not a price; new_price "x" is not a price')`` for each
    failed row (few, so in Python): each bad field once (its first failed check), in the
    layout's column order."""
    # every check again, on the failed rows only: which of them each row fails
    fails = failed.select(*(c.bad.fill_null(False).alias(f"_fails_{i}")
                            for i, c in enumerate(checks)))
    # only the text columns: a parsed time Python cannot hold (year 0) must not be converted
    rows = failed.select(pl.col(pl.String), "_line").iter_rows(named=True)
    order = sorted(range(len(checks)), key=lambda i: columns.index(checks[i].column))
    out = []
    for row, failing in zip(rows, fails.iter_rows(), strict=True):
        said: dict[str, str] = {}
        for i in order:
            check = checks[i]
            if failing[i] and check.column not in said:
                value = row[check.column]
                if check.column == "currency":
                    value = row.get(WRITTEN) or value
                said[check.column] = check.text.format(value=_shown(value),
                                                       currency=row.get("currency"))
        out.append((row["_line"], "; ".join(said.values())))
    return out


def _shown(value: str | None) -> str:
    """A value quoted for a one-line message: escapes kept visible, long values cut."""
    if value is not None and len(value) > _SHOWN_VALUE_CHARS:
        value = value[:_SHOWN_VALUE_CHARS] + "…"
    return json.dumps(value, ensure_ascii=False)


def drop_repeats(
    good: pl.DataFrame, key: str | None
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """Keep the first row of each ``key``; report the later ones against the first's line."""
    if key is None or good.height == 0:
        return good, []
    marked = good.with_columns(_first=pl.col("_line").min().over(key))
    later = marked.filter(pl.col("_line") != pl.col("_first"))
    repeats = [repeated(key, value, line, first)
               for line, value, first in later.select("_line", key, "_first").iter_rows()]
    return marked.filter(pl.col("_line") == pl.col("_first")).drop("_first"), repeats


def repeated(key: str, value: str, line: int, first: int) -> tuple[int, str]:
    """The bad row of a later ``line`` repeating ``key``'s ``value`` of line ``first``."""
    return line, f"{key} {_shown(value)} repeats line {first}"


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
    for name in _PRICES:
        if name in columns:
            out = out.with_columns(_minor(name).alias(f"{name}_minor"))
    if "promotion_pct" in columns:  # 0 (or 0.0) declares nothing, as an empty one does
        pct = pl.col("promotion_pct").cast(pl.Float64)
        out = out.with_columns(pl.when(pct > 0).then(pct).alias("promotion_pct"))
    for name in _TIMES:
        if name in columns:
            out = out.with_columns(pl.col(_parsed_name(name)).alias(name)).drop(_parsed_name(name))
    if "is_error" in columns:
        out = out.with_columns(pl.col("is_error").cast(pl.Int8))
    return out
