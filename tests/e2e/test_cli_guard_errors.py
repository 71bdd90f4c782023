"""``sagwa guard`` on bad input: one clear line, exit 2, no traceback, nothing (half-)written.

Also: empty-but-well-formed files, repeated ids, undefined metrics as JSON null, and the
messages' details (line numbers, the bad value, case-insensitive currency codes).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import (
    CHANGES_HEADER,
    HISTORY_HEADER,
    LABELS_HEADER,
    assert_refused,
    changes_text,
    file_options,
    input_files,
    run,
    write,
)
from typer.testing import Result

pytestmark = pytest.mark.e2e

HISTORY = HISTORY_HEADER + """\
L1,P1,S1,199000,2008-08-01,KRW
L1,P1,S1,199000,2008-08-08,KRW
L2,P1,S2,195000,2008-08-08,KRW
L4,P2,S1,3.49,2025-01-13,USD
L5,P2,S2,3.79,2025-01-13,USD
"""
GOOD = [
    "c1,L1,P1,S1,199000,19900,2008-08-20T10:00:00,90,KRW",  # line 2
    "c2,L4,P2,S1,3.49,2.49,2025-02-01T09:00:00,30,USD",  # line 3
    "c3,L4,P2,S1,2.49,3.49,2025-02-08T09:00:00,,USD",  # line 4
    "c4,L5,P2,S2,3.79,37.90,2025-02-08T10:00:00,,USD",  # line 5
]
PRODUCTS = "product_id,list_price,currency,category\nP1,199000,KRW,mp3\nP2,3.99,USD,grocery\n"
#: c1 (2008) is the tune split; c2, c3 (2025) are held out and hold no labelled error.
LABELS = LABELS_HEADER + "c1,1,percent_inverted\nc2,0,none\nc3,0,none\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return input_files(
        tmp_path, history=HISTORY, changes=changes_text(GOOD), products=PRODUCTS, labels=LABELS
    )


def check(files: dict[str, Path], out: Path, *extra: str | Path, **swap: Path) -> Result:
    inputs = file_options({**files, **swap}, "history", "changes", "products")
    return run("check", *inputs, "--out", out, *extra)


def evaluate(files: dict[str, Path], *extra: str | Path, **swap: Path) -> Result:
    return run("evaluate", *file_options({**files, **swap}, "history", "changes", "labels"), *extra)


def strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


# -- 1. files that cannot be read: a clear line, exit 2, an earlier output left as it was --

Breaker = Callable[[Path], Path]
BREAKERS: dict[str, Breaker] = {
    "missing": lambda tmp: tmp / "no-such-file.csv",
    "directory": lambda tmp: (tmp / "a-directory").resolve(),
    "empty": lambda tmp: write(tmp / "empty.csv", ""),
    "corrupt gzip": lambda tmp: (tmp / "cut.csv.gz").resolve(),
}
EXPECTED = {
    "missing": "no-such-file.csv does not exist",
    "directory": "a-directory is a directory",
    "empty": "empty.csv is empty",
    "corrupt gzip": "cut.csv.gz is not a readable gzip file",
}


@pytest.fixture
def broken_files(tmp_path: Path) -> Path:
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "cut.csv.gz").write_bytes(gzip.compress(changes_text(GOOD).encode())[:-12])
    return tmp_path


@pytest.mark.parametrize("flag", ["history", "changes", "products"])
@pytest.mark.parametrize("kind", list(BREAKERS))
def test_check_refuses_an_unreadable_input_and_keeps_the_old_output(
    files: dict[str, Path], broken_files: Path, flag: str, kind: str
) -> None:
    out = write(broken_files / "verdicts.csv", "previous run\n")
    result = check(files, out, **{flag: BREAKERS[kind](broken_files)})
    assert_refused(result, f"--{flag}", EXPECTED[kind])
    assert out.read_text(encoding="utf-8") == "previous run\n"


@pytest.mark.parametrize("kind", list(BREAKERS))
def test_evaluate_refuses_an_unreadable_labels_file(
    files: dict[str, Path], broken_files: Path, kind: str
) -> None:
    result = evaluate(files, labels=BREAKERS[kind](broken_files))
    assert_refused(result, "--labels", EXPECTED[kind])


def test_a_header_without_required_columns_names_them_even_with_skip_bad_rows(
    files: dict[str, Path], tmp_path: Path
) -> None:
    changes = write(tmp_path / "c.csv", "change_id,listing_id,price\nc1,L1,10\n")
    out = tmp_path / "verdicts.csv"
    result = check(files, out, "--skip-bad-rows", changes=changes)
    assert_refused(result, "--changes", "lacks column(s) product_id, seller_id, old_price")
    assert not out.exists()


def test_check_refuses_an_out_path_that_is_a_directory(
    files: dict[str, Path], tmp_path: Path
) -> None:
    (tmp_path / "results").mkdir()
    assert_refused(check(files, tmp_path / "results"), "--out", "is a directory")


def test_check_refuses_an_out_path_in_a_directory_it_cannot_write_before_reading(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory no file can be created in is refused before the inputs are read (a
    review's finding: /sys/x.csv was refused only after the whole run). /proc stands for it:
    not even root creates files there."""
    from sagwa.adapters import guard_input

    def never(*_: object) -> None:
        raise AssertionError("the inputs were read")

    monkeypatch.setattr(guard_input, "read_table", never)
    assert_refused(check(files, Path("/proc/verdicts.csv")), "--out",
                   "cannot write /proc/verdicts.csv", "nothing was read yet")


