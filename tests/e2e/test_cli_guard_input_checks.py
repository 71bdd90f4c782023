"""``sagwa guard`` input checks: rules files, --chunk-rows, short rows, blank or padded ids,
text that is not UTF-8, labels that contradict themselves."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
import zipfile
from pathlib import Path

import polars as pl
import pytest
import typer
from guard_cli_files import (
    HISTORY_HEADER,
    LABELS_HEADER,
    assert_refused,
    changes_text,
    run,
    run_on_inputs,
    write,
)
from typer.testing import Result

from sagwa.cli.guard import app

pytestmark = pytest.mark.e2e

HISTORY = HISTORY_HEADER + """\
L4,P2,S1,3.49,2025-01-13,USD
L5,P2,S2,3.79,2025-01-13,USD
"""
GOOD = [
    "c1,L4,P2,S1,3.49,2.49,2025-02-01T09:00:00,30,USD",  # line 2
    "c2,L5,P2,S2,3.79,37.90,2025-02-08T10:00:00,,USD",  # line 3
]


def check(tmp_path: Path, rows: list[str], *extra: str | Path, history: str = HISTORY) -> Result:
    out = tmp_path / "verdicts.csv"
    return run_on_inputs("check", tmp_path, "--out", out, *extra,
                         history=history, changes=changes_text(rows))


def evaluate(tmp_path: Path, labels: str) -> Result:
    return run_on_inputs("evaluate", tmp_path, "--json", tmp_path / "metrics.json",
                         history=HISTORY, changes=changes_text(GOOD), labels=LABELS_HEADER + labels)


# -- 4. the rules file --


def test_a_misspelled_rules_key_stops_the_cli_with_one_line(tmp_path: Path) -> None:
    rules = write(tmp_path / "my-rules.toml", "[thresholds]\nhold_scroe = 0.5\n")
    result = check(tmp_path, GOOD, "--rules", rules)
    assert_refused(result, "--rules", "my-rules.toml", "[thresholds] hold_scroe", "known:")
    assert not (tmp_path / "verdicts.csv").exists()


# -- 5. --chunk-rows --


def chunk_rows_help() -> str:
    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    option = next(p for p in command.params if p.name == "chunk_rows")
    return " ".join(option.help.split())


def test_chunk_rows_help_says_the_verdicts_do_not_depend_on_the_chunk_size() -> None:
    text = chunk_rows_help()
    assert "most changes judged per streaming step" in text
    assert "the verdicts do not depend on this" in text
    assert "docs/benchmarks.md" in text


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_chunk_size_below_one_is_refused(tmp_path: Path, value: str) -> None:
    result = check(tmp_path, GOOD, "--chunk-rows", value)
    assert result.exit_code == 2
    assert "--chunk-rows" in result.output and not (tmp_path / "verdicts.csv").exists()


# -- 6. rough edges in the input files --


def test_a_row_with_too_few_fields_says_so(tmp_path: Path) -> None:
    short = "c3,L4,P2,S1,3.49,2.99,2025-02-09T09:00:00,"  # 8 fields: no currency
    result = check(tmp_path, [*GOOD, short])
    assert result.exit_code == 2
    assert "line 4: expected 9 fields, found 8" in result.stderr
    assert "currency is empty" not in result.stderr


def test_a_trailing_empty_category_is_not_a_short_row(tmp_path: Path) -> None:
    products = write(tmp_path / "p.csv", "product_id,list_price,currency,category\nP2,3.99,USD,\n")
    result = check(tmp_path, GOOD, "--products", products)
    assert result.exit_code == 0, result.output


def test_a_change_id_of_only_spaces_is_malformed(tmp_path: Path) -> None:
    result = check(tmp_path, [*GOOD, "   ,L4,P2,S1,3.49,2.99,2025-02-09T09:00:00,,USD"])
    assert result.exit_code == 2
    assert "line 4: change_id is empty" in result.stderr


def test_ids_are_read_without_surrounding_spaces(tmp_path: Path) -> None:
    # L1's usual price is 20.00 (the history names it "L1 "): 5.00 -> 20.00 ends a promotion
    history = HISTORY + "L1 ,P1,S1,20.00,2025-01-06,USD\n L1,P1,S1,20.00,2025-01-13,USD\n"
    result = check(
        tmp_path, [" c9 ,L1,P1 , S1,5.00,20.00,2025-02-01T09:00:00,,USD"], history=history
    )
    assert result.exit_code == 0, result.output
    verdicts = pl.read_csv(tmp_path / "verdicts.csv")
    assert verdicts["change_id"].to_list() == ["c9"] and verdicts["verdict"][0] == "allow"


def test_ids_differing_only_in_spaces_are_repeats(tmp_path: Path) -> None:
    result = check(tmp_path, [*GOOD, "c1 ,L4,P2,S1,3.49,2.99,2025-02-09T09:00:00,,USD"])
    assert result.exit_code == 2
    assert 'line 4: change_id "c1" repeats line 2' in result.stderr


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda text: text.encode("utf-16"), "line 1: not UTF-8 text (it looks like UTF-16"),
        (lambda text: text.encode("utf-16-le"), "line 1: not UTF-8 text (it looks like UTF-16"),
        (
            lambda text: text.replace("change_id", "change_id_é", 1).encode("latin-1"),
            "line 1: not UTF-8 text (byte 0xe9)",
        ),
        # other packings are named, not taken for UTF-16 (a review's finding)
        (lambda text: _zipped(text), "(it is a zip archive; only gzip is read: unpack it first)"),
        (lambda text: lzma.compress(text.encode()), "(it is xz-compressed; only gzip is read"),
        (lambda text: bz2.compress(text.encode()), "(it is bzip2-compressed; only gzip is read"),
        (lambda text: gzip.compress(gzip.compress(text.encode())),
         "(it is gzip-compressed twice; only gzip is read"),
        (lambda text: b"\x00\x01binary" + text.encode(), "(it holds binary data, not CSV text)"),
    ],
)
def test_a_file_that_is_not_utf8_is_refused_at_line_one(
    tmp_path: Path, encode: object, expected: str
) -> None:
    changes = tmp_path / "changes.csv"
    changes.write_bytes(encode(changes_text(GOOD)))  # type: ignore[operator]
    result = run(
        "check",
        "--history",
        write(tmp_path / "history.csv", HISTORY),
        "--changes",
        changes,
        "--out",
        tmp_path / "verdicts.csv",
    )
    assert_refused(result, "--changes", expected)
    assert "lacks column" not in result.stderr


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ("c1,0,none\nc2,1,Extra Zero\n", 'line 3: error_type "Extra Zero" is not a type name'),
        ("c1,1,none\nc2,1,extra_zero\n", "line 2: is_error is 1 but error_type is none"),
        ("c1,0,penny\nc2,1,extra_zero\n", "line 2: is_error is 0 but error_type is"),
    ],
)
def test_evaluate_refuses_labels_that_contradict_themselves(
    tmp_path: Path, labels: str, expected: str
) -> None:
    result = evaluate(tmp_path, labels)
    assert result.exit_code == 2
    assert re.search(r"labels\.csv " + re.escape(expected), result.stderr), result.stderr
    assert not (tmp_path / "metrics.json").exists()


def test_evaluate_accepts_consistent_labels(tmp_path: Path) -> None:
    result = evaluate(tmp_path, "c1,0,none\nc2,1,extra_zero\n")
    assert result.exit_code == 0, result.output


def test_evaluate_counts_an_error_type_the_guard_does_not_name_and_says_so(
    tmp_path: Path,
) -> None:
    """Another data set's taxonomy (or a typo) is evaluated, with a note naming the types."""
    import json

    result = evaluate(tmp_path, "c1,0,none\nc2,1,shipping_fee_typo\n")
    assert result.exit_code == 0, result.output
    assert ("has error types the guard does not name: shipping_fee_typo (1); they count in "
            "recall and per type") in " ".join(result.stderr.split())
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics[0]["per_type_count"] == {"shipping_fee_typo": 1}


