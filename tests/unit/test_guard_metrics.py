"""``sagwa guard evaluate``'s numbers on a hand-made set whose answers are counted by hand:
recall, false holds on all legitimate changes and on declared promotions only, ≥5× recall, per
error type, type accuracy, the tune/held-out split, and the PR curve. (An audit computed the
promotion rate on the wrong rows, and forced every per-type recall to 1.0: no test failed.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from sagwa.services.guard_metrics import (
    all_splits,
    labelled_frame,
    pr_curve,
    recall_at_false_hold,
    split_metrics,
)

T0 = datetime(2026, 1, 5, tzinfo=UTC)
#: change id: (week, old, new, promotion %, verdict, score, guard's type, label type or None)
ROWS = {
    "e1": (0, 1000, 100, None, "hold", 0.9, "decimal_slip", "decimal_slip"),  # 10x, held
    "e2": (0, 1000, 10_000, None, "hold", 0.8, "pack_size", "extra_zero"),  # held, misnamed
    "e3": (1, 1000, 1090, None, "allow", 0.3, "none", "digit_typo"),  # missed
    "e4": (9, 1000, 150, 20, "hold", 0.7, "percent_inverted", "percent_inverted"),  # 6.7x
    "e5": (9, 1000, 1900, None, "allow", 0.2, "none", "digit_typo"),  # missed
    "l1": (0, 1000, 900, 10, "hold", 0.6, "digit_typo", None),  # false hold, promotion
    "l2": (0, 1000, 500, 50, "allow", 0.1, "none", None),  # promotion, allowed
    "l3": (1, 1000, 1100, None, "hold", 0.55, "digit_typo", None),  # false hold
    "l4": (9, 1000, 950, None, "allow", 0.05, "none", None),
    "l5": (9, 1000, 700, 30, "allow", 0.15, "none", None),  # promotion, allowed
    "l6": (9, 1000, 1200, None, "allow", 0.25, "none", None),
}


def _frame() -> pl.DataFrame:
    ids = list(ROWS)
    col = {name: [ROWS[i][k] for i in ids] for k, name in enumerate(
        ("week", "old", "new", "pct", "verdict", "score", "type", "label"))}
    changes = pl.DataFrame({
        "change_id": ids,
        "proposed_at": [T0 + timedelta(weeks=w) for w in col["week"]],
        "old_price_minor": col["old"], "new_price_minor": col["new"],
        "promotion_pct": pl.Series(col["pct"], dtype=pl.Float64)})
    judged = pl.DataFrame({"change_id": ids, "verdict": col["verdict"], "score": col["score"],
                           "error_type": col["type"]})
    labels = pl.DataFrame({"change_id": ids,
                           "is_error": [0 if t is None else 1 for t in col["label"]],
                           "error_type": [t or "none" for t in col["label"]]})
    return labelled_frame(judged=judged, changes=changes, labels=labels, tune_weeks=8)


def test_the_metrics_of_all_changes() -> None:
    m = split_metrics(_frame(), "all")
    assert (m.changes, m.errors) == (11, 5)
    assert m.recall == pytest.approx(3 / 5)  # e1, e2, e4
    assert m.false_hold_rate == pytest.approx(2 / 6)  # l1, l3
    assert m.false_hold_rate_promotions == pytest.approx(1 / 3)  # l1 of l1, l2, l5
    assert m.recall_5x == pytest.approx(1.0)  # e1 (10x), e2 (10x), e4 (6.7x)
    assert m.per_type_recall == pytest.approx({"decimal_slip": 1.0, "digit_typo": 0.0,
                                               "extra_zero": 1.0, "percent_inverted": 1.0})
    assert m.per_type_count == {"decimal_slip": 1, "digit_typo": 2, "extra_zero": 1,
                                "percent_inverted": 1}
    assert m.type_accuracy == pytest.approx(2 / 3)  # e2 held as a pack size


def test_the_tune_and_held_out_weeks() -> None:
    every, tune, held_out = all_splits(_frame())
    assert (every.changes, tune.changes, held_out.changes) == (11, 6, 5)
    assert (tune.recall, tune.false_hold_rate) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert tune.false_hold_rate_promotions == pytest.approx(1 / 2)
    assert (held_out.recall, held_out.false_hold_rate) == (pytest.approx(1 / 2), 0.0)
    assert held_out.per_type_recall == {"digit_typo": 0.0, "percent_inverted": 1.0}


def test_the_pr_curve_and_recall_at_a_false_hold_budget() -> None:
    f = _frame()
    score, is_error = f["score"].to_numpy(), f["is_error"].to_numpy()
    precision, recall, fhr = pr_curve(score, is_error)
    # thresholds 0.9, 0.8, 0.7, 0.6, 0.55, ...: three errors first, then two false holds
    assert recall[:5] == pytest.approx([1 / 5, 2 / 5, 3 / 5, 3 / 5, 3 / 5])
    assert fhr[:5] == pytest.approx([0, 0, 0, 1 / 6, 2 / 6])
    assert precision[:5] == pytest.approx([1, 1, 1, 3 / 4, 3 / 5])
    assert recall[-1] == 1.0 and fhr[-1] == 1.0
    assert recall_at_false_hold(score, is_error, 0.0) == pytest.approx(3 / 5)
    assert recall_at_false_hold(score, is_error, 0.4) == pytest.approx(4 / 5)  # to e3 at 0.3
    assert recall_at_false_hold(score, is_error, 0.5) == pytest.approx(1.0)  # to e5, l6 held
    tied = np.array([0.5, 0.5, 0.1])  # one threshold for tied scores
    assert len(pr_curve(tied, np.array([1, 0, 1]))[1]) == 2
