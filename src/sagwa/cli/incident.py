"""``sagwa incident``: declare, scope, plan, notify, list, status (and notices) from a terminal.

Tables are for people (times in Asia/Seoul, durations in words); ``--format json`` is for
programs and keeps ISO 8601 times and stable keys. The commands are here; how their results
read is ``incident_format``'s.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sagwa.cli.actors import ACTOR, recorded_actor
from sagwa.cli.context import console, database, exits_cleanly, settings
from sagwa.cli.incident_format import (
    SEOUL,
    durations_in_words,
    format_incident_table,
    format_status,
    print_result,
    print_rows,
)
from sagwa.cli.numbers import number_argument, number_option, whole_number
from sagwa.domain.moments import check_moment
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput
from sagwa.services.desk_status import incident_summaries
from sagwa.services.listing_names import listing_names
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="Incident desk: resolve orders placed at a wrong price, fairly.",
                  no_args_is_help=True)
IncidentId = Annotated[int, number_argument()]


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


FORMAT = typer.Option(TableOrJson.table, "--format", help="table or json.")
REPORTS_DIR = Path("reports")


def parse_time(text: str, field: str) -> datetime:
    """ISO 8601; a time without a zone is Korea time (Asia/Seoul)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} {text!r} is not an ISO date-time like 2008-06-12T14:00",
                           field=field, reason="time_malformed") from None
    return check_moment(moment if moment.tzinfo else moment.replace(tzinfo=SEOUL), field)


@contextmanager
def _context() -> Iterator[tuple[Any, Any, Any]]:
    """Settings, the database (closed when the command is done) and the desk policy."""
    from sagwa.services.desk_policy import load_desk_policy

    config = settings()
    db = database()
    try:
        yield config, db, load_desk_policy(config.desk_policy)
    finally:
        db.close()


def _links_if_set(config: Any) -> Any:
    """The link maker for emails written by a command (the sellers' page, a customer's) where
    a public address is set; None otherwise: the email then names the page's path, and the
    command is never held up by checking a derived address (``notify`` checks it)."""
    from sagwa.services.desk_notify import LinkMaker

    if not config.public_base_url_configured:
        return None
    return LinkMaker(config.secret_key, str(config.public_base_url))


@app.command()
@exits_cleanly
def declare(
    listing: Annotated[list[int], typer.Option(
        "--listing", help="Listing id (repeat for several).", parser=whole_number())],
    wrong_price: int = number_option(..., help="The wrong price, in minor units (KRW: won)."),
    correct_price: int = number_option(..., help="The price it should have been."),
    currency: str = typer.Option("KRW"),
    window_start: str = typer.Option(..., help="When the wrong price went live (ISO; KST if no zone)."),
    window_end: str = typer.Option(None, help="When it stopped (default: now)."),
    cause: str = typer.Option(..., help="What went wrong, in a sentence."),
    responsible: str = typer.Option(..., help="seller, platform or both."),
    draft: int = number_option(None, help="Declare this draft incident (e.g. from the tripwire)."),
    actor: str = ACTOR, fmt: TableOrJson = FORMAT,
) -> None:
    """Declare an incident; its listings are paused at once."""
    from sagwa.services import desk

    with _context() as (config, db, _policy):
        actor = recorded_actor(db.session_factory, actor)
        # the sellers' email links to their page where a public address is set
        links = _links_if_set(config)
        row = desk.declare(
            SqlAlchemyUnitOfWork(db.session_factory), listing_ids=listing,
            wrong_price=Money(wrong_price, currency), correct_price=Money(correct_price, currency),
            window_start=parse_time(window_start, "window_start"),
            window_end=parse_time(window_end, "window_end") if window_end else None,
            cause=cause, responsible=responsible, actor=actor, incident_id=draft, links=links)
    print_result({"incident_id": row.incident.incident_id, "status": row.incident.status.value,
            "paused_listings": sorted(row.incident.listing_ids)}, fmt, "incident declared")


