"""``sagwa guard evaluate`` over a run judged in parts: the labelled changes gathered part by
part, in columns small enough to keep for every change of a large file.

The metrics need, of each labelled change, only whether it was held, its score, the type the
guard named and the labelled one, how far it moved the price, whether it declared a promotion
and its split (the rows :func:`guard_metrics.labelled_frame` makes). :class:`LabelledChanges`
keeps those and nothing else (no ids, no times, no reasons): the types and the split as
``Enum`` codes, about 20 bytes a change; with the labels it matches the parts against (id,
is_error, type code: about 20 bytes a label) that is the memory that grows with the file,
while each part's changes and evidence are let go. The metrics over the parts are those over
the whole file (each is a count or a share of counts; the curve orders by score).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from sagwa.priceguard.vocabulary import ERROR_TYPES
from sagwa.services.guard_metrics import TUNE_WEEKS, labelled_frame

_SPLITS = pl.Enum(["held_out", "tune"])


class LabelledChanges:
    """The labelled changes of a run, added a judged part at a time (parts in time order: the
    first holds the earliest change, which the weeks of the splits count from)."""

    def __init__(self, labels: pl.DataFrame, *, tune_weeks: int = TUNE_WEEKS) -> None:
        named = set(labels["error_type"].drop_nulls().unique().to_list()) | set(ERROR_TYPES)
        # sorted, so that the codes sort as the names do (the per-type rows are sorted)
        self.types = pl.Enum(sorted(named))
        self.labels = labels.select(
            "change_id", pl.col("is_error").cast(pl.Int8),
            pl.col("error_type").cast(self.types))
        self.tune_weeks = tune_weeks
        self.first: datetime | None = None
        self.parts: list[pl.DataFrame] = []

    def add(self, *, judged: pl.DataFrame, changes: pl.DataFrame) -> None:
        """One part: its changes and their verdicts (``change_id, verdict, score,
        error_type``); its labelled changes are kept, the rest is not counted."""
        if changes.height == 0:
            return
        if self.first is None:
            self.first = changes["proposed_at"].min()  # type: ignore[assignment]
        judged = judged.select("change_id", "verdict", "score", "error_type")
        self._widen(judged["error_type"])
        frame = labelled_frame(judged=judged, changes=changes, labels=self.labels,
                               first=self.first, tune_weeks=self.tune_weeks)
        self.parts.append(frame.select(
            "hold", "score", pl.col("pred_type").cast(self.types), "is_error", "true_type",
            "mag", "promo", pl.col("split").cast(_SPLITS)))

    def _widen(self, named: pl.Series) -> None:
        """Make room for a type the verdicts name that neither the labels nor the guard's
        vocabulary does (verdicts made by other means): the codes kept so far are recast."""
        new = set(named.drop_nulls().unique().to_list()) - set(self.types.categories)
        if not new:
            return
        wider = pl.Enum(sorted(set(self.types.categories) | new))
        self.labels = self.labels.with_columns(pl.col("error_type").cast(pl.Utf8).cast(wider))
        self.parts = [part.with_columns(pl.col("pred_type", "true_type").cast(pl.Utf8)
                                        .cast(wider)) for part in self.parts]
        self.types = wider

    def frame(self) -> pl.DataFrame:
        """Every part's labelled changes: ``hold, score, pred_type, is_error, true_type, mag,
        promo, split``, what :func:`guard_metrics.all_splits` and the curve read."""
        if not self.parts:
            return pl.DataFrame(schema={
                "hold": pl.Boolean, "score": pl.Float64, "pred_type": self.types,
                "is_error": pl.Int8, "true_type": self.types, "mag": pl.Float64,
                "promo": pl.Boolean, "split": _SPLITS})
        return pl.concat(self.parts, rechunk=False)
