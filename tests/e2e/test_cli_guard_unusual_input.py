"""``sagwa guard`` on unusual digits and timestamps: offset times are read (as UTC), and digits
other than 0-9, a year Python cannot hold and a file mixing times with and without an offset
are malformed rows with their line numbers (exit 2, or skipped) — never a traceback."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import changes_text, run, write
from typer.testing import Result

from sagwa.adapters import guard_input as gf

pytestmark = pytest.mark.e2e

HISTORY = """listing_id,product_id,seller_id,price,observed_at,currency
L1,P1,S1,199000,2008-08-01,KRW
L1,P1,S1,199000,2008-08-08,KRW
L2,P1,S2,195000,2008-08-08,KRW
"""
#: The 2008 iPod at 90% off, once a day, as naive UTC times.
NAIVE = [
    "c1,L1,P1,S1,199000,19900,2008-08-20T01:00:00,90,KRW",  # line 2
    "c2,L2,P1,S2,195000,185000,2008-08-21T01:00:00,,KRW",  # line 3
    "c3,L1,P1,S1,199000,19900,2008-08-22T01:00:00,,KRW",  # line 4
]
#: The same moments, written in Korea time and as Z.
WITH_OFFSETS = [
    "c1,L1,P1,S1,199000,19900,2008-08-20T10:00:00+09:00,90,KRW",
    "c2,L2,P1,S2,195000,185000,2008-08-21T01:00:00Z,,KRW",
    "c3,L1,P1,S1,199000,19900,2008-08-22T10:00:00+0900,,KRW",
]


def changes_file(tmp_path: Path, rows: list[str], name: str = "changes.csv") -> Path:
    return write(tmp_path / name, changes_text(rows))


def check(tmp_path: Path, changes: Path, *extra: str) -> tuple[Result, Path]:
    history = write(tmp_path / "history.csv", HISTORY)
    out = tmp_path / f"verdicts-{changes.stem}.csv"
    return run("check", "--history", history, "--changes", changes, "--out", out, *extra), out


def assert_malformed(result: Result, out: Path, *lines: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    for line in lines:
        assert line in result.stderr, result.stderr
    assert "nothing written" in result.stderr
    assert not out.exists()


def test_times_with_an_offset_are_read_as_the_same_moments_in_utc(tmp_path: Path) -> None:
    naive, naive_out = check(tmp_path, changes_file(tmp_path, NAIVE, "naive.csv"))
    aware, aware_out = check(tmp_path, changes_file(tmp_path, WITH_OFFSETS, "aware.csv"))
    assert naive.exit_code == 0, naive.output
    assert aware.exit_code == 0, (aware.output, aware.stderr)
    assert pl.read_csv(aware_out).equals(pl.read_csv(naive_out))
    frame = gf.read_table(tmp_path / "aware.csv", gf.CHANGE_COLUMNS).frame
    assert frame["proposed_at"].dtype == pl.Datetime("us", "UTC")
    assert frame["proposed_at"].dt.hour().to_list() == [1, 1, 1]


def test_a_time_without_an_offset_after_one_with_is_a_malformed_row(tmp_path: Path) -> None:
    rows = [WITH_OFFSETS[0], NAIVE[1], WITH_OFFSETS[2]]
    result, out = check(tmp_path, changes_file(tmp_path, rows))
    assert_malformed(
        result, out, 'line 3: proposed_at "2008-08-21T01:00:00" has no UTC offset, but most of '
        "the file's proposed_at values have one"
    )


def test_the_odd_one_out_is_the_malformed_row_not_the_many_after_it(tmp_path: Path) -> None:
    """One row with an offset first, then rows without: that one row is the odd one (a
    reviewer's finding: the first row used to decide, and --skip-bad-rows dropped all the
    others)."""
    rows = [WITH_OFFSETS[0], *NAIVE[1:]]
    result, out = check(tmp_path, changes_file(tmp_path, rows), "--skip-bad-rows")
    assert result.exit_code == 0, (result.output, result.stderr)
    assert 'line 2: proposed_at "2008-08-20T10:00:00+09:00" has a UTC offset' in result.stderr
    assert pl.read_csv(out)["change_id"].to_list() == ["c2", "c3"]


def test_a_date_that_is_not_iso_8601_is_malformed_and_sets_no_format(tmp_path: Path) -> None:
    """``02/01/2008`` could be either day first or month first: it is malformed, and the
    ISO dates after it are read (the first value's format used to be guessed and imposed)."""
    rows = ["c1,L1,P1,S1,199000,19900,02/01/2008,90,KRW", *NAIVE[1:]]
    result, out = check(tmp_path, changes_file(tmp_path, rows))
    assert_malformed(result, out, 'line 2: proposed_at "02/01/2008" is not a date/time')
    assert "line 3" not in result.stderr and "line 4" not in result.stderr


def test_a_time_with_an_offset_after_one_without_is_a_malformed_row(tmp_path: Path) -> None:
    rows = [NAIVE[0], NAIVE[1], WITH_OFFSETS[2]]
    result, out = check(tmp_path, changes_file(tmp_path, rows))
    assert_malformed(
        result, out, 'line 4: proposed_at "2008-08-22T10:00:00+0900" has a UTC offset, but'
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "c9,L1,P1,S1,199000,１９９００,2008-08-20T02:00:00,,KRW",
            'line 3: new_price "１９９００" has digits other than 0-9',
        ),
        (
            "c9,L1,P1,S1,١٩٩٠٠٠,19900,2008-08-20T02:00:00,,KRW",
            'line 3: old_price "١٩٩٠٠٠" has digits other than 0-9',
        ),
        (
            "c9,L1,P1,S1,199000,19900,2008-08-20T02:00:00,١٠,KRW",
            'line 3: promotion_pct "١٠" has digits other than 0-9',
        ),
        (
            "c9,L1,P1,S1,199000,19900,0000-08-20T10:00:00,,KRW",
            'line 3: proposed_at "0000-08-20T10:00:00" is outside the years 1 to 9999',
        ),
    ],
)
def test_unusual_digits_and_years_are_malformed_rows(
    tmp_path: Path, row: str, message: str
) -> None:
    rows = [NAIVE[0], row, NAIVE[1]]
    result, out = check(tmp_path, changes_file(tmp_path, rows))
    assert_malformed(result, out, message)

    skipped, out = check(tmp_path, changes_file(tmp_path, rows), "--skip-bad-rows")
    assert skipped.exit_code == 0, (skipped.output, skipped.exception)
    assert message in skipped.stderr and "skipped 1 malformed row" in skipped.stderr
    assert pl.read_csv(out)["change_id"].to_list() == ["c1", "c2"]


