"""The price-guard development set, read the way every guard benchmark reads it."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sagwa.adapters import guard_files as gf

DEFAULT = "/work/shared/data/guard-dev"


def read_dev_set(data: str | Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """History, changes and labels from ``data`` (the gzip CSVs of ``../shared/data/guard-dev``)."""
    data = Path(data)
    return (
        gf.read_table(data / "history.csv.gz", gf.HISTORY_COLUMNS).frame,
        gf.read_table(data / "changes.csv.gz", gf.CHANGE_COLUMNS).frame,
        gf.read_table(data / "labels.csv.gz", gf.LABEL_COLUMNS).frame,
    )