def test_check_refuses_a_dash_for_out_and_names_dev_stdout(files: dict[str, Path],
                                                            tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert_refused(check(files, Path("-")), "--out", "give /dev/stdout")
    assert not (tmp_path / "-").exists()


def test_check_refuses_an_out_path_below_a_file(files: dict[str, Path], tmp_path: Path) -> None:
    result = check(files, files["history"] / "verdicts.csv")
    assert_refused(result, "--out", "history.csv is not a directory")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("thresholds = [\n", "are not valid TOML"), (None, "do not exist")],
)
def test_check_refuses_a_bad_rules_file(
    files: dict[str, Path], tmp_path: Path, text: str | None, expected: str
) -> None:
    rules = tmp_path / "my-rules.toml"
    if text is not None:
        write(rules, text)
    out = tmp_path / "verdicts.csv"
    assert_refused(check(files, out, "--rules", rules), "--rules", "my-rules.toml", expected)
    assert not out.exists()


# -- 1. well-formed but empty files --


@pytest.mark.parametrize(("output_format", "empty"), [("csv", ""), ("json", "[]")])
def test_a_header_only_changes_file_gives_an_empty_result(
    files: dict[str, Path], tmp_path: Path, output_format: str, empty: str
) -> None:
    changes = write(tmp_path / "none.csv.gz", CHANGES_HEADER, gz=True)
    out = tmp_path / f"verdicts.{output_format}"
    result = check(files, out, "--format", output_format, changes=changes)
    assert result.exit_code == 0, result.output
    if output_format == "csv":
        assert (
            out.read_text(encoding="utf-8").strip() == "change_id,verdict,score,error_type,reason"
        )
    else:
        assert json.loads(out.read_text(encoding="utf-8")) == []


def test_a_header_only_history_means_no_history(files: dict[str, Path], tmp_path: Path) -> None:
    history = write(tmp_path / "h.csv", HISTORY_HEADER)
    out = tmp_path / "verdicts.csv"
    result = check(files, out, history=history)
    assert result.exit_code == 0, result.output
    assert sorted(pl.read_csv(out)["change_id"]) == ["c1", "c2", "c3", "c4"]


# -- 2. evaluate: undefined rates are null / "—"; labels that match nothing are refused --


def test_evaluate_writes_null_not_nan_for_a_split_without_errors(
    files: dict[str, Path], tmp_path: Path
) -> None:
    js = tmp_path / "metrics.json"
    result = evaluate(files, "--json", js)
    assert result.exit_code == 0, result.output
    by_split = {m["name"]: m for m in strict_json(js.read_text(encoding="utf-8"))}  # type: ignore[union-attr]
    assert by_split["held_out"]["errors"] == 0
    assert by_split["held_out"]["recall"] is None and by_split["held_out"]["recall_5x"] is None
    assert by_split["all"]["recall"] == 1.0
    held_out_row = next(line for line in result.stdout.splitlines() if "held_out" in line)
    assert "—" in held_out_row and "nan" not in held_out_row


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (LABELS_HEADER + "x1,1,penny\nx2,0,none\n", "no change_id in"),
        (LABELS_HEADER, "has no labels"),
    ],
)
def test_evaluate_refuses_labels_that_match_no_change(
    files: dict[str, Path], tmp_path: Path, labels: str, expected: str
) -> None:
    js = tmp_path / "metrics.json"
    result = evaluate(files, "--json", js, labels=write(tmp_path / "l.csv", labels))
    assert_refused(result, "--labels", expected, "nothing to evaluate")
    assert not js.exists()


