"""``sagwa incident``: declare, scope, plan, notify, list, status (and notices) from a terminal.

Tables are for people (times in Asia/Seoul, durations in words); ``--format json`` is for
programs and keeps ISO 8601 times and stable keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table
from rich.text import Text

from sagwa.cli.actors import ACTOR, recorded_actor
from sagwa.cli.context import console, database, exits_cleanly, settings
from sagwa.cli.numbers import number_argument, number_option, whole_number
from sagwa.domain.money import Money, format_money
from sagwa.errors import InvalidInput
from sagwa.services.desk_status import incident_summaries
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

if TYPE_CHECKING:
    from sagwa.services.desk_status import IncidentStatusView

app = typer.Typer(help="Incident desk: resolve orders placed at a wrong price, fairly.",
                  no_args_is_help=True)
SEOUL = ZoneInfo("Asia/Seoul")
MISSING = "—"
IncidentId = Annotated[int, number_argument()]


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


FORMAT = typer.Option(TableOrJson.table, "--format", help="table or json.")
REPORTS_DIR = Path("reports")
# How str(timedelta) reads: "1 day, 0:00:00", "2:29:59.767496".
TIMEDELTA_TEXT = re.compile(
    r"(?<![\d:.T])(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)(?:\.\d+)?(?![\d:+])")


def parse_time(text: str, field: str) -> datetime:
    """ISO 8601; a time without a zone is Korea time (Asia/Seoul)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} {text!r} is not an ISO date-time like 2008-06-12T14:00",
                           field=field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)


def format_time(moment: datetime | None) -> str:
    """``2008-06-17 18:00 KST`` (Asia/Seoul, to the minute); ``—`` when there is none."""
    return MISSING if moment is None else f"{moment.astimezone(SEOUL):%Y-%m-%d %H:%M %Z}"


def format_duration(span: timedelta) -> str:
    """``2 h 30 min``, ``1 day``, ``1 day 3 h``; seconds are dropped (``under 1 min``)."""
    if span < timedelta(0):
        return f"-{format_duration(-span)}"
    days, seconds = span.days, span.seconds
    if not days and seconds < 60:
        return "0 min" if span == timedelta(0) else "under 1 min"
    parts = [f"{days} day{'' if days == 1 else 's'}" if days else "",
             f"{seconds // 3600} h" if seconds >= 3600 else "",
             f"{seconds % 3600 // 60} min" if seconds % 3600 >= 60 else ""]
    return " ".join(p for p in parts if p)


def humanize_durations(text: str) -> str:
    """Rewrite Python's ``1 day, 0:00:00`` in a message as ``1 day``."""
    def words(m: re.Match[str]) -> str:
        return format_duration(timedelta(days=int(m[1] or 0), hours=int(m[2]),
                                         minutes=int(m[3]), seconds=int(m[4])))
    return TIMEDELTA_TEXT.sub(words, text)


@contextmanager
def _durations_in_words() -> Iterator[None]:
    """The plan rules word their durations as Python prints them; a person reads words."""
    try:
        yield
    except InvalidInput as exc:
        exc.message = humanize_durations(exc.message)
        problems = exc.details.get("problems")
        if isinstance(problems, dict):
            exc.details["problems"] = {k: humanize_durations(str(v)) for k, v in problems.items()}
        raise