def test_a_year_that_leaves_the_range_only_in_utc_is_malformed(tmp_path: Path) -> None:
    rows = [WITH_OFFSETS[0], "c9,L1,P1,S1,199000,19900,0001-01-01T05:00:00+09:00,,KRW"]
    result, out = check(tmp_path, changes_file(tmp_path, rows))
    assert_malformed(result, out, 'line 3: proposed_at "0001-01-01T05:00:00+09:00" is outside')


def test_history_with_unusual_digits_is_reported_against_the_history_file(
    tmp_path: Path,
) -> None:
    history = tmp_path / "history.csv"
    history.write_text(HISTORY + "L2,P1,S2,１９５０００,2008-08-09,KRW\n", encoding="utf-8")
    changes = changes_file(tmp_path, NAIVE)
    out = tmp_path / "out.csv"
    result = run("check", "--history", history, "--changes", changes, "--out", out)
    assert_malformed(result, out, 'history.csv line 5: price "１９５０００" has digits other than')


@pytest.mark.parametrize("flags", [(), ("--skip-bad-rows",)])
def test_a_quote_never_closed_is_said_and_no_row_after_it_is_lost(tmp_path: Path,
                                                                 flags: tuple[str, ...]) -> None:
    """A quote opened and never closed would make the rest of the file one value: the file is
    refused, naming the line (a reviewer's finding: 199 valid changes after it were dropped
    under --skip-bad-rows as "1 malformed row", exit 0)."""
    rows = [NAIVE[0], NAIVE[1].replace(",KRW", ',"KRW'), NAIVE[2],
            *(f"c{n},L{n},P1,S{n},1000,1010,2008-08-23T01:00:00,,KRW" for n in range(4, 40))]
    result, out = check(tmp_path, changes_file(tmp_path, rows), *flags)
    assert result.exit_code == 2, (result.output, result.stderr)
    assert "line 3: a quoted value starts on this line and its quote is never closed " \
           "(lines 3-40 would be read as one value)" in result.stderr
    assert not out.exists()


def test_a_file_with_old_mac_line_endings_is_read_line_by_line(tmp_path: Path) -> None:
    """``\\r`` alone ending each line (old Mac): read as lines, not refused with a traceback
    (the header reader used to raise a csv error) nor read as one long header."""
    changes = tmp_path / "changes.csv"
    changes.write_bytes(changes_text(NAIVE).replace("\n", "\r").encode())
    result, out = check(tmp_path, changes)
    assert result.exit_code == 0, (result.output, result.stderr, result.exception)
    assert pl.read_csv(out)["change_id"].to_list() == ["c1", "c2", "c3"]


def test_a_control_character_in_an_id_is_a_malformed_row_not_copied_to_the_output(
        tmp_path: Path) -> None:
    """A review's finding: a NUL inside a change_id reached the verdicts file (exit 0); the
    API refuses NUL in text. It is shown escaped, with its line; --skip-bad-rows skips it. (A
    quoted line break or tab is CSV's own and stays allowed.)"""
    rows = ['"c\x001",L1,P1,S1,199000,19900,2008-08-20T01:00:00,90,KRW', NAIVE[1],
            'c3,L1,"P\x1b1",S1,199000,19900,2008-08-22T01:00:00,,KRW']
    changes = changes_file(tmp_path, rows, "nul.csv")
    result, out = check(tmp_path, changes)
    assert_malformed(result, out, 'line 2: change_id "c\\u00001" has a control character',
                     'line 4: product_id "P\\u001b1" has a control character')
    skipped, out = check(tmp_path, changes, "--skip-bad-rows")
    assert skipped.exit_code == 0, skipped.output
    assert pl.read_csv(out)["change_id"].to_list() == ["c2"]
