"""``sagwa guard``: check price changes from files, and evaluate the guard against labels.

Thin commands: parse options, read files (``adapters.guard_input``), call the batch service
(``services.guard_batch``), format and print. Exit status 2 means bad input or usage: malformed
rows (listed with their line numbers, and how such values are written; with --skip-bad-rows, a
file none of whose rows could be read), a file that cannot be read or written, or an output path
that is also an input or another output (one line naming it). Either way nothing is written,
and an earlier output file is left as it was.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from sagwa.cli import guard_help
from sagwa.errors import InvalidInput, SagwaError

if TYPE_CHECKING:
    import polars as pl

    from sagwa.adapters.guard_changes_file import StagedChanges
    from sagwa.adapters.guard_input import ReadResult
    from sagwa.priceguard import PriceRules
    from sagwa.services.guard_batch import GuardStream
    from sagwa.services.guard_evidence_gaps import CurrencyGaps, IdSample
    from sagwa.services.guard_metrics import SplitMetrics

app = typer.Typer(
    help="Price guard: hold pricing errors before they go live.", no_args_is_help=True,
    rich_markup_mode="markdown",  # as the sagwa command renders it
)

_TIMES = (
    "; timestamps ISO 8601, with a UTC offset (+09:00, Z) or without one (taken as UTC), "
    "not both in one file"
)
HistoryOpt = Annotated[Path, typer.Option("--history", help="history CSV or CSV.gz" + _TIMES)]
ChangesOpt = Annotated[Path, typer.Option("--changes", help="changes CSV or CSV.gz" + _TIMES)]
ProductsOpt = Annotated[
    Path | None, typer.Option("--products", help="products CSV (list price, category)")
]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help=(
        "rules TOML changing the packaged rules key by key (what it leaves out keeps its "
        "packaged value)"))
]
SkipOpt = Annotated[
    bool, typer.Option("--skip-bad-rows", help=(
        "report malformed rows and skip them, instead of stopping with exit status 2 (a file "
        "none of whose rows can be read still stops the run)"))
]
#: The chunk size measured in docs/benchmarks.md (services.guard_batch.DEFAULT_CHUNK_ROWS).
DEFAULT_CHUNK_ROWS = 2_000
ChunkOpt = Annotated[
    int,
    typer.Option(
        "--chunk-rows",
        min=1,
        help=(
            "most changes judged per streaming step, 1 or more. A step also ends before a "
            "change whose listing or product changed (or was observed) since it began, so "
            "every change sees what went live before it and the verdicts do not depend on "
            "this (unless --blind-chunks); the default is the size measured in "
            "docs/benchmarks.md"
        ),
    ),
]
BlindOpt = Annotated[
    bool,
    typer.Option(
        "--blind-chunks",
        help=(
            "judge each chunk of --chunk-rows changes at once on what went live before it, so "
            "the changes of one chunk do not see each other: faster when a few products "
            "change all the time (each of their changes otherwise ends a step), but a change "
            "may miss an earlier one of its own chunk and the verdicts depend on --chunk-rows "
            "(the run then holds every change in memory at once)"
        ),
    ),
]
#: The most changes judged at once (services.guard_batch.GuardStream): what bounds the memory.
PART_ROWS = 200_000
PartOpt = Annotated[
    int,
    typer.Option(
        "--part-rows", min=1, hidden=True,
        help=("most changes held and judged at once (the file is read in blocks and judged in "
              "parts of time; the verdicts do not depend on this)"),
    ),
]
BAD_ROWS_SHOWN = 50
#: A run over more changes than this shows a progress bar (on stderr, when it is a terminal).
PROGRESS_FROM_ROWS = 100_000
BAD_INPUT = 2
UNDEFINED = "—"

P = ParamSpec("P")
R = TypeVar("R")


def exits_on_bad_input(func: Callable[P, R]) -> Callable[P, R]:
    """The one place guard errors become output: one line on stderr, exit 2 for bad input."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except SagwaError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            raise typer.Exit(BAD_INPUT if isinstance(exc, InvalidInput) else 1) from None

    return wrapper


