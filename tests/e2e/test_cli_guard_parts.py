"""``sagwa guard check`` reads the changes file in blocks and judges it in parts of time, so its
memory does not grow with the file (``bench/guard_cli_memory.py``). The verdicts are the bytes
a run over the whole file writes, whatever the part size, in CSV and JSON; a run that fails
part-way leaves no partial file and an earlier one untouched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from guard_cli_files import DEV_SET, changes_text, history_of, run, write

from sagwa.adapters import guard_input as gf
from sagwa.adapters import guard_output
from sagwa.cli import guard as guard_cli
from sagwa.priceguard import load_rules
from sagwa.services.guard_batch import run_guard

DATA = DEV_SET


@pytest.fixture(scope="module")
def dev_slice(tmp_path_factory) -> dict[str, Path]:
    """3,000 changes of the dev set, shuffled (the file order is not the time order)."""
    if not (DATA / "changes.csv.gz").exists():
        pytest.skip("dev set not mounted")
    folder = tmp_path_factory.mktemp("slice")
    changes = pl.read_csv(DATA / "changes.csv.gz", infer_schema=False)
    first = changes.sort("proposed_at").head(3_000)
    first.sample(fraction=1.0, shuffle=True, seed=3).write_csv(folder / "changes.csv")
    return {"history": history_of(first, folder), "changes": folder / "changes.csv"}


@pytest.mark.parametrize(("output_format", "sizes"), [("csv", (200_000, 700, 97)),
                                                      ("json", (97,))])
def test_the_verdicts_do_not_depend_on_the_part_size(dev_slice, tmp_path, output_format,
                                                     sizes) -> None:
    history = gf.read_table(dev_slice["history"], gf.HISTORY_COLUMNS).frame
    changes = gf.read_table(dev_slice["changes"], gf.CHANGE_COLUMNS).frame
    whole = run_guard(history=history, changes=changes, rules=load_rules())
    expected = tmp_path / f"whole.{output_format}"
    guard_output.write_verdicts(whole.verdicts, expected, output_format)
    assert (whole.verdicts["verdict"] == "hold").sum() > 50
    for part_rows in sizes:
        out = tmp_path / f"parts-{part_rows}.{output_format}"
        result = run("check", "--history", dev_slice["history"], "--changes",
                     dev_slice["changes"], "--out", out, "--format", output_format,
                     "--part-rows", str(part_rows))
        assert result.exit_code == 0, result.output
        assert out.read_bytes() == expected.read_bytes(), part_rows


def test_the_cli_default_part_size_is_the_adapters() -> None:
    from sagwa.adapters.guard_changes_file import PART_ROWS

    assert guard_cli.PART_ROWS == PART_ROWS


def test_a_run_that_fails_part_way_leaves_the_earlier_file_and_no_temporary(
        tmp_path, monkeypatch) -> None:
    out = write(tmp_path / "verdicts.csv", "earlier\n")
    history = write(tmp_path / "h.csv", "listing_id,product_id,seller_id,price,observed_at,"
                    "currency\nL1,P1,S1,10.00,2026-01-01T00:00:00,USD\n")
    rows = [f"c{k},L1,P1,S1,10.00,9.{k}0,2026-01-02T00:0{k}:00,,USD" for k in range(6)]
    changes = write(tmp_path / "c.csv", changes_text(rows))
    from sagwa.services import guard_batch

    judge = guard_batch.GuardStream.judge
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk gone")
        return judge(self, *args, **kwargs)

    monkeypatch.setattr(guard_batch.GuardStream, "judge", failing)
    result = run("check", "--history", history, "--changes", changes, "--out", out,
                 "--part-rows", "2")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "disk gone; set TMPDIR to a directory with room (nothing written)"), result.stderr
    assert out.read_text() == "earlier\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert len(calls) == 3  # two parts were written before the failure


def test_blind_chunks_are_counted_from_the_first_change_whatever_the_part_size(
        dev_slice, tmp_path) -> None:
    """With --blind-chunks the verdicts depend on --chunk-rows, so they may not also depend on
    where a part ends: the changes are judged in one part."""
    history = gf.read_table(dev_slice["history"], gf.HISTORY_COLUMNS).frame
    changes = gf.read_table(dev_slice["changes"], gf.CHANGE_COLUMNS).frame
    whole = run_guard(history=history, changes=changes, rules=load_rules(), chunk_rows=500,
                      blind_chunks=True)
    expected = tmp_path / "whole.csv"
    guard_output.write_verdicts(whole.verdicts, expected, "csv")
    out = tmp_path / "blind.csv"
    result = run("check", "--history", dev_slice["history"], "--changes", dev_slice["changes"],
                 "--out", out, "--blind-chunks", "--chunk-rows", "500", "--part-rows", "700")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == expected.read_bytes()


def test_sigterm_removes_the_scratch_and_the_unfinished_output(tmp_path) -> None:
    """A run stopped with SIGTERM (kill, a scheduler) leaves the earlier output as it was, and
    no scratch directory or temporary file behind."""
    rng = np.random.default_rng(1)
    n = 60_000
    listing = rng.integers(0, 500, n)
    pl.DataFrame({
        "listing_id": [f"L{i}" for i in range(500)], "product_id": [f"P{i % 50}" for i in range(500)],
        "seller_id": [f"S{i}" for i in range(500)], "price": ["10.00"] * 500,
        "observed_at": ["2026-01-01T00:00:00"] * 500, "currency": ["USD"] * 500,
    }).write_csv(tmp_path / "h.csv")
    pl.DataFrame({
        "change_id": [f"c{k}" for k in range(n)], "listing_id": [f"L{i}" for i in listing],
        "product_id": [f"P{i % 50}" for i in listing], "seller_id": [f"S{i}" for i in listing],
        "old_price": ["10.00"] * n, "new_price": ["9.50"] * n,
        "proposed_at": [f"2026-01-02T{k // 3600 % 24:02d}:{k // 60 % 60:02d}:{k % 60:02d}"
                        for k in range(n)],
        "promotion_pct": [None] * n, "currency": ["USD"] * n,
    }).write_csv(tmp_path / "c.csv")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (tmp_path / "out").mkdir()
    out = write(tmp_path / "out" / "verdicts.csv", "earlier\n")
    sagwa = Path(sys.executable).parent / "sagwa"
    proc = subprocess.Popen([str(sagwa), "guard", "check", "--history", str(tmp_path / "h.csv"),
                             "--changes", str(tmp_path / "c.csv"), "--out", str(out),
                             "--part-rows", "20"],
                            env={**os.environ, "TMPDIR": str(scratch)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "out").glob(".*.tmp")):  # judging: the output is being written
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the run ended or took too long: {proc.communicate()}")
        time.sleep(0.05)
    assert list(scratch.iterdir())
    proc.send_signal(signal.SIGTERM)
    said = proc.communicate(timeout=60)
    assert proc.returncode == 143, said
    assert out.read_text() == "earlier\n"
    assert list(scratch.iterdir()) == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["verdicts.csv"]