@app.command()
@exits_cleanly
def scope(incident_id: IncidentId, actor: str = ACTOR,
          fmt: TableOrJson = FORMAT) -> None:
    """Make a case for every customer who ordered at the wrong price in the window."""
    from sagwa.services import desk

    with _context() as (_config, db, _policy):
        actor = recorded_actor(db.session_factory, actor)
        summary = desk.scope(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                             actor=actor)
    print_result({"incident_id": incident_id, **summary}, fmt, "incident scoped")


@app.command()
@exits_cleanly
def plan(
    incident_id: IncidentId,
    option: Annotated[list[str], typer.Option(
        "--option", help="An option to offer (repeat; the list is above).")],
    deadline: str = typer.Option(..., help="Answer deadline (ISO; KST if no zone)."),
    default: str = typer.Option("keep", help="If nobody answers: keep or follow_up_call."),
    seller_share: int = number_option(..., percent=True,
                                      help="Seller's share of the cost, percent."),
    platform_share: int = number_option(..., percent=True,
                                        help="Platform's share of the cost, percent."),
    compensation: int = number_option(None, help="Points offered with cancelling."),
    discount: int = number_option(None, percent=True, help="Percent off the correct price."),
    keep_max_units: int = number_option(None,
                                        help="Units a customer may keep at the price paid."),
    accept_late: bool = typer.Option(False, help="Accept choices after the deadline."),
    actor: str = ACTOR, fmt: TableOrJson = FORMAT,
) -> None:
    """Decide the options, deadline, default and cost split (before notifying).

    Offer at least two of these options, one --option each:

    - keep: keep the order at the price paid (at most --keep-max-units units)
    - cancel_with_compensation: full refund plus --compensation points
    - buy_at_correct_price_discount: buy at the correct price, --discount percent off
    - talk_to_person: a person calls the customer
    """
    from sagwa.services import desk

    with _context() as (_config, db, policy), durations_in_words():
        actor = recorded_actor(db.session_factory, actor)
        decided = desk.plan(
            SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id, options=option,
            deadline=parse_time(deadline, "deadline"), default=default,
            seller_share_pct=seller_share, platform_share_pct=platform_share, actor=actor,
            policy=policy,
            cancel_compensation=Money(compensation, "KRW") if compensation is not None else None,
            discount_pct=discount, keep_max_units=keep_max_units,
            accept_late_choices=accept_late)
    print_result({"incident_id": incident_id, "options": sorted(o.value for o in decided.options),
            "deadline": decided.deadline.astimezone(SEOUL),
            "default": decided.default.value}, fmt, "incident planned")


@app.command()
@exits_cleanly
def notify(incident_id: IncidentId, actor: str = ACTOR,
           fmt: TableOrJson = FORMAT) -> None:
    """Queue the apology to every affected customer, inside contact hours.

    The links in it use SAGWA_PUBLIC_BASE_URL; when that is not set, a sagwa server must answer
    at http://SAGWA_HOST:SAGWA_PORT, or nothing is queued."""
    from sagwa.cli.public_links import check_public_links
    from sagwa.services.desk_notify import LinkMaker
    from sagwa.services.desk_notify import notify as notify_customers

    with _context() as (config, db, policy):
        # a server started with another --port does not change what the CLI knows: links to a
        # derived address nobody serves would reach no customer, so check before queuing
        links_to = check_public_links(config.public_base_url,
                                      configured=config.public_base_url_configured)
        actor = recorded_actor(db.session_factory, actor)
        summary = notify_customers(
            SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id, actor=actor,
            policy=policy, links=LinkMaker(config.secret_key, links_to))
    print_result({"incident_id": incident_id, "cases": summary.cases, "messages": summary.messages,
            "send_at": summary.send_at.astimezone(SEOUL),
            "links_to": links_to}, fmt, "customers notified")