def format_bad_rows(
    file: str, rows: list[tuple[int, str]], limit: int = BAD_ROWS_SHOWN
) -> list[str]:
    """``changes.csv line 7: new_price is not a price`` lines, at most ``limit`` plus a count."""
    lines = [f"{file} line {line}: {problem}" for line, problem in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"{file}: {len(rows) - limit} more malformed rows")
    return lines


def format_skipped(count: int) -> str:
    return f"skipped {count} malformed row{'' if count == 1 else 's'}"


def _read_inputs(
    history: Path,
    changes: Path,
    products: Path | None,
    skip_bad_rows: bool,
    labels: Path | None = None,
    staged: Callable[[], tuple[list[tuple[int, str]], int]] | None = None,
) -> dict[str, pl.DataFrame]:
    """Read and validate the files, then say what was malformed (and stop, unless skipping;
    a file with rows none of which could be read stops the run even then).

    ``staged``: the changes file is not read here but by this call, which answers its bad rows
    and how many good ones it has (``check`` reads it in blocks; it has no frame here)."""
    from sagwa.adapters import guard_input as gf

    wanted = {"history": (history, gf.HISTORY_COLUMNS), "changes": (changes, gf.CHANGE_COLUMNS)}
    if products is not None:
        wanted["products"] = (products, gf.PRODUCT_COLUMNS)
    if labels is not None:
        wanted["labels"] = (labels, gf.LABEL_COLUMNS)
    for key, (path, _) in wanted.items():
        _as_option(key, gf.check_readable, path)
    frames: dict[str, pl.DataFrame] = {}
    bad_rows: dict[str, list[tuple[int, str]]] = {}
    unreadable: list[str] = []
    for key, (path, columns) in wanted.items():
        if key == "changes" and staged is not None:
            bad_rows[key], good = _as_option(key, staged)
        else:
            result = _as_option(key, _read_table(key), path, columns)
            frames[key], bad_rows[key], good = result.frame, result.bad_rows, result.frame.height
        if bad_rows[key] and not good:
            n = len(bad_rows[key])
            unreadable.append(f"--{key}: no row of {path} could be read ({n:,} malformed "
                              f"row{'' if n == 1 else 's'}); nothing written")
    _report_bad_rows({key: path for key, (path, _) in wanted.items()}, bad_rows, unreadable,
                     skip_bad_rows)
    return frames


def _read_table(key: str) -> Callable[[Path, tuple[str, ...]], ReadResult]:
    """How the ``key`` file is read: whole, or (labels, as long as the changes) a block at a
    time (the same rows, bad rows and refusals)."""
    from sagwa.adapters import guard_input, guard_input_blocks

    if key != "labels":
        return guard_input.read_table
    return functools.partial(guard_input_blocks.read_table_in_blocks,
                             block_bytes=guard_input_blocks.LABEL_BLOCK_BYTES)


def _report_bad_rows(paths: dict[str, Path], bad_rows: dict[str, list[tuple[int, str]]],
                     unreadable: list[str], skip_bad_rows: bool) -> None:
    """Say what was malformed and how such values are written, then stop (exit status 2) or
    say how many rows were skipped."""
    from sagwa.adapters.guard_row_checks import expected_forms

    bad = sum(len(rows) for rows in bad_rows.values())
    if not bad:
        return
    stops = bool(unreadable) or not skip_bad_rows
    for key, rows in bad_rows.items():
        # every row skipped is listed (a tool can tell which changes got no verdict); a
        # refusal lists the first ones
        shown = BAD_ROWS_SHOWN if stops else len(rows)
        for line in format_bad_rows(str(paths[key]), rows, shown):
            typer.echo(line, err=True)
    for form in expected_forms([problem for rows in bad_rows.values() for _, problem in rows]):
        typer.echo(f"hint: {form}", err=True)
    if unreadable:
        for line in unreadable:
            typer.echo(line, err=True)
        raise typer.Exit(code=BAD_INPUT)
    if not skip_bad_rows:
        noun = "row" if bad == 1 else "rows"
        typer.echo(
            f"{bad} malformed {noun} found; nothing written (use --skip-bad-rows to skip them)",
            err=True,
        )
        raise typer.Exit(code=BAD_INPUT)
    typer.echo(format_skipped(bad), err=True)


