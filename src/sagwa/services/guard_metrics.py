"""How good is a guard? Recall, false-hold rate and a PR curve against labelled changes.

Shared by ``sagwa guard evaluate`` and the benchmark's baselines, so every method is measured
with the same code. The changes are split by time: the first ``tune_weeks`` weeks (used to set
thresholds) and the weeks after them (held out).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

FIVE_X = float(np.log(5.0))
TUNE_WEEKS = 7


@dataclass(frozen=True)
class SplitMetrics:
    """Metrics for one slice of changes."""

    name: str
    changes: int
    errors: int
    recall: float
    false_hold_rate: float
    false_hold_rate_promotions: float
    recall_5x: float
    per_type_recall: dict[str, float] = field(default_factory=dict)
    per_type_count: dict[str, int] = field(default_factory=dict)
    type_accuracy: float = float("nan")

    def as_dict(self) -> dict[str, Any]:
        """The metrics for JSON: a rate that is undefined here (NaN, e.g. the recall of a split
        without errors) becomes ``None`` (JSON ``null``), since JSON has no NaN."""
        return {
            name: (
                {k: _defined(v) for k, v in value.items()}
                if isinstance(value, dict)
                else _defined(value)
            )
            for name, value in asdict(self).items()
        }


def labelled_frame(
    *,
    judged: pl.DataFrame,
    changes: pl.DataFrame,
    labels: pl.DataFrame,
    tune_weeks: int = TUNE_WEEKS,
    first: datetime | None = None,
) -> pl.DataFrame:
    """One row per labelled change: ``hold, score, pred_type, is_error, true_type, mag, promo, split``.

    ``first``: the instant the weeks count from, by default the earliest ``proposed_at`` of
    ``changes`` (given when ``changes`` is a part of a file: the file's earliest)."""
    if first is None:
        first = changes["proposed_at"].min()  # type: ignore[assignment]
    base = changes.select(
        "change_id",
        "proposed_at",
        promo=pl.col("promotion_pct").is_not_null(),
        # how far the price moves, |ln(new/old)|; none for a first price (an old price of 0
        # is no price: it moves from nothing, neither 5x nor less)
        mag=pl.when(pl.col("old_price_minor") > 0).then(
            (pl.col("new_price_minor").cast(pl.Float64) / pl.col("old_price_minor")).log().abs()),
    )
    frame = (
        base.join(judged.select("change_id", "verdict", "score", "error_type"), on="change_id")
        .join(labels.select("change_id", "is_error", true_type="error_type"), on="change_id")
        .with_columns(
            hold=pl.col("verdict") == "hold",
            pred_type=pl.col("error_type"),
            week=((pl.col("proposed_at") - pl.lit(first)).dt.total_days() // 7),
        )
    )
    return frame.with_columns(
        split=pl.when(pl.col("week") < tune_weeks)
        .then(pl.lit("tune"))
        .otherwise(pl.lit("held_out"))
    )


def split_metrics(frame: pl.DataFrame, name: str) -> SplitMetrics:
    """Recall, false holds (all and on declared promotions), ≥5× recall, per error type."""
    err = frame.filter(pl.col("is_error") == 1)
    ok = frame.filter(pl.col("is_error") == 0)
    per = (
        err.group_by("true_type")
        .agg(
            recall=pl.col("hold").mean(),
            n=pl.len(),
            right=(pl.col("pred_type") == pl.col("true_type")).sum(),
        )
        .sort("true_type")  # the same order every run, so results can be diffed
    )
    held = err.filter(pl.col("hold"))
    return SplitMetrics(
        name=name,
        changes=frame.height,
        errors=err.height,
        recall=_mean(err["hold"]),
        false_hold_rate=_mean(ok["hold"]),
        false_hold_rate_promotions=_mean(ok.filter(pl.col("promo"))["hold"]),
        recall_5x=_mean(err.filter(pl.col("mag") >= FIVE_X)["hold"]),
        per_type_recall=dict(zip(per["true_type"].to_list(), per["recall"].to_list(), strict=True)),
        per_type_count=dict(zip(per["true_type"].to_list(), per["n"].to_list(), strict=True)),
        type_accuracy=_mean(held["pred_type"] == held["true_type"]),
    )


def all_splits(frame: pl.DataFrame) -> list[SplitMetrics]:
    return [
        split_metrics(frame, "all"),
        split_metrics(frame.filter(pl.col("split") == "tune"), "tune"),
        split_metrics(frame.filter(pl.col("split") == "held_out"), "held_out"),
    ]


def pr_curve(score: np.ndarray, is_error: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and false-hold rate at every distinct score threshold (descending)."""
    order = np.argsort(-score, kind="stable")
    y = is_error[order].astype(np.int64)
    tp = np.cumsum(y)
    fp = np.cumsum(1 - y)
    last = np.r_[np.flatnonzero(np.diff(score[order])), y.size - 1]
    tp, fp = tp[last], fp[last]
    precision = tp / np.maximum(tp + fp, 1)
    recall = tp / max(int(y.sum()), 1)
    fhr = fp / max(int((1 - y).sum()), 1)
    return precision, recall, fhr


def recall_at_false_hold(score: np.ndarray, is_error: np.ndarray, max_fhr: float) -> float:
    """Best recall any threshold on ``score`` reaches with false-hold rate ≤ ``max_fhr``."""
    _, recall, fhr = pr_curve(score, is_error)
    ok = fhr <= max_fhr
    return float(recall[ok].max()) if ok.any() else 0.0


def _mean(values: pl.Series) -> float:
    return float(values.cast(pl.Float64).mean()) if values.len() else float("nan")  # type: ignore[arg-type]


def _defined(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value
