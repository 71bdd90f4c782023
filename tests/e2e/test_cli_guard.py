"""``sagwa guard check`` / ``evaluate`` from files: verdicts, bad rows, formats, no lookahead."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import changes_text, run, write

pytestmark = pytest.mark.e2e

HISTORY = """listing_id,product_id,seller_id,price,observed_at,currency
L1,P1,S1,199000,2008-08-01,KRW
L1,P1,S1,199000,2008-08-08,KRW
L2,P1,S2,195000,2008-08-08,KRW
L3,P1,S3,189000,2008-08-08,KRW
L4,P2,S1,3.99,2025-01-06,USD
L4,P2,S1,3.49,2025-01-13,USD
L5,P2,S2,3.79,2025-01-13,USD
"""
GOOD = [
    "c1,L1,P1,S1,199000,19900,2008-08-20T10:00:00,90,KRW",  # the 2008 iPod nano
    "c2,L4,P2,S1,3.49,2.49,2025-02-01T09:00:00,30,USD",  # an ordinary promotion
    "c3,L4,P2,S1,2.49,3.49,2025-02-08T09:00:00,,USD",  # end of promotion
    "c4,L5,P2,S2,3.79,37.90,2025-02-08T10:00:00,,USD",  # extra zero
]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "history": write(tmp_path / "history.csv.gz", HISTORY, gz=True),
        "changes": write(tmp_path / "changes.csv", changes_text(GOOD)),
    }


def test_check_writes_verdicts_for_every_change(files: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "verdicts.csv"
    result = run(
        "check", "--history", files["history"], "--changes", files["changes"], "--out", out
    )
    assert result.exit_code == 0, result.output
    verdicts = pl.read_csv(out)
    assert verdicts.columns == ["change_id", "verdict", "score", "error_type", "reason"]
    by_id = {row["change_id"]: row for row in verdicts.to_dicts()}
    assert by_id["c1"]["verdict"] == "hold" and by_id["c1"]["error_type"] == "percent_inverted"
    assert "19,900 KRW" in by_id["c1"]["reason"]
    assert by_id["c2"]["verdict"] == "allow" and by_id["c3"]["verdict"] == "allow"
    assert by_id["c4"]["verdict"] == "hold" and by_id["c4"]["error_type"] == "extra_zero"


def test_check_writes_json(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "verdicts.json"
    result = run(
        "check",
        "--history",
        files["history"],
        "--changes",
        files["changes"],
        "--out",
        out,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {r["change_id"] for r in rows} == {"c1", "c2", "c3", "c4"}


def test_bad_rows_stop_the_run_with_line_numbers_and_no_output(
    files: dict[str, Path], tmp_path: Path
) -> None:
    bad = (
        GOOD[:2] + ["c9,L4,P2,S1,3.49,abc,2025-02-01T09:00:00,,USD", "c10,L4,P2,S1,3.49"] + GOOD[2:]
    )
    changes = write(tmp_path / "bad.csv", changes_text(bad))
    out = tmp_path / "verdicts.csv"
    result = run("check", "--history", files["history"], "--changes", changes, "--out", out)
    assert result.exit_code == 2
    assert 'line 4: new_price "abc" is not a price' in result.stderr
    assert "line 5:" in result.stderr
    assert not out.exists()


def test_skip_bad_rows_lists_and_skips_them(files: dict[str, Path], tmp_path: Path) -> None:
    bad = GOOD[:2] + [
        "c9,L4,P2,S1,3.49,2.499,2025-02-01T09:00:00,,USD",
        "c10,L4,P2,S1,3.49,2.00,never,,USD",
    ]
    changes = write(tmp_path / "bad.csv", changes_text(bad + GOOD[2:]))
    out = tmp_path / "verdicts.csv"
    result = run(
        "check",
        "--history",
        files["history"],
        "--changes",
        changes,
        "--out",
        out,
        "--skip-bad-rows",
    )
    assert result.exit_code == 0, result.output
    assert (
        'line 4: new_price "2.499" has more decimals than its currency (USD) has' in result.stderr
    )
    assert 'line 5: proposed_at "never" is not a date/time' in result.stderr
    assert "skipped 2 malformed rows" in result.stderr
    assert set(pl.read_csv(out)["change_id"]) == {"c1", "c2", "c3", "c4"}


def test_a_change_is_judged_only_on_what_came_before_it(
    files: dict[str, Path], tmp_path: Path
) -> None:
    later = GOOD + [f"z{i},L4,P2,S1,3.49,0.35,2025-03-0{i}T09:00:00,,USD" for i in range(1, 6)]
    changes = write(tmp_path / "later.csv", changes_text(later))
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert (
        run(
            "check", "--history", files["history"], "--changes", files["changes"], "--out", first
        ).exit_code
        == 0
    )
    assert (
        run("check", "--history", files["history"], "--changes", changes, "--out", second).exit_code
        == 0
    )
    a = pl.read_csv(first).sort("change_id")
    b = pl.read_csv(second).filter(pl.col("change_id").str.starts_with("c")).sort("change_id")
    assert a.equals(b)


def test_evaluate_prints_metrics_and_writes_png_and_json(
    files: dict[str, Path], tmp_path: Path
) -> None:
    labels = write(
        tmp_path / "labels.csv",
        "change_id,is_error,error_type\nc1,1,percent_inverted\nc2,0,none\nc3,0,none\nc4,1,extra_zero\n",
    )
    png, js = tmp_path / "pr.png", tmp_path / "m.json"
    result = run(
        "evaluate",
        "--history",
        files["history"],
        "--changes",
        files["changes"],
        "--labels",
        labels,
        "--png",
        png,
        "--json",
        js,
    )
    assert result.exit_code == 0, result.output
    assert "recall" in result.stdout
    assert png.stat().st_size > 1000
    metrics = json.loads(js.read_text(encoding="utf-8"))
    assert metrics[0]["name"] == "all" and metrics[0]["recall"] == 1.0
    assert metrics[0]["false_hold_rate"] == 0.0


def test_history_observed_after_a_change_is_not_used_for_it(
    files: dict[str, Path], tmp_path: Path
) -> None:
    later = HISTORY + "".join(f"L{n},P2,S{n},37.90,2025-03-01,USD\n" for n in (5, 6, 7, 8, 9))
    history = write(tmp_path / "later_history.csv", later)
    out = tmp_path / "verdicts.csv"
    result = run("check", "--history", history, "--changes", files["changes"], "--out", out)
    assert result.exit_code == 0, result.output
    verdicts = pl.read_csv(out)
    assert verdicts.filter(pl.col("change_id") == "c4")["verdict"][0] == "hold"