def _as_option(key: str, call: Callable[..., R], *args: Any) -> R:
    """Run ``call``, saying which option a file error came from (``--changes: ...``); the
    error's ``reason`` is kept."""
    try:
        return call(*args)
    except InvalidInput as exc:
        raise InvalidInput(f"--{key}: {exc.message}", field=key,
                           reason=exc.details.get("reason")) from exc


def _load_rules(path: Path | None) -> PriceRules:
    from sagwa.priceguard import load_rules

    return _as_option("rules", load_rules, path)


def _check_outputs(outputs: dict[str, Path | None], inputs: dict[str, Path | None]) -> None:
    """Refuse, before any work, an output that could not be written or that is also an input
    or an earlier output (it would be overwritten). A device such as /dev/null may be shared."""
    from sagwa.adapters import guard_output as gf

    taken = {option: path for option, path in inputs.items() if path is not None}
    for option, path in outputs.items():
        if path is None:
            continue
        _as_option(option, gf.check_writable, path)
        clash = next((o for o, p in taken.items() if gf.same_file(path, p)), None)
        if clash is not None and not gf.is_special_file(path):
            raise InvalidInput(
                f"--{option}: {path} is also the --{clash} file; give another path "
                "(nothing written)",
                field=option, reason="output_path_taken",
            )
        taken[option] = path


@app.command("check", help=guard_help.CHECK)
@exits_on_bad_input
def check(
    history: HistoryOpt,
    changes: ChangesOpt,
    out: Annotated[Path, typer.Option("--out", help="where to write verdicts")],
    products: ProductsOpt = None,
    output_format: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    skip_bad_rows: SkipOpt = False,
    rules: RulesOpt = None,
    chunk_rows: ChunkOpt = DEFAULT_CHUNK_ROWS,
    lang: Annotated[str, typer.Option(
        "--lang", help="language of the reason column: en (default) or ko")] = "en",
    blind_chunks: BlindOpt = False,
    part_rows: PartOpt = PART_ROWS,
) -> None:
    """Judge every change (the help is ``guard_help.CHECK``)."""
    if output_format not in ("csv", "json"):
        raise typer.BadParameter("use csv or json", param_hint="--format")
    if lang not in ("en", "ko"):
        raise typer.BadParameter("use en or ko", param_hint="--lang")
    inputs = {"history": history, "changes": changes, "products": products, "rules": rules}
    _check_outputs({"out": out}, inputs)
    price_rules = _load_rules(rules)
    if blind_chunks:  # chunks of exactly --chunk-rows from the first change: one part
        part_rows = sys.maxsize
    with _scratch_directory() as workdir:
        _check_streaming(history, changes, products, out, skip_bad_rows, price_rules,
                         workdir, output_format=output_format, chunk_rows=chunk_rows,
                         lang=lang, blind=blind_chunks, part_rows=part_rows)


@contextlib.contextmanager
def _scratch_directory() -> Iterator[Path]:
    """A scratch directory for the changes file's blocks and parts (``check`` and
    ``evaluate``), removed after, also on SIGTERM; one that cannot be made or written is
    refused, naming $TMPDIR."""
    try:
        with _cleaned_up_on_sigterm(), \
                tempfile.TemporaryDirectory(prefix="sagwa-guard-") as workdir:
            yield Path(workdir)
    except OSError as exc:  # the inputs and the outputs say their own; this is the scratch
        raise SagwaError(
            f"cannot use a scratch directory in {tempfile.gettempdir()}: "
            f"{exc.strerror or exc}; set TMPDIR to a directory with room (nothing written)",
            reason="scratch_directory_unusable",
        ) from None


