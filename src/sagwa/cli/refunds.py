"""``sagwa refunds list`` and ``sagwa refunds mark-paid``: the refunds the desk owes customers
after cancelling their orders (``services.refunds``; the same list as ``GET /api/refunds``),
and recording that finance paid one — or a bank batch of them from a CSV file
(``--from-file``; the list's own CSV, with a ``reference`` column added, is one: its amounts
must then be the refunds'), or every one recorded before sagwa tracked refunds (backfilled by
the upgrade: finance may have paid them outside sagwa) still owed that was cancelled before a
day (``--recorded-before``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from sagwa.cli.access_recording import REASON, command_what, record_command
from sagwa.cli.actors import ACTOR, acting_account, recorded_actor
from sagwa.cli.context import console, database, err_console, exits_cleanly
from sagwa.cli.dates import parse_day, parse_time
from sagwa.cli.incident_format import print_result
from sagwa.cli.incident_options import FORMAT, TableOrJson, desk_context
from sagwa.cli.ledger import EXCEL_BOM, EXCEL_HELP, check_excel, format_csv
from sagwa.cli.numbers import whole_number
from sagwa.domain.access_records import AccessAction, access_reason
from sagwa.domain.money import Money, format_money
from sagwa.domain.refunds import PaymentLine, RefundFilter, day_alone, korea_time
from sagwa.errors import InvalidInput
from sagwa.services.refunds import (
    PaidBatch,
    RefundList,
    StatedPaymentLine,
    list_refunds,
    listed_dict,
    mark_owed_paid_before,
    mark_refund_paid,
    mark_refunds_paid,
    refund_dict,
)
from sagwa.services.refunds import (
    Progress as Told,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="Refunds owed to customers after the desk cancelled their orders: list "
                       "them, mark one or a bank batch paid.", no_args_is_help=True)

#: The CSV's columns, in this order (new ones only ever appended); ``refund_id`` as a payments
#: file names it, so that the list with a ``reference`` column added is one.
CSV_COLUMNS = ("refund_id", "incident_id", "case_id", "order_id", "customer_id", "customer_name",
               "amount_minor", "currency", "cancelled_at", "due_by", "status", "overdue",
               "paid_at", "paid_reference", "paid_by", "seller_id")
#: A payments file's columns (``--from-file``): a header naming them, in any order; paid_at
#: may be left out (paid now). Other columns are ignored, but for :data:`STATED_COLUMNS`.
PAYMENT_COLUMNS = ("refund_id", "reference", "paid_at")
#: Columns of the list's CSV a payments file may keep: where it does, each row's must be its
#: refund's (``services.refunds.check_stated_amount``). A bank's own ``amount`` is not read: the
#: list never writes one, and its unit (won, or cents?) is not known.
STATED_COLUMNS = ("amount_minor", "currency")
#: Header names read as a payments file's column (when it does not name that column itself).
PAYMENT_ALIASES = {"id": "refund_id"}
#: What --recorded-before marks: only the refunds the upgrade backfilled.
BACKFILLED = "recorded before sagwa tracked refunds"
#: From how many refunds a batch shows a progress bar (on a terminal).
PROGRESS_FROM = 100
_EMPTY = {RefundFilter.OWED: "no refund is owed", RefundFilter.OVERDUE: "no refund is overdue",
          RefundFilter.PAID: "no refund is marked paid yet",
          RefundFilter.ALL: "the desk has recorded no refund"}


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("list")
@exits_cleanly
def list_(
    status: Annotated[RefundFilter, typer.Option(
        "--status", help="owed (not paid yet), overdue (owed and past its due date), paid, or "
                         "all.")] = RefundFilter.OWED,
    fmt: Annotated[ListFormat, typer.Option("--format", help="table, csv (with a header) or "
                                                             "json.")] = ListFormat.table,
    excel: Annotated[bool, typer.Option("--excel", help=EXCEL_HELP)] = False,
    incident: Annotated[int | None, typer.Option(
        "--incident", help="Only the refunds of this incident's cases.",
        parser=whole_number())] = None,
    seller: Annotated[int | None, typer.Option(
        "--seller", help="Only the refunds of this seller's orders.",
        parser=whole_number())] = None,
    paid_from: Annotated[str | None, typer.Option(
        "--paid-from", metavar="DATE", help="Only refunds paid on or after this Korean day, "
                                            "YYYY-MM-DD (with --status paid or all).")] = None,
    paid_to: Annotated[str | None, typer.Option(
        "--paid-to", metavar="DATE", help="Only refunds paid on or before this Korean day "
                                          "(a month's: --paid-from 2026-12-01 --paid-to "
                                          "2026-12-31).")] = None,
    reason: Annotated[str | None, REASON] = None,
    actor: str = ACTOR,
) -> None:
    """List the refunds the desk recorded, oldest first. Each is due 3 Korean business days
    after its cancellation (weekends and public holidays not counted); times in Korea time,
    amounts in minor units in csv and json. The list names customers: it is an access record
    (who, from which OS login, whose refunds); a CSV is an export and needs --reason."""
    check_excel(excel, fmt.value)
    since = parse_day(paid_from, "--paid-from") if paid_from is not None else None
    until = parse_day(paid_to, "--paid-to") if paid_to is not None else None
    what = command_what("refunds list", ("--status", status.value), ("--format", fmt.value),
                        ("--excel", excel), ("--incident", incident), ("--seller", seller),
                        ("--paid-from", paid_from), ("--paid-to", paid_to))
    export = fmt is ListFormat.csv
    said = access_reason(reason, required=export, what="sagwa refunds list --format csv")
    db = database()
    try:
        account = acting_account(db.session_factory, actor, command="refunds list")
        found = list_refunds(SqlAlchemyUnitOfWork(db.session_factory), which=status,
                             incident_id=incident, seller_id=seller, paid_from=since,
                             paid_to=until)
        record_command(db, account, AccessAction.EXPORT if export else AccessAction.VIEW, what,
                       cases=[i.refund.case_id for i in found.items],
                       customers=[i.refund.customer_id for i in found.items], reason=said)
    finally:
        db.close()
    if fmt is ListFormat.json:
        print(json.dumps(found.as_dict(), ensure_ascii=False))
    elif fmt is ListFormat.csv:
        rows = [listed_dict(i, found.now) for i in found.items]
        print((EXCEL_BOM if excel else "")
              + format_csv(CSV_COLUMNS, [{k: r[k] for k in CSV_COLUMNS} for r in rows]), end="")
    elif not found.items:
        console.print(_EMPTY[status])
    else:
        console.print(refunds_table(found))


def refunds_table(found: RefundList) -> Table:
    table = Table(title=f"refunds: {found.which.value} (times in Asia/Seoul)")
    for column in ("refund", "incident", "case", "customer", "amount", "cancelled", "due by",
                   "status", "paid"):
        table.add_column(column)
    for i in found.items:
        r = i.refund
        state = "OVERDUE" if r.overdue(found.now) else r.status.value
        paid = (f"{korea_time(r.paid_at)} {escape(r.paid_reference or '')} "
                f"by {escape(r.paid_by or '')}" if r.paid_at else "")
        # names and references are people's own words: printed as they are, never markup
        table.add_row(str(r.refund_id), f"#{i.incident_id}", f"#{r.case_id}",
                      escape(i.customer_name), format_money(r.amount),
                      korea_time(r.cancelled_at), r.due_by.isoformat(), state, paid)
    for currency, minor in found.amount_totals.items():
        table.add_row(f"total ({found.total})", "", "", "", format_money(Money(minor, currency)),
                      "", "", "", "", end_section=False)
    return table


class MarkPaidMode(StrEnum):
    ONE = "REFUND_ID"
    FILE = "--from-file"
    BEFORE = "--recorded-before"


#: The options each way of marking paid has no use for, and why.
_UNUSED = {MarkPaidMode.ONE: {"--dry-run": "a single refund is marked, or refused, at once"},
           MarkPaidMode.FILE: {"--reference": "the file gives each payment's reference",
                               "--paid-at": "the file gives each payment's paid_at"},
           MarkPaidMode.BEFORE: {"--paid-at": "they are marked paid at the moment the command "
                                              "runs"}}


def mark_paid_mode(*, refund_id: int | None, from_file: Path | None,
                   recorded_before: str | None, reference: str | None, paid_at: str | None,
                   dry_run: bool) -> MarkPaidMode:
    """Which refunds ``mark-paid`` was asked to mark: exactly one of REFUND_ID, --from-file and
    --recorded-before, without an option that way does not use; InvalidInput otherwise."""
    given = [mode for mode, value in ((MarkPaidMode.ONE, refund_id),
                                      (MarkPaidMode.FILE, from_file),
                                      (MarkPaidMode.BEFORE, recorded_before)) if value is not None]
    if not given:
        raise InvalidInput("say which refunds to mark paid: a REFUND_ID, --from-file CSV (a bank "
                           "batch) or --recorded-before DATE", field="refund_id",
                           reason="refund_target_missing")
    if len(given) > 1:
        raise InvalidInput(f"give one of REFUND_ID, --from-file and --recorded-before, not "
                           f"{' and '.join(given)}", reason="refund_targets_conflict")
    used = {"--dry-run": dry_run, "--reference": reference is not None,
            "--paid-at": paid_at is not None}
    for option, why in _UNUSED[given[0]].items():
        if used[option]:
            raise InvalidInput(f"{option} is not taken with {given[0]}: {why}",
                               reason="refund_option_unused", option=option)
    return given[0]


def read_payment_file(path: Path) -> list[PaymentLine]:
    """A payments file's rows with their line numbers: CSV, UTF-8 with or without a BOM (as
    Excel saves it), a header naming :data:`PAYMENT_COLUMNS` (and any of :data:`STATED_COLUMNS`:
    their cells are read too); blank lines skipped."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field="from_file",
                           reason="file_unreadable") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path} is not UTF-8 text (byte {exc.start} cannot be read); save it "
                           "as CSV UTF-8 and try again", field="from_file",
                           reason="file_not_utf8") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = _payment_header(next(rows, []))
    missing = [c for c in PAYMENT_COLUMNS[:2] if c not in header]
    if missing:
        raise InvalidInput(f"{path} line 1 must name the columns {','.join(PAYMENT_COLUMNS)} "
                           f"(paid_at may be left out); {', '.join(missing)} missing",
                           field="from_file", reason="refund_file_columns")
    lines: list[PaymentLine] = []
    line = rows.line_num + 1
    for row in rows:
        if any(cell.strip() for cell in row):
            cells = dict(zip(header, row, strict=False))
            amount, currency = (cells.get(c, "") if c in header else None
                                for c in STATED_COLUMNS)
            lines.append(StatedPaymentLine(line, *(cells.get(c, "") for c in PAYMENT_COLUMNS),
                                           amount_minor=amount, currency=currency))
        line = rows.line_num + 1
    if not lines:
        raise InvalidInput(f"{path} has no payment below its header: nothing to mark",
                           field="from_file", reason="refund_file_empty")
    return lines


