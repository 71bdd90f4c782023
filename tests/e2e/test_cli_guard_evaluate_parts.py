"""``sagwa guard evaluate`` judges the changes file in parts of time, as ``check`` does, and
keeps only small columns of each labelled change, so its memory does not grow with the file
(``bench/guard_cli_memory.py --command evaluate``). What it prints and writes is what the whole
file judged at once gives, whatever the part size, with the labels in another order than the
changes, labels naming no change and changes without a label."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import DEV_SET, history_of, run

from sagwa.adapters import guard_input as gf
from sagwa.cli import guard as guard_cli
from sagwa.priceguard import load_rules
from sagwa.services.guard_batch import run_guard
from sagwa.services.guard_metrics import all_splits, labelled_frame

DATA = DEV_SET


@pytest.fixture(scope="module")
def dev_slice(tmp_path_factory) -> dict[str, Path]:
    """3,000 changes of the dev set, shuffled; their labels in another shuffled order, less
    100 of them, and 20 labels of changes not in the slice."""
    if not (DATA / "changes.csv.gz").exists():
        pytest.skip("dev set not mounted")
    folder = tmp_path_factory.mktemp("evaluate-slice")
    changes = pl.read_csv(DATA / "changes.csv.gz", infer_schema=False)
    ordered = changes.sort("proposed_at")
    ordered.head(3_000).sample(fraction=1.0, shuffle=True, seed=3) \
        .write_csv(folder / "changes.csv")
    labels = pl.read_csv(DATA / "labels.csv.gz", infer_schema=False)
    kept = ordered.head(3_000)["change_id"].sample(2_900, seed=5)
    others = ordered.tail(20)["change_id"]
    labels.filter(pl.col("change_id").is_in(pl.concat([kept, others]).implode())) \
        .sample(fraction=1.0, shuffle=True, seed=4).write_csv(folder / "labels.csv")
    return {"history": history_of(ordered.head(3_000), folder), "changes": folder / "changes.csv",
            "labels": folder / "labels.csv"}


def _evaluate(files: dict[str, Path], json_out: Path, *extra: str):
    return run("evaluate", "--history", files["history"], "--changes", files["changes"],
               "--labels", files["labels"], "--json", json_out, *extra)


def test_the_metrics_do_not_depend_on_the_part_size(dev_slice, tmp_path) -> None:
    history = gf.read_table(dev_slice["history"], gf.HISTORY_COLUMNS).frame
    changes = gf.read_table(dev_slice["changes"], gf.CHANGE_COLUMNS).frame
    labels = gf.read_table(dev_slice["labels"], gf.LABEL_COLUMNS).frame
    whole = run_guard(history=history, changes=changes, rules=load_rules())
    splits = all_splits(labelled_frame(judged=whole.verdicts, changes=changes, labels=labels))
    expected = guard_cli.format_metrics_json(splits)
    assert splits[0].errors > 100 and splits[0].changes == 2_900
    shown = None
    for part_rows in (200_000, 700, 97):
        out = tmp_path / f"metrics-{part_rows}.json"
        result = _evaluate(dev_slice, out, "--part-rows", str(part_rows))
        assert result.exit_code == 0, result.output
        assert out.read_text() == expected, part_rows
        said = (result.stdout.replace(str(out), "OUT"), result.stderr)
        assert "100 of 3000 changes" in said[1] and "20 of 2920 labels" in said[1]
        assert said == (shown or said), part_rows
        shown = said


def test_blind_chunks_still_judge_the_file_in_one_part(dev_slice, tmp_path) -> None:
    """--blind-chunks counts its chunks from the first change: the part size does not apply
    (as in ``check``), so the metrics are those of the whole file judged blind."""
    one, many = tmp_path / "one.json", tmp_path / "many.json"
    assert _evaluate(dev_slice, one, "--blind-chunks", "--chunk-rows", "500").exit_code == 0
    assert _evaluate(dev_slice, many, "--blind-chunks", "--chunk-rows", "500",
                     "--part-rows", "97").exit_code == 0
    assert one.read_text() == many.read_text()


@pytest.mark.parametrize("command", ["check", "evaluate"])
def test_the_notes_name_the_first_changes_of_the_file_whatever_the_part_size(
        dev_slice, tmp_path, command) -> None:
    """The parts are in time order, the file is not: a note names the changes first in the
    file (as a run judged whole does), not the first of the earliest part."""
    products = tmp_path / "products.csv"
    pl.read_csv(dev_slice["changes"], infer_schema=False).select("product_id").unique() \
        .sort("product_id").head(300).with_columns(list_price=pl.lit("1000"),
                                                   currency=pl.lit("EUR"), category=pl.lit("")) \
        .write_csv(products)
    said = []
    for part_rows in ("200000", "700"):
        args = ["--history", dev_slice["history"], "--changes", dev_slice["changes"],
                "--products", products, "--part-rows", part_rows]
        result = (run("check", *args, "--out", tmp_path / "verdicts.csv") if command == "check"
                  else run("evaluate", *args, "--labels", dev_slice["labels"]))
        assert result.exit_code == 0, result.output
        said.append([line for line in result.stderr.splitlines() if "another currency" in line])
    assert said[0] and "and " in said[0][0]  # ten named, the rest counted
    assert said[1] == said[0]