def test_recall_on_5x_moves_leaves_out_first_prices(tmp_path: Path) -> None:
    """A change from no price (an old price of 0) moves by no ratio: it is not a 5x move (a
    reviewer's finding: a first price counted as one, as ln(new/0) is infinite)."""
    import json

    rows = ["c1,L4,P2,S1,0,3.59,2025-02-01T09:00:00,,USD",  # a first price, allowed
            "c2,L5,P2,S2,3.79,37.90,2025-02-08T10:00:00,,USD"]  # 10x: held
    result = run_on_inputs("evaluate", tmp_path, "--json", tmp_path / "metrics.json",
                           history=HISTORY, changes=changes_text(rows),
                           labels=LABELS_HEADER + "c1,1,extra_zero\nc2,1,extra_zero\n")
    assert result.exit_code == 0, result.output
    everything = json.loads((tmp_path / "metrics.json").read_text())[0]
    assert everything["recall"] == 0.5  # c1 allowed, c2 held
    assert everything["recall_5x"] == 1.0  # c2 only


def _zipped(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("changes.csv", text)
    return buffer.getvalue()


@pytest.mark.parametrize("skip", [True, False])
def test_every_skipped_row_is_listed_and_a_refusal_lists_the_first_fifty(tmp_path: Path,
                                                                         skip: bool) -> None:
    """The issue: skipped rows "are listed and skipped" — all of them, so a tool can tell
    which changes got no verdict (a review's finding: 50 were listed, then "10 more")."""
    bad = [f"b{n},L4,P2,S1,3.49,oops,2025-02-01T09:00:00,,USD" for n in range(60)]
    result = check(tmp_path, [*GOOD, *bad], *(["--skip-bad-rows"] if skip else []))
    listed = [line for line in result.stderr.splitlines() if 'new_price "oops"' in line]
    if skip:
        assert result.exit_code == 0, result.output
        assert len(listed) == 60 and "more malformed rows" not in result.stderr
        assert "skipped 60 malformed rows" in result.stderr
    else:
        assert result.exit_code == 2
        assert len(listed) == 50 and "10 more malformed rows" in result.stderr


def test_evaluate_says_how_many_changes_have_no_label(tmp_path: Path) -> None:
    result = evaluate(tmp_path, "c2,1,extra_zero\n")
    assert result.exit_code == 0, result.output
    assert "note: 1 of 2 changes in" in result.stderr
    assert "have no label in" in result.stderr and "judged but not counted" in result.stderr
