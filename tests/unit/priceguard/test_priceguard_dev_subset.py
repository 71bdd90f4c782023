"""A regression check on a slice of the shared dev set: the guard keeps catching most errors.

Runs the streaming batch on the first 4,000 changes (all history); a few seconds. Skipped where
the shared data is not mounted. Full numbers come from ``sagwa guard evaluate``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from sagwa.adapters import guard_input as gf
from sagwa.priceguard import load_rules
from sagwa.services.guard_batch import run_guard
from sagwa.services.guard_metrics import labelled_frame, split_metrics

DATA = Path("/work/shared/data/guard-dev")
pytestmark = pytest.mark.skipif(
    not (DATA / "changes.csv.gz").exists(), reason="dev set not mounted"
)


def test_guard_on_a_dev_slice_holds_errors_and_few_legitimate_changes() -> None:
    history = gf.read_table(DATA / "history.csv.gz", gf.HISTORY_COLUMNS).frame
    changes = gf.read_table(DATA / "changes.csv.gz", gf.CHANGE_COLUMNS).frame
    changes = changes.sort("proposed_at").head(4_000)
    labels = gf.read_table(DATA / "labels.csv.gz", gf.LABEL_COLUMNS).frame
    run = run_guard(history=history, changes=changes, rules=load_rules())
    frame = labelled_frame(judged=run.verdicts, changes=changes, labels=labels)
    metrics = split_metrics(frame, "slice")
    assert metrics.errors > 150
    assert metrics.recall >= 0.9
    assert metrics.false_hold_rate <= 0.008
    assert metrics.recall_5x >= 0.98
    assert list(metrics.per_type_recall) == sorted(metrics.per_type_recall)  # diffable JSON
    held = run.verdicts.filter(pl.col("verdict") == "hold")
    assert held["reason"].str.contains(r"\$\d").all()