# -- 3. repeated ids are malformed rows --


def test_a_repeated_change_id_stops_the_run(files: dict[str, Path], tmp_path: Path) -> None:
    changes = write(tmp_path / "c.csv", changes_text(GOOD + [GOOD[1].replace("2.49", "2.29")]))
    out = tmp_path / "verdicts.csv"
    result = check(files, out, changes=changes)
    assert result.exit_code == 2
    assert 'line 6: change_id "c2" repeats line 3' in result.stderr
    assert not out.exists()


def test_skip_bad_rows_keeps_the_first_of_a_repeated_change_id(
    files: dict[str, Path], tmp_path: Path
) -> None:
    changes = write(tmp_path / "c.csv", changes_text(GOOD + [GOOD[1], GOOD[1]]))
    out = tmp_path / "verdicts.csv"
    result = check(files, out, "--skip-bad-rows", changes=changes)
    assert result.exit_code == 0, result.output
    assert "line 6:" in result.stderr and "line 7:" in result.stderr
    assert "skipped 2 malformed rows" in result.stderr
    assert sorted(pl.read_csv(out)["change_id"]) == ["c1", "c2", "c3", "c4"]


def test_a_repeated_product_id_does_not_duplicate_changes(
    files: dict[str, Path], tmp_path: Path
) -> None:
    products = write(tmp_path / "p.csv", PRODUCTS + "P2,4.99,USD,grocery\n")
    out = tmp_path / "verdicts.csv"
    refused = check(files, out, products=products)
    assert refused.exit_code == 2 and 'line 4: product_id "P2" repeats line 3' in refused.stderr
    result = check(files, out, "--skip-bad-rows", products=products)
    assert result.exit_code == 0, result.output
    assert sorted(pl.read_csv(out)["change_id"]) == ["c1", "c2", "c3", "c4"]


# -- 4. polish --


def test_a_malformed_row_message_shows_the_bad_value(
    files: dict[str, Path], tmp_path: Path
) -> None:
    bad = 'c9,L4,P2,S1,3.49,"12,9x",2025-02-01T09:00:00,,USD'
    changes = write(tmp_path / "c.csv", changes_text(GOOD + [bad]))
    result = check(files, tmp_path / "verdicts.csv", changes=changes)
    assert result.exit_code == 2
    assert 'line 6: new_price "12,9x" is not a price' in result.stderr
    assert "1 malformed row found; nothing written" in result.stderr


def test_line_numbers_stay_right_after_a_row_with_too_many_fields(
    files: dict[str, Path], tmp_path: Path
) -> None:
    rows = [GOOD[0], GOOD[1] + ",extra", GOOD[2], GOOD[3].replace("37.90", "x")]
    changes = write(tmp_path / "c.csv", changes_text(rows))
    result = check(files, tmp_path / "verdicts.csv", changes=changes)
    assert result.exit_code == 2
    assert "line 3: expected 9 fields, found 10" in result.stderr
    assert 'line 5: new_price "x" is not a price' in result.stderr


def test_currency_codes_are_read_case_insensitively(files: dict[str, Path], tmp_path: Path) -> None:
    upper, lower = tmp_path / "upper.csv", tmp_path / "lower.csv"
    assert check(files, upper).exit_code == 0
    changes = write(tmp_path / "c.csv", changes_text(GOOD).replace(",KRW", ",krw"))
    history = write(tmp_path / "h.csv", HISTORY.replace(",USD", ", usd"))
    result = check(files, lower, changes=changes, history=history)
    assert result.exit_code == 0, result.output
    assert pl.read_csv(lower).equals(pl.read_csv(upper))


def test_evaluate_refuses_a_png_path_that_is_a_directory(
    files: dict[str, Path], tmp_path: Path
) -> None:
    (tmp_path / "plots").mkdir()
    result = evaluate(files, "--png", tmp_path / "plots")
    assert_refused(result, "--png", "plots is a directory")
    assert not (tmp_path / "plots.png").exists()


def test_evaluate_writes_the_png_and_json_where_asked_and_says_where(
    files: dict[str, Path], tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    png, js = tmp_path / "curve", tmp_path / "out" / "metrics.json"
    result = evaluate(files, "--png", png, "--json", js)
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:4] == b"\x89PNG" and not (tmp_path / "curve.png").exists()
    assert f"-> {png}" in result.stdout and f"-> {js}" in result.stdout
    assert js.exists()
