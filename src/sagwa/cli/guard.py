"""``sagwa guard``: check price changes from files, and evaluate the guard against labels.

Thin commands: parse options, read files (``adapters.guard_files``), call the batch service
(``services.guard_batch``), format and print. Exit status 2 means malformed input rows.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    import polars as pl

    from sagwa.services.guard_metrics import SplitMetrics

app = typer.Typer(
    help="Price guard: hold pricing errors before they go live.", no_args_is_help=True
)

HistoryOpt = Annotated[Path, typer.Option("--history", help="history CSV or CSV.gz")]
ChangesOpt = Annotated[Path, typer.Option("--changes", help="changes CSV or CSV.gz")]
ProductsOpt = Annotated[
    Path | None, typer.Option("--products", help="products CSV (list price, category)")
]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="rules TOML (default: packaged rules)")
]
SkipOpt = Annotated[
    bool, typer.Option("--skip-bad-rows", help="report malformed rows and skip them")
]
ChunkOpt = Annotated[
    int, typer.Option("--chunk-rows", min=1, help="changes judged per streaming step")
]
BAD_ROWS_SHOWN = 50


def format_bad_rows(
    file: str, rows: list[tuple[int, str]], limit: int = BAD_ROWS_SHOWN
) -> list[str]:
    """``changes.csv line 7: new_price is not a price`` lines, at most ``limit`` plus a count."""
    lines = [f"{file} line {line}: {problem}" for line, problem in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"{file}: {len(rows) - limit} more malformed rows")
    return lines


def _read_inputs(
    history: Path,
    changes: Path,
    products: Path | None,
    skip_bad_rows: bool,
    labels: Path | None = None,
) -> dict[str, pl.DataFrame]:
    from sagwa.adapters import guard_files as gf

    wanted = {"history": (history, gf.HISTORY_COLUMNS), "changes": (changes, gf.CHANGE_COLUMNS)}
    if products is not None:
        wanted["products"] = (products, gf.PRODUCT_COLUMNS)
    if labels is not None:
        wanted["labels"] = (labels, gf.LABEL_COLUMNS)
    frames: dict[str, pl.DataFrame] = {}
    problems: list[str] = []
    for key, (path, columns) in wanted.items():
        result = gf.read_table(path, columns)
        frames[key] = result.frame
        problems += format_bad_rows(path.name, result.bad_rows)
    if problems:
        for line in problems:
            typer.echo(line, err=True)
        if not skip_bad_rows:
            typer.echo(
                "malformed rows found; nothing written (use --skip-bad-rows to skip them)", err=True
            )
            raise typer.Exit(code=2)
        typer.echo(f"skipped {len(problems)} malformed row report(s)", err=True)
    return frames


def _run(frames: dict[str, pl.DataFrame], rules_path: Path | None, chunk_rows: int) -> Any:
    from rich.progress import Progress

    from sagwa.priceguard import load_rules
    from sagwa.services.guard_batch import run_guard

    rules = load_rules(rules_path)
    show = sys.stderr.isatty() and frames["changes"].height > 100_000
    with Progress(disable=not show, transient=True) as progress:
        task = progress.add_task("checking price changes", total=frames["changes"].height)
        return run_guard(
            history=frames["history"],
            changes=frames["changes"],
            products=frames.get("products"),
            rules=rules,
            chunk_rows=chunk_rows,
            progress=lambda done, total: progress.update(task, completed=done),
        )


@app.command("check")
def check(
    history: HistoryOpt,
    changes: ChangesOpt,
    out: Annotated[Path, typer.Option("--out", help="where to write verdicts")],
    products: ProductsOpt = None,
    output_format: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    skip_bad_rows: SkipOpt = False,
    rules: RulesOpt = None,
    chunk_rows: ChunkOpt = 2_000,
) -> None:
    """Judge every change: change_id, verdict (allow/hold), score, error_type, reason."""
    if output_format not in ("csv", "json"):
        raise typer.BadParameter("use csv or json", param_hint="--format")
    frames = _read_inputs(history, changes, products, skip_bad_rows)
    run = _run(frames, rules, chunk_rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    if output_format == "csv":
        run.verdicts.write_csv(out)
    else:
        out.write_text(json.dumps(run.verdicts.to_dicts(), ensure_ascii=False), encoding="utf-8")
    held = int((run.verdicts["verdict"] == "hold").sum())
    typer.echo(f"{run.verdicts.height} changes checked, {held} held -> {out}")


def format_metrics_rows(splits: list[SplitMetrics]) -> list[list[str]]:
    """Rows for the summary table: split, changes, errors, recall, false holds, promo, ≥5×."""
    return [
        [
            s.name,
            f"{s.changes:,}",
            f"{s.errors:,}",
            f"{s.recall:.4f}",
            f"{s.false_hold_rate:.4%}",
            f"{s.false_hold_rate_promotions:.4%}",
            f"{s.recall_5x:.4f}",
            f"{s.type_accuracy:.3f}",
        ]
        for s in splits
    ]


@app.command("evaluate")
def evaluate(
    history: HistoryOpt,
    changes: ChangesOpt,
    labels: Annotated[
        Path, typer.Option("--labels", help="labels CSV: change_id,is_error,error_type")
    ],
    products: ProductsOpt = None,
    png: Annotated[Path | None, typer.Option("--png", help="write a PR curve here")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write metrics JSON here")] = None,
    skip_bad_rows: SkipOpt = False,
    rules: RulesOpt = None,
    chunk_rows: ChunkOpt = 2_000,
) -> None:
    """Recall, false-hold rate (all and declared promotions), ≥5× recall, per error type."""
    from rich.console import Console
    from rich.table import Table

    from sagwa.services.guard_metrics import all_splits, labelled_frame

    frames = _read_inputs(history, changes, products, skip_bad_rows, labels=labels)
    run = _run(frames, rules, chunk_rows)
    frame = labelled_frame(judged=run.verdicts, changes=frames["changes"], labels=frames["labels"])
    splits = all_splits(frame)
    console = Console()
    table = Table(title="price guard")
    for col in (
        "split",
        "changes",
        "errors",
        "recall",
        "false holds",
        "false holds (promo)",
        "recall ≥5×",
        "type acc.",
    ):
        table.add_column(col, no_wrap=col == "split")
    for row in format_metrics_rows(splits):
        table.add_row(*row)
    console.print(table)
    per = Table(title="recall per error type (all / tune / held-out)")
    for col in ("error_type", "n", "all", "tune", "held_out"):
        per.add_column(col)
    for name in sorted(splits[0].per_type_recall):
        per.add_row(
            name,
            str(splits[0].per_type_count[name]),
            *(f"{s.per_type_recall.get(name, float('nan')):.3f}" for s in splits),
        )
    console.print(per)
    if png is not None:
        _plot_pr(frame, png)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps([asdict(s) for s in splits], indent=2), encoding="utf-8")


def _plot_pr(frame: pl.DataFrame, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sagwa.services.guard_metrics import pr_curve

    precision, recall, _ = pr_curve(frame["score"].to_numpy(), frame["is_error"].to_numpy())
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(recall, precision)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title("price guard: precision-recall")
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=100, bbox_inches="tight")
    plt.close(fig)