def _payment_header(cells: list[str]) -> list[str]:
    """A payments file's header, lower case, an alias (:data:`PAYMENT_ALIASES`) read as the
    column it stands for unless the header names that column too."""
    names = [name.strip().lower() for name in cells]
    return [PAYMENT_ALIASES[n] if n in PAYMENT_ALIASES and PAYMENT_ALIASES[n] not in names
            else n for n in names]


def read_day(text: str) -> date:
    """A Korean day as YYYY-MM-DD; InvalidInput otherwise."""
    return parse_day(text, "--recorded-before")


@app.command("mark-paid")
@exits_cleanly
def mark_paid(
    refund_id: Annotated[int | None, typer.Argument(
        help="The refund's id (`sagwa refunds list`); or --from-file, or --recorded-before.",
        parser=whole_number(), metavar="REFUND_ID", show_default=False)] = None,
    reference: Annotated[str | None, typer.Option(
        "--reference", help="The payment's reference: the transfer or card-cancellation "
                            "number it was paid with (with --recorded-before: one for all, "
                            "e.g. where finance recorded them).")] = None,
    paid_at: Annotated[str | None, typer.Option(
        "--paid-at", metavar="ISO", help="When it was paid, ISO 8601 (without a zone: Korea "
                                         "time), or the day alone (2026-12-07: recorded at "
                                         "that day's start, or at the cancellation if it was "
                                         "cancelled that day). Default: now.")] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from-file", metavar="CSV", dir_okay=False,
        help="A bank batch: a CSV with the columns refund_id (or id),reference,paid_at "
             "(paid_at ISO, Korea time without a zone, or a day alone as --paid-at; empty: "
             "now; other columns ignored, so "
             "`sagwa refunds list --format csv` with a reference column added is one; UTF-8, "
             "with or without a BOM as Excel saves it). Where the file has the list's "
             "amount_minor or currency column, each row's must be its refund's, never empty. "
             "All or nothing: any bad row (reported with its line and why) marks none.")] = None,
    recorded_before: Annotated[str | None, typer.Option(
        "--recorded-before", metavar="DATE",
        help="Every refund recorded before sagwa tracked refunds (the upgrade found them on "
             "the audit log; finance may have paid them outside sagwa) still owed whose order "
             "was cancelled before this Korean day (YYYY-MM-DD, not in the future). Never one "
             "the desk recorded since: mark those one by one or with --from-file. They are "
             "marked paid at the moment the command runs, not when they were really paid (not "
             "known); needs --reference.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="With --from-file or --recorded-before: list what would be marked, "
                          "write nothing.")] = False,
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Record that refunds were paid: when, with which reference, and who says so (an audit
    record each). Once: a refund already paid is not marked again. Each customer is sent a
    note that their refund was paid (inside contact hours; never the reference), except for
    refunds marked with --recorded-before."""
    mode = mark_paid_mode(refund_id=refund_id, from_file=from_file,
                          recorded_before=recorded_before, reference=reference,
                          paid_at=paid_at, dry_run=dry_run)
    if mode is MarkPaidMode.ONE:
        _mark_one(int(refund_id or 0), reference or "", paid_at, actor, fmt)
        return
    lines = read_payment_file(from_file) if from_file is not None else []
    before = read_day(recorded_before) if recorded_before is not None else None
    batch = _mark_batch(lines, before, reference or "", dry_run=dry_run, actor=actor)
    if fmt == "json":
        print(json.dumps(batch.as_dict(), ensure_ascii=False))
        return
    console.print(batch_table(batch, BACKFILLED if before is not None else None))
    if before is not None and batch.refunds:
        console.print(f"{'would be' if dry_run else 'marked'} paid at the moment this ran "
                      f"({korea_time(batch.now)} Korea time), not when finance paid them (not "
                      "known); refunds the desk recorded since sagwa tracks refunds are never "
                      "marked this way", highlight=False)
    elif before is None and not dry_run and batch.refunds:
        told, marked = batch.customers_told, len(batch.refunds)
        console.print(f"customers told their refund was paid: {told} of {marked}" + (
            "" if told == marked else " (not one without an email address or a phone, nor one "
            "whose note the message check refused: each refund's audit record says which)"),
            highlight=False)


def _mark_batch(lines: list[PaymentLine], before: date | None, reference: str, *,
                dry_run: bool, actor: str) -> PaidBatch:
    """A payments file's refunds (``before`` None: their customers told, in the words of the
    configured desk policy) or those recorded before the day."""
    with desk_context() as (_, db, policy):
        who = recorded_actor(db.session_factory, actor, command="refunds mark-paid")
        uow = SqlAlchemyUnitOfWork(db.session_factory)
        with progress_bar(len(lines)) as told:
            if before is None:
                return mark_refunds_paid(uow, lines=lines, actor=who, dry_run=dry_run,
                                         progress=told, policy=policy)
            return mark_owed_paid_before(uow, before=before, reference=reference, actor=who,
                                         dry_run=dry_run, progress=told)


def _mark_one(refund_id: int, reference: str, paid_at: str | None, actor: str,
              fmt: str) -> None:
    when = (None if paid_at is None
            else day_alone(paid_at) or parse_time(paid_at, "paid_at"))
    with desk_context() as (_, db, policy):
        who = recorded_actor(db.session_factory, actor, command="refunds mark-paid")
        paid = mark_refund_paid(SqlAlchemyUnitOfWork(db.session_factory), refund_id=refund_id,
                                reference=reference, paid_at=when, actor=who, policy=policy)
    print_result(refund_dict(paid, datetime.now(UTC)), fmt, "refund marked paid")


@contextmanager
def progress_bar(expected: int, on: Console = err_console) -> Iterator[Told]:
    """A progress bar on a terminal (stderr, as ``sagwa ledger export``'s) once a batch has
    :data:`PROGRESS_FROM` refunds or more; yields the service's progress callback."""
    with Progress(console=on, transient=True, disable=not on.is_terminal) as bar:
        task = bar.add_task("marking refunds paid", total=expected or None, visible=False)

        def told(done: int, total: int) -> None:
            if total >= PROGRESS_FROM:
                bar.update(task, completed=done, total=total, visible=True)

        yield told


def batch_table(batch: PaidBatch, which: str | None = None) -> Table:
    """The refunds a batch marked paid (or would, in a dry run), with its totals below
    (``which``: what the refunds are, said after their number)."""
    count = len(batch.refunds)
    noun = ("refund" if count == 1 else "refunds") + (f" {which}" if which else "")
    title = (f"dry run: {count} {noun} would be marked paid (nothing written)" if batch.dry_run
             else f"{count} {noun} marked paid")
    table = Table(title=f"{title} (times in Asia/Seoul)")
    for column in ("refund", "case", "order", "amount", "cancelled", "due by", "paid at",
                   "reference"):
        table.add_column(column)
    for r in batch.refunds:
        table.add_row(str(r.refund_id), f"#{r.case_id}", f"#{r.order_id}",
                      format_money(r.amount), korea_time(r.cancelled_at),
                      r.due_by.isoformat(), korea_time(r.paid_at) or "",
                      escape(r.paid_reference or ""))
    table.add_section()
    for currency, minor in batch.totals().items():
        table.add_row("total", "", "", format_money(Money(minor, currency)), "", "", "", "")
    return table
