"""``sagwa guard evaluate`` gathers its labelled changes part by part (``LabelledChanges``): the
metrics are those of the whole file, whatever the parts, and what it keeps per change is a few
small columns (no ids, no text)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from sagwa.services.guard_evaluation import LabelledChanges
from sagwa.services.guard_metrics import all_splits, labelled_frame, pr_curve

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
#: change id: (hours after T0, old, new, promotion %, verdict, score, guard's type, label)
ROWS = {
    "e1": (0, 1000, 100, None, "hold", 0.9, "decimal_slip", "decimal_slip"),
    "e2": (5, 1000, 10_000, None, "hold", 0.8, "pack_size", "extra_zero"),  # a type of its own
    "e3": (30, 1000, 1090, None, "allow", 0.3, "none", "digit_typo"),
    "e4": (1600, 1000, 150, 20, "hold", 0.7, "percent_inverted", "percent_inverted"),
    "e5": (1700, 0, 1900, None, "allow", 0.3, "none", "shipping_fee_typo"),  # first price
    "l1": (1, 1000, 900, 10, "hold", 0.6, "digit_typo", None),
    "l2": (2, 1000, 500, 50, "allow", 0.1, "none", None),
    "l3": (40, 1000, 1100, None, "hold", 0.55, "digit_typo", None),
    "l4": (1500, 1000, 950, None, "allow", 0.05, "none", None),
    "l5": (1650, 1000, 700, 30, "allow", 0.15, "none", None),
    "u1": (1651, 1000, 990, None, "allow", 0.3, "none", None),  # no label
}


def _inputs() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Changes and verdicts in time order; labels in another order, one naming no change."""
    ids = sorted(ROWS, key=lambda i: ROWS[i][0])
    col = {name: [ROWS[i][k] for i in ids] for k, name in enumerate(
        ("hours", "old", "new", "pct", "verdict", "score", "type", "label"))}
    changes = pl.DataFrame({
        "change_id": ids,
        "proposed_at": [T0 + timedelta(hours=h) for h in col["hours"]],
        "old_price_minor": col["old"], "new_price_minor": col["new"],
        "promotion_pct": pl.Series(col["pct"], dtype=pl.Float64)})
    judged = pl.DataFrame({"change_id": ids, "verdict": col["verdict"], "score": col["score"],
                           "error_type": col["type"]})
    named = [i for i in reversed(ids) if i != "u1"] + ["gone"]
    labels = pl.DataFrame({
        "change_id": named,
        "is_error": [1 if i == "gone" or ROWS[i][7] else 0 for i in named],
        "error_type": ["penny" if i == "gone" else ROWS[i][7] or "none" for i in named]})
    return changes, judged, labels


@pytest.mark.parametrize("cuts", [(), (3,), (1, 2, 6, 9), tuple(range(1, 11))])
def test_the_metrics_of_the_parts_are_those_of_the_whole(cuts: tuple[int, ...]) -> None:
    changes, judged, labels = _inputs()
    whole = labelled_frame(judged=judged, changes=changes, labels=labels, tune_weeks=2)
    gathered = LabelledChanges(labels, tune_weeks=2)
    bounds = [0, *cuts, changes.height]
    for start, end in itertools.pairwise(bounds):
        gathered.add(judged=judged[start:end], changes=changes[start:end])
    frame = gathered.frame()
    assert [s.as_dict() for s in all_splits(frame)] == [s.as_dict() for s in all_splits(whole)]
    assert frame.height == 10  # u1 has no label; "gone" names no change
    ours = pr_curve(frame["score"].to_numpy(), frame["is_error"].to_numpy())
    theirs = pr_curve(whole["score"].to_numpy(), whole["is_error"].to_numpy())
    for a, b in zip(ours, theirs, strict=True):
        assert a.tolist() == b.tolist()


def test_what_is_kept_per_change_is_small_columns() -> None:
    changes, judged, labels = _inputs()
    gathered = LabelledChanges(labels)
    gathered.add(judged=judged, changes=changes)
    frame = gathered.frame()
    assert frame.columns == ["hold", "score", "pred_type", "is_error", "true_type", "mag",
                             "promo", "split"]
    # the types and the split as one-byte codes, not text
    assert all(dtype in (pl.Boolean, pl.Float64, pl.Int8) or isinstance(dtype, pl.Enum)
               for dtype in frame.dtypes), frame.schema
    assert all(frame[c].to_physical().dtype == pl.UInt8 for c in ("pred_type", "true_type"))
    assert sorted(frame["split"].unique().to_list()) == ["held_out", "tune"]


def test_no_labelled_change_gives_an_empty_frame_of_the_same_columns() -> None:
    changes, judged, labels = _inputs()
    gathered = LabelledChanges(labels.filter(pl.col("change_id") == "gone"))
    gathered.add(judged=judged, changes=changes)
    assert gathered.frame().height == 0
    assert LabelledChanges(labels).frame().columns == gathered.frame().columns