def format_value(value: Any) -> str:
    """One table cell: times in KST, money with its currency, lists and mappings as lines."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, Money):
        return format_money(value)
    if isinstance(value, dict):
        if value.keys() == {"amount_minor", "currency"}:
            return format_money(Money(value["amount_minor"], value["currency"]))
        return "\n".join(f"{label(k)}: {format_value(v)}" for k, v in value.items()) or MISSING
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(format_value(v) for v in value) or MISSING
    return str(value)


def label(key: str) -> str:
    return key.replace("_", " ")


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)


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


def _print(data: dict[str, Any], fmt: str, title: str) -> None:
    if fmt == "json":
        print(json.dumps(data, ensure_ascii=False, default=_json_value))
        return
    _print_rows([(label(k), format_value(v)) for k, v in data.items()], title)


def _print_rows(rows: list[tuple[str, str]], title: str) -> None:
    table = Table(title=title, show_header=False)
    for name, value in rows:
        table.add_row(name, Text(value))  # values are data (a cause may hold "[...]"), not markup
    console.print(table)


def format_plan(plan: dict[str, Any] | None) -> str:
    """The plan of ``incident status`` as readable lines; terms not offered are left out."""
    if plan is None:
        return MISSING
    lines = [f"options: {', '.join(plan['options'])}",
             f"deadline: {format_time(datetime.fromisoformat(plan['deadline']))}",
             f"if nobody answers: {plan['default']}",
             (f"cost split: seller {plan['seller_share_pct']}%, "
              f"platform {plan['platform_share_pct']}%")]
    if plan.get("cancel_compensation") is not None:
        lines.append(f"compensation: {plan['cancel_compensation']:,} points")
    if plan.get("discount_pct") is not None:
        lines.append(f"discount: {plan['discount_pct']}% off the correct price")
    if plan.get("keep_max_units") is not None:
        lines.append(f"keep at most: {plan['keep_max_units']} units")
    return "\n".join(lines)


def format_status(view: IncidentStatusView) -> list[tuple[str, str]]:
    """``incident status`` (an ``IncidentStatusView``) as (label, text) rows; the money booked
    last, as the postmortem words it (``desk_report.money_rows``: the compensation, who pays
    it — the platform and each seller by name — then the refunds)."""
    from sagwa.services.desk_report import money_rows

    data = dict(vars(view))
    for key in ("first_notice_at", "first_message_sent_at"):
        data[key] = _after_declaring(data[key], view.declared_at)
    data["plan"] = format_plan(data["plan"])
    money = data.pop("money")
    rows = [(label(k), format_value(v)) for k, v in data.items()]
    return rows + (money_rows(money) if money else [("money", MISSING)])


def _after_declaring(moment: datetime | None, declared_at: datetime | None) -> str:
    if moment is None or declared_at is None:
        return format_time(moment)
    return f"{format_time(moment)} ({format_duration(moment - declared_at)} after declaring)"


def format_incident_table(summaries: list[dict[str, Any]]) -> Table:
    table = Table(title="incidents, newest first")
    for column in ("id", "status", "listings", "wrong → correct price", "declared at",
                   "cases", "answered"):  # ids, states and counts never wrap; the rest may
        table.add_column(column, no_wrap=column in ("id", "status", "cases", "answered"),
                         justify="right" if column in ("cases", "answered") else "left")
    for s in summaries:
        declared = datetime.fromisoformat(s["declared_at"]) if s["declared_at"] else None
        table.add_row(str(s["id"]), s["status"], format_value(s["listings"]),
                      f"{format_value(s['wrong_price'])} → {format_value(s['correct_price'])}",
                      format_time(declared), f"{s['cases']:,}", f"{s['answered']:,}")
    return table


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

    with _context() as (_config, db, _policy):
        actor = recorded_actor(db.session_factory, actor)
        row = desk.declare(
            SqlAlchemyUnitOfWork(db.session_factory), listing_ids=listing,
            wrong_price=Money(wrong_price, currency), correct_price=Money(correct_price, currency),
            window_start=parse_time(window_start, "window_start"),
            window_end=parse_time(window_end, "window_end") if window_end else None,
            cause=cause, responsible=responsible, actor=actor, incident_id=draft)
    _print({"incident_id": row.incident.incident_id, "status": row.incident.status.value,
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
    _print({"incident_id": incident_id, **summary}, fmt, "incident scoped")


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

    keep: keep the order at the price paid (at most --keep-max-units units)
    cancel_with_compensation: full refund plus --compensation points
    buy_at_correct_price_discount: buy at the correct price, --discount percent off
    talk_to_person: a person calls the customer
    """
    from sagwa.services import desk

    with _context() as (_config, db, policy), _durations_in_words():
        actor = recorded_actor(db.session_factory, actor)
        decided = desk.plan(
            SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id, options=option,
            deadline=parse_time(deadline, "deadline"), default=default,
            seller_share_pct=seller_share, platform_share_pct=platform_share, actor=actor,
            policy=policy,
            cancel_compensation=Money(compensation, "KRW") if compensation is not None else None,
            discount_pct=discount, keep_max_units=keep_max_units,
            accept_late_choices=accept_late)
    _print({"incident_id": incident_id, "options": sorted(o.value for o in decided.options),
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
    _print({"incident_id": incident_id, "cases": summary.cases, "messages": summary.messages,
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
        raise InvalidInput("--reason must say why the incident is closed", field="reason")
    with _context() as (_config, db, _policy):
        actor = recorded_actor(db.session_factory, actor)
        row = desk.close(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                         actor=actor, reason=reason.strip())
    _print({"incident_id": incident_id, "status": row.incident.status.value}, fmt,
           "incident closed")


@app.command()
@exits_cleanly
def status(incident_id: IncidentId, fmt: TableOrJson = FORMAT) -> None:
    """Where the incident stands: cases, choices, messages, SLA clocks."""
    from sagwa.services.desk_status import incident_status

    with _context() as (_config, db, policy):
        view = incident_status(SqlAlchemyUnitOfWork(db.session_factory),
                               incident_id=incident_id, policy=policy)
    if fmt == "json":
        _print(view.as_dict(), fmt, "")
        return
    _print_rows(format_status(view), f"incident {incident_id} (times in Asia/Seoul)")


@app.command("list")
@exits_cleanly
def list_incidents(
    limit: int = number_option(50, min=1, max=1000, help="How many, newest first."),
    offset: int = number_option(0, min=0, help="Skip this many of the newest."),
    fmt: TableOrJson = FORMAT,
) -> None:
    """List incidents, newest first: their ids, prices, cases and answers."""
    with _context() as (_config, db, _policy):
        summaries = incident_summaries(SqlAlchemyUnitOfWork(db.session_factory),
                                            limit=limit, offset=offset)
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
        raise InvalidInput(f"cannot read {file}: {exc.strerror or exc}", field="file") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{file} is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8 "
            "and try again", field="file") from None
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
    _print({"incident_id": incident_id, "notice_id": row.id, "lang": lang,
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
                           field="out") from None
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
    _print_rows(figure_rows(built.figures), "SLA figures")
    console.print(f"postmortem: {markdown}" + (f", chart: {chart}" if chart else ""))
