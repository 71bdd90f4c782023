"""``sagwa guard check`` on a repricer's walk: the batch keeps each listing's streak, in time.

One listing, nobody else selling the product, no list price: the history is a week at $35.54,
then the changes cut 3% at a time. An hour apart the batch holds the step that takes the price
as far from the walk's start as one cut would have to go (named ``repricer_runaway``), as the
proposal path does; four days apart it holds none of them (past the 72-hour gap each cut starts a
streak of its own). Every step sees the steps before it whatever the chunk size
(``--chunk-rows``): a chunk ends before a listing's next change.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from guard_cli_files import changes_text, file_options, input_files, run

from sagwa.priceguard import load_rules

RULES = load_rules()
START = 3_554  # cents
ONE_CUT_LIMIT = RULES.down_ratio ** (RULES.hold_score / (1 - RULES.hold_score))
HISTORY = ("listing_id,product_id,seller_id,price,observed_at,currency\n"
           "L1,P1,S1,35.54,2011-04-01,USD\n")


def _walk(every: timedelta, steps: int = 60) -> list[str]:
    rows, price, at = [], START, datetime(2011, 4, 8, 9, 0)
    for n in range(steps):
        new = round(price * 0.97)
        rows.append(f"c{n:03d},L1,P1,S1,{price / 100:.2f},{new / 100:.2f},"
                    f"{at.isoformat()},,USD")
        price, at = new, at + every
    return rows


def _verdicts(tmp_path: Path, rows: list[str], *extra: str) -> list[dict[str, str]]:
    files = input_files(tmp_path, history=HISTORY, changes=changes_text(rows))
    out = tmp_path / "verdicts.csv"
    result = run("check", *file_options(files, "history", "changes"), "--out", out, *extra)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


CHUNKS = [("--chunk-rows", "1"), ("--chunk-rows", "7"), ()]  # () = the default, 2,000 rows


@pytest.mark.parametrize("chunk", CHUNKS)
def test_an_hourly_walk_is_held_once_past_where_one_cut_would_be(tmp_path, chunk) -> None:
    verdicts = _verdicts(tmp_path, _walk(timedelta(hours=1)), *chunk)
    first = next(i for i, v in enumerate(verdicts) if v["verdict"] == "hold")
    new = round(START * 0.97 ** (first + 1))
    # held on the first step past the limit, whatever the chunk size
    assert ONE_CUT_LIMIT * START * 0.97 <= new < ONE_CUT_LIMIT * START
    assert verdicts[first]["error_type"] == "repricer_runaway"
    assert "$35.54" in verdicts[first]["reason"] and "cuts in a row" in verdicts[first]["reason"]


def test_with_blind_chunks_a_walk_is_seen_only_by_the_first_step_of_each_chunk(tmp_path) -> None:
    """``--blind-chunks`` (the speed of a few products changing all the time): the changes of
    a chunk do not see each other, so the walk is held at the first step past the limit that
    starts a chunk."""
    verdicts = _verdicts(tmp_path, _walk(timedelta(hours=1)), "--chunk-rows", "7",
                         "--blind-chunks")
    first = next(i for i, v in enumerate(verdicts) if v["verdict"] == "hold")
    new = round(START * 0.97 ** (first + 1))
    assert ONE_CUT_LIMIT * START * 0.97 ** 7 <= new < ONE_CUT_LIMIT * START * 0.97
    assert first % 7 == 0
    assert verdicts[first]["error_type"] == "repricer_runaway"


def test_a_walk_with_days_between_its_steps_is_not_held_as_a_streak(tmp_path) -> None:
    verdicts = _verdicts(tmp_path, _walk(timedelta(days=4), steps=60), "--chunk-rows", "1")
    assert round(START * 0.97 ** 60) < ONE_CUT_LIMIT * START * 0.97  # it went past the limit
    assert all(v["error_type"] != "repricer_runaway" for v in verdicts)


@pytest.mark.parametrize(("wait", "held"), [(timedelta(hours=1), True), (timedelta(days=4), False)])
def test_a_cut_days_after_the_walk_stopped_continues_no_streak(tmp_path, wait, held) -> None:
    """Five quick 25% cuts, then a sixth: an hour later it continues the walk and is held;
    four days later the walk has stopped (the 72-hour gap) and the cut is judged on its own."""
    rows, price, at = [], START, datetime(2011, 4, 8, 9, 0)
    for n in range(6):
        new = round(price * 0.75)
        rows.append(f"c{n},L1,P1,S1,{price / 100:.2f},{new / 100:.2f},{at.isoformat()},,USD")
        price, at = new, at + (wait if n == 4 else timedelta(hours=1))
    verdicts = _verdicts(tmp_path, rows, "--chunk-rows", "1")
    assert [v["verdict"] for v in verdicts[:5]] == ["allow"] * 5
    assert (verdicts[5]["verdict"] == "hold") is held, verdicts[5]


@pytest.mark.parametrize("chunk", CHUNKS)
def test_history_observed_between_the_changes_does_not_break_the_walk(tmp_path, chunk) -> None:
    """A crawler also observed each live price half an hour after each change: those history
    rows reach the state in time order with the allowed changes of earlier chunks (they used
    to come after them, read as a move back up that started the streak afresh every chunk)."""
    rows = _walk(timedelta(hours=1))
    history = HISTORY + "".join(
        f"L1,P1,S1,{row.split(',')[5]},"
        f"{(datetime.fromisoformat(row.split(',')[6]) + timedelta(minutes=30)).isoformat()},USD\n"
        for row in rows)
    files = input_files(tmp_path, history=history, changes=changes_text(rows))
    out = tmp_path / "verdicts.csv"
    result = run("check", *file_options(files, "history", "changes"), "--out", out, *chunk)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as f:
        verdicts = list(csv.DictReader(f))
    first = next((i for i, v in enumerate(verdicts) if v["verdict"] == "hold"), None)
    assert first is not None, "never held"
    assert verdicts[first]["error_type"] == "repricer_runaway"
    assert ONE_CUT_LIMIT * START * 0.97 <= round(START * 0.97 ** (first + 1)) < ONE_CUT_LIMIT * START