#: The SIGTERMs received while :func:`_cleaned_up_on_sigterm` runs. Its handler raises
#: SystemExit, but one raised inside a library's callback may be swallowed there ("Exception
#: ignored in …") with nothing surfacing: a CI run's SIGTERM then ended 0 with the output
#: landed. :func:`stop_if_asked`, before the output lands, stops it anyway.
_STOPPED: list[int] = []


def stop_if_asked() -> None:
    """SystemExit(128 + signal) if a SIGTERM came (:data:`_STOPPED`), whatever swallowed it."""
    if _STOPPED:
        raise SystemExit(128 + _STOPPED[0])


@contextlib.contextmanager
def _cleaned_up_on_sigterm() -> Iterator[None]:
    """While it runs, SIGTERM (``kill``, a job scheduler's stop) ends the run as an exception
    would, with exit status 143: the scratch directory and the unfinished output are removed
    and an earlier output file is left as it was (SIGKILL cannot be caught: a scratch directory
    ``sagwa-guard-*`` may then stay in $TMPDIR)."""
    stopped = _STOPPED
    stopped.clear()

    def stop(signum: int, _frame: object) -> None:
        stopped.append(signum)
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
        stop_if_asked()  # swallowed with nothing surfacing: still a stop (143)
    except BaseException:
        # the stop raised inside a library's callback is swallowed there ("Exception ignored
        # in …") and surfaces as another error: still a stop (a run once ended 1, not 143)
        if stopped:
            raise SystemExit(128 + stopped[0]) from None
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def _check_streaming(history: Path, changes: Path, products: Path | None, out: Path,
                     skip_bad_rows: bool, rules: PriceRules, workdir: Path, *,
                     output_format: str, chunk_rows: int, lang: str, blind: bool,
                     part_rows: int) -> None:
    """``check``'s run: the changes file read in blocks and judged in parts of time (memory
    bounded by the part size, not the file), the verdicts written part by part."""
    from sagwa.adapters import guard_output as gf
    from sagwa.services.guard_batch import GuardStream
    from sagwa.services.guard_evidence_gaps import CurrencyGaps, other_currency_changes

    frames, run = _stage_inputs(history, changes, products, skip_bad_rows, workdir, part_rows)
    stream = GuardStream(history=frames["history"], rules=rules, products=frames.get("products"),
                         keys=run.keys, chunk_rows=chunk_rows, blind_chunks=blind, lang=lang)
    other_currency = other_currency_changes(frames["history"], frames.get("products"))
    gaps = CurrencyGaps()
    writer = _as_option("out", gf.VerdictWriter, out, output_format)
    checked = held = 0
    try:
        for part, evidence in _judged_parts(run, stream):
            verdicts = evidence.select(gf.VERDICT_COLUMNS)
            _as_option("out", writer.write, verdicts)
            checked += verdicts.height
            held += int((verdicts["verdict"] == "hold").sum())
            gaps = gaps.plus(other_currency(part))
        stop_if_asked()  # a SIGTERM a library swallowed must not land the output
        _as_option("out", writer.close)
    finally:
        writer.discard()
    _note_evidence_gaps(stream.zero_price_rows, frames, rules, history, products, gaps,
                        run.keys["product_id"])
    # to stderr when the verdicts themselves go to standard output (--out /dev/stdout)
    typer.echo(f"{checked} changes checked, {held} held -> {out}",
               err=gf.inherited_fd(out) == 1)


