"""What the ``sagwa guard`` CLI tests share: the input and output headers, writing an input
file (plain or gzip), running the CLI in-process (on input files it saves first, with
``run_on_inputs``), and the one-line refusal it must give."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
from typer.testing import CliRunner, Result

from sagwa.cli.guard import app

CHANGES_HEADER = (
    "change_id,listing_id,product_id,seller_id,old_price,new_price,proposed_at,"
    "promotion_pct,currency\n"
)
HISTORY_HEADER = "listing_id,product_id,seller_id,price,observed_at,currency\n"
LABELS_HEADER = "change_id,is_error,error_type\n"
VERDICT_HEADER = "change_id,verdict,score,error_type,reason"


def changes_text(rows: list[str]) -> str:
    """A changes file: the header, then ``rows``, one a line."""
    return CHANGES_HEADER + "\n".join(rows) + "\n"


def write(path: Path, text: str, gz: bool = False) -> Path:
    """``text`` saved at ``path`` as UTF-8 (gzip-compressed with ``gz``); the path."""
    if gz:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def input_files(folder: Path, **texts: str) -> dict[str, Path]:
    """Each of ``texts`` saved as ``folder/NAME.csv``: ``{"history": folder/history.csv, ...}``."""
    return {name: write(folder / f"{name}.csv", text) for name, text in texts.items()}


def file_options(files: dict[str, Path], *names: str) -> list[str | Path]:
    """``--NAME PATH`` for each of ``names``, the path from ``files``."""
    return [part for name in names for part in (f"--{name}", files[name])]


def run(*args: str | Path) -> Result:
    """``sagwa guard ARGS...`` in this process."""
    return CliRunner().invoke(app, [str(a) for a in args])


def run_on_inputs(command: str, folder: Path, /, *extra: str | Path, **texts: str) -> Result:
    """``sagwa guard COMMAND --NAME folder/NAME.csv ... EXTRA...``: each of ``texts`` saved as
    by :func:`input_files` and passed in the order given, then ``extra``."""
    return run(command, *file_options(input_files(folder, **texts), *texts), *extra)


def assert_refused(result: Result, *fragments: str) -> None:
    """Exit 2 with one line on stderr that says what was wrong, and no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output


#: The development set of issue 3 (``../shared/data/guard-dev``)
DEV_SET = Path("/work/shared/data/guard-dev")


def history_of(changes: pl.DataFrame, folder: Path) -> Path:
    """The dev set's history of the products of ``changes`` (a fifth of its 640,000 rows: the
    rest is evidence for no change of the slice), in ``folder``."""
    history = pl.read_csv(DEV_SET / "history.csv.gz", infer_schema=False)
    history.filter(pl.col("product_id").is_in(changes["product_id"].unique().implode())) \
        .write_csv(folder / "history.csv")
    return folder / "history.csv"
