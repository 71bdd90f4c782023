"""``sagwa access``: the access records of customers' personal data (개인정보의 안전성 확보조치
기준 제8조; ``services.access_records``) — the admin lists them, reviews a month (the review
the standard asks for at least monthly) and purges those past their keeping. Admin only: a
named ``--actor`` must be an admin (``cli/actors.ACTOR_ROLES``)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated

import typer

from sagwa.adapters.db.access_records_repo import SqlAccessLog
from sagwa.cli.access_format import (
    CSV_COLUMNS,
    csv_rows,
    format_access_table,
    format_review_notes,
    format_review_table,
)
from sagwa.cli.access_recording import command_record, command_what, record_command
from sagwa.cli.actors import ACTOR, acting_account
from sagwa.cli.context import console, database, exits_cleanly, settings
from sagwa.cli.dates import parse_day, parse_time
from sagwa.cli.incident_options import FORMAT, TableOrJson
from sagwa.cli.ledger import format_csv
from sagwa.cli.numbers import number_option, whole_number
from sagwa.domain.access_records import AccessAction
from sagwa.domain.access_review import ReviewRules
from sagwa.domain.moments import SEOUL
from sagwa.services.access_records import (
    MAX_LISTED,
    list_access,
    purge_access,
    review_access,
)
from sagwa.services.desk_policy import load_desk_policy

app = typer.Typer(help="Access records of customers' personal data: list, review a month, "
                       "purge the expired (admin).", no_args_is_help=True)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def read_moment(text: str | None, option: str, *, end: bool = False) -> datetime | None:
    """``--from``/``--to``: a day (YYYY-MM-DD, Korea; ``--to`` takes the whole day) or an ISO
    time (without a zone: Korea time)."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return parse_time(text.strip(), option.removeprefix("--"))
    return datetime.combine(day + timedelta(days=1 if end else 0), time(), SEOUL)


@app.command("list")
@exits_cleanly
def list_(
    customer: Annotated[int | None, typer.Option(
        "--customer", help="Only the records that name this customer.",
        parser=whole_number())] = None,
    account: Annotated[str | None, typer.Option(
        "--account", help="Only this account's (a username; `cli` for commands run without "
                          "--actor).")] = None,
    since: Annotated[str | None, typer.Option(
        "--from", metavar="ISO", help="From this day or time (Korea time without a zone).")
    ] = None,
    until: Annotated[str | None, typer.Option(
        "--to", metavar="ISO", help="Up to this day (included) or time (not included).")
    ] = None,
    action: Annotated[str | None, typer.Option(
        "--action", help="view, search, export, change, sign_in, sign_out, sign_in_failed or "
                         "purge.")] = None,
    limit: int = number_option(200, "--limit", min=1, max=MAX_LISTED, help="How many, newest "
                                                                           "first."),
    fmt: Annotated[ListFormat, typer.Option("--format", help="table, json or csv.")
                   ] = ListFormat.table,
    actor: str = ACTOR,
) -> None:
    """List access records, newest first: who (account, role), when, from where (address, or
    cli: and the OS login), what (page, endpoint or command; a search's words are never kept), whose
    data (customers, cases), how many a search found and an export's reason."""
    start, end = read_moment(since, "--from"), read_moment(until, "--to", end=True)
    db = database()
    try:
        assert db.session_factory is not None
        by = acting_account(db.session_factory, actor, command="access list")
        page = list_access(SqlAccessLog(db.session_factory), customer_id=customer,
                           account=account, since=start, until=end, action=action, limit=limit)
        record_command(db, by, AccessAction.VIEW, command_what(
            "access list", ("--customer", customer), ("--account", account), ("--from", since),
            ("--to", until), ("--action", action), ("--format", fmt.value)),
            customers=[customer] if customer is not None else [])
    finally:
        db.close()
    if fmt is ListFormat.json:
        print(json.dumps(page.as_dict(), ensure_ascii=False))
    elif fmt is ListFormat.csv:
        print(format_csv(CSV_COLUMNS, csv_rows(page)), end="")
    elif not page.records:
        # an account is matched by its exact name (one removed since keeps its records)
        console.print("조건에 맞는 접속기록이 없습니다 — no access record matches"
                      + (f" (--account {account}: 이름 그대로 찾습니다 — matched exactly)"
                         if account is not None else ""), markup=False, highlight=False)
    else:
        console.print(format_access_table(page))
        if page.more:
            console.print(f"가장 최근 {len(page.records)}건만 보입니다. 더 보려면 --limit — showing "
                          f"the newest {len(page.records)}; --limit shows more")


@app.command()
@exits_cleanly
def review(
    month: Annotated[str, typer.Option("--month", metavar="YYYY-MM",
                                       help="The month to review (Korea time).")],
    many_factor: Annotated[float, typer.Option(
        "--many-factor", min=1, help="Flag an account that saw this many times the median "
                                     "number of customers of the other accounts of its "
                                     "role...")] = ReviewRules.many_factor,
    many_at_least: int = number_option(ReviewRules.many_at_least, "--many-at-least", min=1,
                                       help="...and at least this many customers."),
    fmt: TableOrJson = FORMAT,
    actor: str = ACTOR,
) -> None:
    """The monthly review of access to customers' personal data: per account, its access by
    action, how many distinct customers' data it saw, its exports with their reasons, and
    flags — many_customers (many more customers than its peers), export_without_reason,
    outside_hours (while the contact centre's hours in the desk policy were closed).
    Keep its output as the record of the review (개인정보의 안전성 확보조치 기준 제8조 ②)."""
    db = database()
    try:
        assert db.session_factory is not None
        acting_account(db.session_factory, actor, command="access review")
        found = review_access(SqlAccessLog(db.session_factory), month=month,
                              schedule=load_desk_policy(settings().desk_policy).schedule,
                              rules=ReviewRules(many_factor, many_at_least))
    finally:
        db.close()
    if fmt == "json":
        print(json.dumps(found.as_dict(), ensure_ascii=False))
        return
    if not found.accounts:
        console.print(f"no access recorded in {found.month}")
        return
    console.print(format_review_table(found))
    for line in format_review_notes(found):
        console.print(line, highlight=False)


def read_day(text: str) -> date:
    return parse_day(text, "--before")


@app.command()
@exits_cleanly
def purge(
    before: Annotated[str, typer.Option(
        "--before", metavar="ISO_DATE",
        help="Delete the records from before this day (Korea time): at least "
             "SAGWA_ACCESS_RECORDS_KEEP_YEARS (default 2) years ago.")],
    fmt: TableOrJson = FORMAT,
    actor: str = ACTOR,
) -> None:
    """Delete the access records kept long enough (before --before); the purge is itself a
    record. A day less than SAGWA_ACCESS_RECORDS_KEEP_YEARS years ago (1 to 10, default 2: the
    standard's two years for 50,000 or more customers or sensitive data) is refused
    (purge_too_recent, naming the setting and the latest day taken), and the database refuses
    to delete a record less than a year old whatever asks."""
    day = read_day(before)
    keep_years = settings().access_records_keep_years
    db = database()
    try:
        assert db.session_factory is not None
        by = acting_account(db.session_factory, actor, command="access purge")
        what = command_what("access purge", ("--before", day.isoformat()))
        gone = purge_access(SqlAccessLog(db.session_factory), before=day, now=datetime.now(UTC),
                            record=command_record(by, AccessAction.PURGE, what),
                            keep_years=keep_years)
    finally:
        db.close()
    if fmt == "json":
        print(json.dumps({"before": day.isoformat(), "deleted": gone}))
        return
    console.print(f"deleted {gone:,} access record(s) from before {day} (Korea time)")
