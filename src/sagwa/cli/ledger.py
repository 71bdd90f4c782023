"""``sagwa ledger export``: the points ledger for finance, by entry or summed by incident,
seller or day (``services.ledger_reports`` says what each column holds). An export that holds
customers' data — by entry (their points accounts), or of one customer — is an access record
(``cli.access_recording``); one customer's needs ``--reason``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sagwa.cli.access_recording import REASON, command_what, record_command
from sagwa.cli.actors import ACTOR, acting_account
from sagwa.cli.context import database, exits_cleanly
from sagwa.cli.numbers import whole_number
from sagwa.cli.output_file import output_file
from sagwa.domain.access_records import AccessAction, access_reason
from sagwa.errors import InvalidInput
from sagwa.services import ledger_reports
from sagwa.services.access_records import ledger_customers
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="The points ledger: export it for finance.", no_args_is_help=True)

#: Entries above which a progress bar is drawn (on stderr, when it is a terminal).
PROGRESS_FROM_ENTRIES = 2_000


class By(StrEnum):
    ENTRY = "entry"
    INCIDENT = "incident"
    SELLER = "seller"
    DAY = "day"


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: give it as YYYY-MM-DD "
                                 "(a day in Korea time, e.g. 2008-06-12)") from None


#: The UTF-8 byte-order mark: Excel reads a CSV file without one in the system's code page
#: (CP949 on Korean Windows), so names and memos in Hangul came out garbled.
EXCEL_BOM = "\ufeff"
EXCEL_HELP = ("CSV for Excel: a UTF-8 byte-order mark first, so Excel on Korean Windows reads "
              "the Hangul (other tools may see the mark as part of the first column's name).")


def check_excel(excel: bool, fmt: str) -> None:
    """``--excel`` is for CSV only (InvalidInput, ``excel_needs_csv``, otherwise)."""
    if excel and fmt != "csv":
        raise InvalidInput(f"--excel is for --format csv (a byte-order mark for Excel), not {fmt}",
                           field="excel", reason="excel_needs_csv")


def format_csv(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
    return out.getvalue()


#: What a spreadsheet takes for the start of a formula in a text cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell: empty for None; a text (a memo typed by staff) that a spreadsheet would run
    as a formula ("=HYPERLINK(…)") quoted with a leading apostrophe. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@app.command()
@exits_cleanly
def export(
    by: Annotated[By, typer.Option("--by", help="entry: one CSV row per posting (JSON: per "
                                   "entry, with its postings); incident, seller, day: totals "
                                   "per row and a last row `total`.")] = By.ENTRY,
    since: Annotated[str | None, typer.Option("--from", callback=_day, metavar="DATE",
                                              help="First day, YYYY-MM-DD (Korea time).")] = None,
    until: Annotated[str | None, typer.Option(
        "--to", callback=_day, metavar="DATE", help="Last day, YYYY-MM-DD (Korea time), included.")] = None,
    incident: Annotated[int | None, typer.Option(
        "--incident", help="Only this incident's entries.", parser=whole_number())] = None,
    seller: Annotated[int | None, typer.Option(
        "--seller", help="Only the entries of this seller's charge-backs or orders. A summary "
                         "counts only that seller's part of each; by entry, each entry is "
                         "whole, its postings balancing (another seller's share of it "
                         "included).", parser=whole_number())] = None,
    customer: Annotated[int | None, typer.Option(
        "--customer", help="Only this customer's entries.", parser=whole_number())] = None,
    fmt: Annotated[Format, typer.Option("--format", help="csv (with a header) or json.")
                   ] = Format.CSV,
    out: Annotated[Path | None, typer.Option("--out", dir_okay=False,
                                             help="Write here instead of standard output.")
                   ] = None,
    excel: Annotated[bool, typer.Option("--excel", help=EXCEL_HELP)] = False,
    reason: Annotated[str | None, REASON] = None,
    actor: str = ACTOR,
) -> None:
    """Export the ledger: amounts in whole won (points), times in Korea time. Every entry's
    postings add up to 0; in a summary, seller_share + platform_share = compensation_points
    on every row. With --customer (one customer's records) it needs --reason."""
    from rich.console import Console
    from rich.progress import Progress

    check_excel(excel, fmt.value)
    what = command_what("ledger export", ("--by", by.value), ("--from", since), ("--to", until),
                        ("--incident", incident), ("--seller", seller), ("--customer", customer),
                        ("--format", fmt.value), ("--excel", excel), ("--out", out))
    said = access_reason(reason, required=customer is not None,
                         what="sagwa ledger export --customer N")
    filters = ledger_reports.entry_filter(incident_id=incident, seller_id=seller,
                                          customer_id=customer, since=since,  # type: ignore[arg-type]
                                          until=until)  # type: ignore[arg-type]
    # opened first: an export of customers' accounts is on the record, so it must have
    # somewhere to go (a tester's unwritable --out got a traceback after the record was written)
    with output_file(out, "the export") as target:
        db = database()
        uow = SqlAlchemyUnitOfWork(db.session_factory)
        console = Console(stderr=True)
        try:
            account = acting_account(db.session_factory, actor, command="ledger export")
            with Progress(console=console, transient=True,
                          disable=not console.is_terminal) as bar:
                task = bar.add_task("reading the ledger", total=None)

                def progress(done: int, total: int) -> None:
                    if total > PROGRESS_FROM_ENTRIES:
                        bar.update(task, completed=done, total=total)

                shown = [customer] if customer is not None else []
                text = _export(uow, by, fmt, filters, progress, shown)
            if excel:
                text = EXCEL_BOM + text
            if target is not None:  # written before it is recorded (in --out's place after)
                target.write(text)
            if shown:  # customers' points accounts
                record_command(db, account, AccessAction.EXPORT, what, reason=said,
                               customers=shown)
        finally:
            db.close()
        if target is None:
            print(text, end="")


def _export(uow: SqlAlchemyUnitOfWork, by: By, fmt: Format, filters: Any, progress: Any,
            shown: list[int] | None = None) -> str:
    """The export's text; ``shown`` gets the customers whose points accounts it holds (by
    entry: a summary holds none)."""
    if by is By.ENTRY:
        entries = ledger_reports.export_entries(uow, filters=filters, progress=progress)
        if shown is not None:
            shown += ledger_customers(entries)
        if fmt is Format.JSON:
            return json.dumps({"by": "entry", "entries": entries}, ensure_ascii=False,
                              indent=2) + "\n"
        return format_csv(ledger_reports.ENTRY_COLUMNS, ledger_reports.posting_rows(entries))
    rows = ledger_reports.summarize(uow, by=by.value, filters=filters,  # type: ignore[arg-type]
                                    progress=progress)
    total = ledger_reports.total_of(rows)
    if fmt is Format.JSON:
        return json.dumps({"by": by.value, "points_currency": "KRW",
                           "exported_at": datetime.now(ledger_reports.SEOUL).isoformat(),
                           "rows": [r.as_dict() for r in rows], "total": total.as_dict()},
                          ensure_ascii=False, indent=2) + "\n"
    return format_csv(ledger_reports.SUMMARY_COLUMNS, [r.as_dict() for r in [*rows, total]])
