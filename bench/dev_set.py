"""The price-guard development set, read the way every guard benchmark reads it."""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from sagwa.adapters import guard_input as gf

DEFAULT = "/work/shared/data/guard-dev"


def read_dev_set(data: str | Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """History, changes and labels from ``data`` (the gzip CSVs of ``../shared/data/guard-dev``)."""
    data = Path(data)
    return (
        gf.read_table(data / "history.csv.gz", gf.HISTORY_COLUMNS).frame,
        gf.read_table(data / "changes.csv.gz", gf.CHANGE_COLUMNS).frame,
        gf.read_table(data / "labels.csv.gz", gf.LABEL_COLUMNS).frame,
    )


def data_and_out(default_out: Path) -> tuple[Path, Path]:
    """``--data`` (a set in the dev set's format: the dev set, or the unseen weeks that
    ``guard_unseen_set.py`` builds) and ``--out`` (where the JSON result goes)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=DEFAULT, type=Path)
    parser.add_argument("--out", default=default_out, type=Path)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    return args.data, args.out
