"""``sagwa guard check`` reads the changes file in blocks and judges it in parts of time, so its
memory does not grow with the file (``bench/guard_cli_memory.py``). The verdicts are the bytes
a run over the whole file writes, whatever the part size, in CSV and JSON; a run that fails
part-way leaves no partial file and an earlier one untouched."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import changes_text, run, write

from sagwa.adapters import guard_input as gf
from sagwa.adapters import guard_output
from sagwa.cli import guard as guard_cli
from sagwa.priceguard import load_rules
from sagwa.services.guard_batch import run_guard

DATA = Path("/work/shared/data/guard-dev")


@pytest.fixture(scope="module")
def dev_slice(tmp_path_factory) -> dict[str, Path]:
    """3,000 changes of the dev set, shuffled (the file order is not the time order)."""
    if not (DATA / "changes.csv.gz").exists():
        pytest.skip("dev set not mounted")
    folder = tmp_path_factory.mktemp("slice")
    changes = pl.read_csv(DATA / "changes.csv.gz", infer_schema=False)
    changes.sort("proposed_at").head(3_000).sample(fraction=1.0, shuffle=True, seed=3) \
        .write_csv(folder / "changes.csv")
    return {"history": DATA / "history.csv.gz", "changes": folder / "changes.csv"}


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