def _stage_inputs(history: Path, changes: Path, products: Path | None, skip_bad_rows: bool,
                  workdir: Path, part_rows: int, labels: Path | None = None,
                  ) -> tuple[dict[str, pl.DataFrame], StagedChanges]:
    """The files read (the changes file in blocks, staged in ``workdir`` in parts of time of
    at most ``part_rows`` changes) and their bad rows reported, as :func:`_read_inputs`."""
    from sagwa.adapters.guard_changes_file import stage_changes

    staged: list[StagedChanges] = []

    def stage() -> tuple[list[tuple[int, str]], int]:
        staged.append(stage_changes(changes, workdir, part_rows=part_rows))
        return staged[0].bad_rows, staged[0].count

    frames = _read_inputs(history, changes, products, skip_bad_rows, labels=labels,
                          staged=stage)
    return frames, staged[0]


def _judged_parts(run: StagedChanges,
                  stream: GuardStream) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Each part of ``run`` in time order and its changes judged (verdicts and evidence),
    one part in memory at a time; a progress bar on stderr while it runs, shown only when
    that is a terminal and the run is long (stdout may be the output, or a pipe)."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    show = console.is_terminal and run.count > PROGRESS_FROM_ROWS
    with Progress(console=console, disable=not show, transient=True) as progress:
        task = progress.add_task("checking price changes", total=run.count)
        judged = 0
        for part, next_start in run.parts():
            evidence = stream.judge(
                part, next_start=next_start,
                progress=lambda n, _total, done=judged: progress.update(task,
                                                                        completed=done + n))
            judged += evidence.height
            yield part, evidence


def format_rate(value: float, spec: str) -> str:
    """``value`` in ``spec``, or "—" when it is undefined (NaN: e.g. recall without errors)."""
    return UNDEFINED if math.isnan(value) else format(value, spec)


def format_metrics_rows(splits: list[SplitMetrics]) -> list[list[str]]:
    """Rows for the summary table: split, changes, errors, recall, false holds, promo, ≥5×."""
    return [
        [
            s.name,
            f"{s.changes:,}",
            f"{s.errors:,}",
            format_rate(s.recall, ".4f"),
            format_rate(s.false_hold_rate, ".4%"),
            format_rate(s.false_hold_rate_promotions, ".4%"),
            format_rate(s.recall_5x, ".4f"),
            format_rate(s.type_accuracy, ".3f"),
        ]
        for s in splits
    ]


def format_metrics_json(splits: list[SplitMetrics]) -> str:
    """The metrics as strict JSON: an undefined rate is ``null``, never ``NaN``."""
    return json.dumps([s.as_dict() for s in splits], indent=2, allow_nan=False) + "\n"


@app.command("evaluate", help=guard_help.EVALUATE)
@exits_on_bad_input
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
    chunk_rows: ChunkOpt = DEFAULT_CHUNK_ROWS,
    blind_chunks: BlindOpt = False,
    part_rows: PartOpt = PART_ROWS,
) -> None:
    """Measure the guard against labels (the help is ``guard_help.EVALUATE``)."""
    from sagwa.adapters import guard_output as gf
    from sagwa.services.guard_metrics import all_splits

    inputs = {"history": history, "changes": changes, "labels": labels, "products": products}
    _check_outputs({"png": png, "json": json_out}, {**inputs, "rules": rules})
    price_rules = _load_rules(rules)
    if blind_chunks:  # chunks of exactly --chunk-rows from the first change: one part
        part_rows = sys.maxsize
    with _scratch_directory() as workdir:
        frame = _evaluate_streaming(history, changes, labels, products, skip_bad_rows,
                                    price_rules, workdir, chunk_rows=chunk_rows,
                                    blind=blind_chunks, part_rows=part_rows)
    splits = all_splits(frame)
    # the table and the notes go to stderr when a file goes to standard output
    # (--json /dev/stdout), so what a tool reads there is the file alone
    to_stdout = any(p is not None and gf.inherited_fd(p) == 1 for p in (png, json_out))
    _print_metrics(splits, err=to_stdout)
    if png is not None:
        _as_option("png", _plot_pr, frame, png)
        typer.echo(f"PR curve -> {png}", err=to_stdout)
    if json_out is not None:
        text = format_metrics_json(splits)
        _as_option("json", gf.write_file, json_out, text.encode("utf-8"))
        typer.echo(f"metrics -> {json_out}", err=to_stdout)