@app.command()
@exits_cleanly
def close(
    incident_id: IncidentId,
    reason: Annotated[str, typer.Option(help="Why it is closed (kept on the audit log).")],
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Close an incident (every case answered or defaulted, calls owed made, notice
    published), or dismiss a draft."""
    from sagwa.services import desk

    if not reason.strip():
        raise InvalidInput("--reason must say why the incident is closed", field="reason",
                           reason="close_needs_reason")

    with _context() as (config, db, policy):
        actor = recorded_actor(db.session_factory, actor)
        # the sellers' closing email links to their page where a public address is set
        links = _links_if_set(config)
        row = desk.close(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                         actor=actor, reason=reason.strip(), policy=policy, links=links)
    print_result({"incident_id": incident_id, "status": row.incident.status.value}, fmt,
           "incident closed")


@app.command("difference-paid")
@exits_cleanly
def difference_paid(
    case_id: Annotated[int, number_argument()],
    note: Annotated[str, typer.Option(help="How it was paid: a receipt number, a transfer's "
                                           "reference, or who took the payment.")],
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Record that a customer paid the difference their discount choice left to pay (paid
    to the customer centre: sagwa takes no payment). Once per case; again changes nothing."""
    from sagwa.services.desk_difference import record_difference_paid

    with _context() as (config, db, policy):
        actor = recorded_actor(db.session_factory, actor)
        # the sellers' email links to their page where a public address is set (as declaring)
        links = _links_if_set(config)
        recorded = record_difference_paid(SqlAlchemyUnitOfWork(db.session_factory),
                                          case_id=case_id, actor=actor, note=note, policy=policy,
                                          links=links)
    print_result(recorded.as_dict(), fmt, "difference recorded as paid" if recorded.changed
                 else "already recorded as paid; nothing changed")


@app.command("cancel-instead")
@exits_cleanly
def cancel_instead(
    case_id: Annotated[int, number_argument()],
    evidence: Annotated[str, typer.Option(help="The customer's own words asking to cancel "
                                               "instead of paying the difference.")],
    channel: Annotated[str, typer.Option(help="How they asked: phone, email, sms or web.")]
    = "phone",
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Cancel with compensation instead of paying the difference, at the request of a
    customer who chose to buy at the discounted correct price and has not paid: their orders
    are cancelled and what they paid refunded, the compensation is booked, they are confirmed.
    Once per case; again changes nothing. Refused once the difference is recorded as paid."""
    from sagwa.services.desk_cancel_instead import cancel_instead_of_paying

    with _context() as (config, db, policy):
        actor = recorded_actor(db.session_factory, actor)
        links = _links_if_set(config)
        done = cancel_instead_of_paying(SqlAlchemyUnitOfWork(db.session_factory),
                                        case_id=case_id, channel=channel, evidence=evidence,
                                        taken_by=actor, policy=policy, links=links)
    print_result(done.as_dict(), fmt, "cancelled instead of paying the difference"
                 if done.changed else "already cancelled instead; nothing changed")


@app.command()
@exits_cleanly
def status(incident_id: IncidentId, fmt: TableOrJson = FORMAT) -> None:
    """Where the incident stands: cases, choices, messages, SLA clocks, differences owed."""
    from sagwa.services.desk_status import incident_status

    with _context() as (_config, db, policy):
        view = incident_status(SqlAlchemyUnitOfWork(db.session_factory),
                               incident_id=incident_id, policy=policy)
    if fmt == "json":
        print_result(view.as_dict(), fmt, "")
        return
    print_rows(format_status(view), f"incident {incident_id} (times in Asia/Seoul)")


@app.command("list")
@exits_cleanly
def list_incidents(
    limit: int = number_option(50, min=1, max=1000, help="How many, newest first."),
    offset: int = number_option(0, min=0, help="Skip this many of the newest."),
    fmt: TableOrJson = FORMAT,
) -> None:
    """List incidents, newest first: their ids, prices, cases, answers and the differences
    customers still owe (closed incidents too)."""
    with _context() as (_config, db, _policy):
        summaries = incident_summaries(SqlAlchemyUnitOfWork(db.session_factory),
                                            limit=limit, offset=offset)
        with SqlAlchemyUnitOfWork(db.session_factory) as uow:
            names = listing_names(uow, {i for s in summaries for i in s["listings"]})
    for summary in summaries:  # additive: "listings" keeps its ids
        owed = {k: summary.pop(k) for k in ("differences_unpaid", "differences_unpaid_total")}
        summary["listing_details"] = [names[i].as_dict() for i in summary["listings"]
                                      if i in names]
        summary.update(owed)  # appended after the details, which came first
    if fmt == "json":
        print(json.dumps(summaries, ensure_ascii=False))
    elif summaries:
        console.print(format_incident_table(summaries))
    else:
        console.print("no incidents" + (f" after the newest {offset}" if offset else " yet"))


def read_notice_file(file: Path) -> tuple[str, str]:
    """A notice file's title (its first line) and body; a file that cannot be read or is not
    UTF-8 is refused, naming the file."""
    try:
        title, _, body = file.read_text(encoding="utf-8").partition("\n")
    except OSError as exc:
        raise InvalidInput(f"cannot read {file}: {exc.strerror or exc}", field="file",
                           reason="file_unreadable") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{file} is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8 "
            "and try again", field="file", reason="file_not_utf8") from None
    return title, body


@app.command()
@exits_cleanly
def notice(
    incident_id: IncidentId,
    lang: str = typer.Option("ko", help="ko or en."),
    file: Annotated[Path | None, typer.Option(
        help="Notice text: first line the title, then the body. "
             "Without it, the template draft is published.")] = None,
    actor: str = ACTOR, fmt: TableOrJson = FORMAT,
) -> None:
    """Publish (a new version of) the public notice; refused if the message check fails."""
    from sagwa.services import notices

    with _context() as (_config, db, policy):
        actor = recorded_actor(db.session_factory, actor)
        if file is None:
            title, body = notices.draft_notice(SqlAlchemyUnitOfWork(db.session_factory),
                                               incident_id=incident_id, lang=lang, policy=policy)
        else:
            title, body = read_notice_file(file)
        row = notices.publish_notice(SqlAlchemyUnitOfWork(db.session_factory),
                                     incident_id=incident_id, lang=lang, title=title, body=body,
                                     actor=actor)
    print_result({"incident_id": incident_id, "notice_id": row.id, "lang": lang,
            "version": row.version}, fmt, "notice published")


@app.command()
@exits_cleanly
def report(
    incident_id: IncidentId,
    out: Annotated[Path, typer.Option(
        help="Where to write the Markdown postmortem and chart.")] = REPORTS_DIR,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
) -> None:
    """Print the timeline and SLA figures; write a Markdown postmortem with a PNG chart."""
    from sagwa.services.desk_report import build_report, figure_rows, write_postmortem

    with _context() as (_config, db, policy):
        built = build_report(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                             policy=policy)
    try:
        markdown, chart = write_postmortem(built, out)
    except OSError as exc:
        raise InvalidInput(f"cannot write the postmortem to {out}: {exc.strerror or exc}",
                           field="out", reason="file_unwritable") from None
    if fmt == "json":
        print(json.dumps({"incident_id": incident_id, "figures": built.figures,
                          "postmortem": str(markdown), "chart": str(chart) if chart else None,
                          "timeline": [{"at": e.at.isoformat(), "actor": e.actor,
                                        "action": e.action, "entity": e.entity,
                                        "detail": e.detail} for e in built.timeline]},
                         ensure_ascii=False))
        return
    table = Table(title=f"incident {incident_id} — timeline (Asia/Seoul)")
    for column in ("time", "who", "what", "on", "detail"):
        table.add_column(column)
    for e in built.timeline:
        table.add_row(f"{e.at.astimezone(SEOUL):%m-%d %H:%M}", e.actor, e.action, e.entity, e.detail)
    console.print(table)
    print_rows(figure_rows(built.figures), "SLA figures")
    console.print(f"postmortem: {markdown}" + (f", chart: {chart}" if chart else ""))