def format_ids(ids: IdSample) -> str:
    """``c1, c2, c3`` or ``c1, …, c10 and 5 more``: the ids a note names."""
    more = ids.count - len(ids.first)
    return ", ".join(ids.first) + (f" and {more:,} more" if more > 0 else "")


def format_evidence_notes(
    zero_price_rows: int, history: Path, unmatched: list[tuple[str, int]],
    other_currency: CurrencyGaps | None = None, *,
    unlisted: IdSample | None = None, products: Path | None = None,
) -> list[str]:
    """Notes on input the guard read but could not use as given: history rows at price 0
    (skipped), categories matching none of the rules' (default limits applied), evidence in
    another currency than a change's (not compared with it), and products the changes name
    that the ``products`` file lacks (``unlisted``: judged without a list price)."""
    lines = []
    if other_currency is not None and (listed := other_currency.list_price).count:
        one = listed.count == 1
        lines.append(f"note: {listed.count:,} change{'' if one else 's'} had a list price in "
                     "another currency than the change's: not used "
                     f"(change_id{'' if one else 's'} {format_ids(listed)})")
    if other_currency is not None and (elsewhere := other_currency.history).count:
        one = elsewhere.count == 1
        lines.append(f"note: {elsewhere.count:,} change{'' if one else 's'} came in another "
                     f"currency than every earlier price of {'its' if one else 'their'} listing "
                     "in the history: judged without those prices "
                     f"(change_id{'' if one else 's'} {format_ids(elsewhere)})")
    if unlisted is not None and unlisted.count:
        one = unlisted.count == 1
        lines.append(f"note: {unlisted.count:,} product{'' if one else 's'} named by the changes "
                     f"{'is' if one else 'are'} not in {products} ({format_ids(unlisted)}): "
                     f"{'its' if one else 'their'} changes were judged without a list price")
    if zero_price_rows:
        rows = "row" if zero_price_rows == 1 else "rows"
        lines.append(f"note: skipped {zero_price_rows:,} {rows} of {history} at price 0 "
                     "(no price, e.g. out of stock): not evidence")
    for category, n in unmatched:
        products = "product" if n == 1 else "products"
        lines.append(f"note: category {category!r} ({n:,} {products}) matches no category in "
                     "the rules; default limits applied")
    return lines


def _evaluate_streaming(history: Path, changes: Path, labels: Path, products: Path | None,
                        skip_bad_rows: bool, rules: PriceRules, workdir: Path, *,
                        chunk_rows: int, blind: bool, part_rows: int) -> pl.DataFrame:
    """``evaluate``'s run: the changes judged in parts as ``check`` judges them, and of each
    part only what the metrics need of its labelled changes kept (``LabelledChanges``): the
    memory grows by some 40 bytes a label (the labels, read a block at a time, and those
    columns), not by the changes file."""
    from sagwa.services.guard_batch import GuardStream
    from sagwa.services.guard_evaluation import LabelledChanges
    from sagwa.services.guard_evidence_gaps import CurrencyGaps, other_currency_changes

    frames, run = _stage_inputs(history, changes, products, skip_bad_rows, workdir, part_rows,
                                labels=labels)
    _check_labels_match(run.column("change_id"), frames["labels"], labels, changes)
    _note_other_error_types(frames["labels"], labels)
    stream = GuardStream(history=frames["history"], rules=rules, products=frames.get("products"),
                         keys=run.keys, chunk_rows=chunk_rows, blind_chunks=blind)
    labelled = LabelledChanges(frames.pop("labels"))
    other_currency = other_currency_changes(frames["history"], frames.get("products"))
    gaps = CurrencyGaps()
    for part, evidence in _judged_parts(run, stream):
        labelled.add(judged=evidence, changes=part)
        gaps = gaps.plus(other_currency(part))
    _note_evidence_gaps(stream.zero_price_rows, frames, rules, history, products, gaps,
                        run.keys["product_id"])
    return labelled.frame()


def _note_evidence_gaps(zero_price_rows: int, frames: dict[str, pl.DataFrame],
                        rules: PriceRules, history: Path, products: Path | None,
                        gaps: CurrencyGaps, product_ids: pl.Series) -> None:
    """Print the notes of :func:`format_evidence_notes` (``product_ids``: those the changes
    name, each once)."""
    from sagwa.services.guard_batch import categories_without_rules
    from sagwa.services.guard_evidence_gaps import products_not_listed

    unmatched = categories_without_rules(frames.get("products"), rules)
    unlisted = products_not_listed(product_ids, frames.get("products"))
    for line in format_evidence_notes(zero_price_rows, history, unmatched, gaps,
                                      unlisted=unlisted, products=products):
        typer.echo(line, err=True)


def _note_other_error_types(labels: pl.DataFrame, path: Path) -> None:
    """Name the labelled error types sagwa's guard never names: they count in recall and get
    their own row per type, but can never be named right (a typo shows here too)."""
    import polars as pl

    from sagwa.priceguard.vocabulary import ERROR_TYPES

    counts = labels.filter(~pl.col("error_type").is_in(list(ERROR_TYPES)))["error_type"]
    if counts.len():
        listed = ", ".join(f"{name} ({n})" for name, n in
                           sorted(counts.value_counts().iter_rows(), key=lambda r: r[0]))
        typer.echo(f"note: {path} has error types the guard does not name: {listed}; they count "
                   "in recall and per type, and as misnamed in type accuracy", err=True)


def _check_labels_match(change_ids: Iterable[pl.Series], label_frame: pl.DataFrame,
                        labels: Path, changes: Path) -> None:
    """Refuse labels that name none of the changes; note those that name no change, and the
    changes no label names (not counted). ``change_ids``: the changes' ids, in pieces."""
    n_changes = matched = 0
    n_labels = label_frame.height
    named = label_frame.select("change_id")
    for ids in change_ids:  # each change id once (a repeat is a malformed row), as a label's
        n_changes += ids.len()
        matched += named.join(ids.to_frame("change_id"), on="change_id", how="semi").height
    if n_changes == 0:
        raise InvalidInput(f"--changes: {changes} has no changes; nothing to evaluate",
                           reason="no_changes")
    if n_labels == 0:
        raise InvalidInput(f"--labels: {labels} has no labels; nothing to evaluate",
                           reason="no_labels")
    if matched == 0:
        raise InvalidInput(
            f"--labels: no change_id in {labels} ({n_labels} labels) is one of the "
            f"{n_changes} changes in {changes}; nothing to evaluate",
            field="labels", reason="labels_name_no_change",
        )
    if matched < n_labels:
        typer.echo(
            f"note: {n_labels - matched} of {n_labels} labels name no change in {changes}; "
            f"evaluating the {matched} that do",
            err=True,
        )
    unlabelled = n_changes - matched
    if unlabelled:
        typer.echo(
            f"note: {unlabelled} of {n_changes} changes in {changes} have no label in {labels};"
            " they are judged but not counted",
            err=True,
        )


def _print_metrics(splits: list[SplitMetrics], *, err: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=err)
    if not console.is_terminal:  # a pipe or a log: wide enough that no figure is cut
        console = Console(stderr=err, width=max(console.width, 132))
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
            *(format_rate(s.per_type_recall.get(name, math.nan), ".3f") for s in splits),
        )
    console.print(per)


def _plot_pr(frame: pl.DataFrame, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sagwa.adapters import guard_output as gf
    from sagwa.services.guard_metrics import pr_curve

    precision, recall, _ = pr_curve(frame["score"].to_numpy(), frame["is_error"].to_numpy())
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(recall, precision)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title("price guard: precision-recall")
    image = io.BytesIO()
    try:
        fig.savefig(image, format="png", dpi=100, bbox_inches="tight")
    finally:
        plt.close(fig)
    gf.write_file(png, image.getvalue())
