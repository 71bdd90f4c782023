"""``sagwa incident``: declare, scope, plan, notify, status (and notices) from a terminal."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from sagwa.cli.context import console, database, exits_cleanly, settings
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="Incident desk: resolve orders placed at a wrong price, fairly.",
                  no_args_is_help=True)
SEOUL = ZoneInfo("Asia/Seoul")
ACTOR = typer.Option("cli", "--actor", help="Who is acting (lands on the audit log).")
FORMAT = typer.Option("table", "--format", help="table or json.")


def parse_time(text: str, field: str) -> datetime:
    """ISO 8601; a time without a zone is Korea time (Asia/Seoul)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} {text!r} is not an ISO date-time like 2008-06-12T14:00",
                           field=field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)


def _context() -> tuple[Any, Any, Any]:
    from sagwa.services.desk_policy import load_desk_policy

    config = settings()
    db = database()
    return config, db, load_desk_policy(config.desk_policy)


def _print(data: dict[str, Any], fmt: str, title: str) -> None:
    if fmt == "json":
        print(json.dumps(data, ensure_ascii=False, default=str))
        return
    table = Table(title=title, show_header=False)
    for key, value in data.items():
        table.add_row(key, json.dumps(value, ensure_ascii=False, default=str)
                      if isinstance(value, (dict, list)) else str(value))
    console.print(table)


@app.command()
@exits_cleanly
def declare(
    listing: list[int] = typer.Option(..., "--listing", help="Listing id (repeat for several)."),
    wrong_price: int = typer.Option(..., help="The wrong price, in minor units (KRW: won)."),
    correct_price: int = typer.Option(..., help="The price it should have been."),
    currency: str = typer.Option("KRW"),
    window_start: str = typer.Option(..., help="When the wrong price went live (ISO; KST if no zone)."),
    window_end: str = typer.Option(None, help="When it stopped (default: now)."),
    cause: str = typer.Option(..., help="What went wrong, in a sentence."),
    responsible: str = typer.Option(..., help="seller, platform or both."),
    draft: int = typer.Option(None, help="Declare this draft incident (e.g. from the tripwire)."),
    actor: str = ACTOR, fmt: str = FORMAT,
) -> None:
    """Declare an incident; its listings are paused at once."""
    from sagwa.services import desk

    _config, db, _policy = _context()
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
def scope(incident_id: int, actor: str = ACTOR, fmt: str = FORMAT) -> None:
    """Make a case for every customer who ordered at the wrong price in the window."""
    from sagwa.services import desk

    _config, db, _policy = _context()
    summary = desk.scope(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                         actor=actor)
    _print({"incident_id": incident_id, **summary}, fmt, "incident scoped")


@app.command()
@exits_cleanly
def plan(
    incident_id: int,
    option: list[str] = typer.Option(..., "--option", help="keep, cancel_with_compensation, "
                                     "buy_at_correct_price_discount, talk_to_person (repeat)."),
    deadline: str = typer.Option(..., help="Answer deadline (ISO; KST if no zone)."),
    default: str = typer.Option("keep", help="If nobody answers: keep or follow_up_call."),
    seller_share: int = typer.Option(..., help="Seller's share of the cost, percent."),
    platform_share: int = typer.Option(..., help="Platform's share of the cost, percent."),
    compensation: int = typer.Option(None, help="Points with cancel_with_compensation."),
    discount: int = typer.Option(None, help="Percent off the correct price."),
    keep_max_units: int = typer.Option(None, help="Units a customer may keep at the price paid."),
    accept_late: bool = typer.Option(False, help="Accept choices after the deadline."),
    actor: str = ACTOR, fmt: str = FORMAT,
) -> None:
    """Decide the options, deadline, default and cost split (before notifying)."""
    from sagwa.services import desk

    _config, db, policy = _context()
    decided = desk.plan(
        SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id, options=option,
        deadline=parse_time(deadline, "deadline"), default=default,
        seller_share_pct=seller_share, platform_share_pct=platform_share, actor=actor,
        policy=policy, cancel_compensation=Money(compensation, "KRW") if compensation else None,
        discount_pct=discount, keep_max_units=keep_max_units, accept_late_choices=accept_late)
    _print({"incident_id": incident_id, "options": sorted(o.value for o in decided.options),
            "deadline": decided.deadline.astimezone(SEOUL).isoformat(),
            "default": decided.default.value}, fmt, "incident planned")


@app.command()
@exits_cleanly
def notify(incident_id: int, actor: str = ACTOR, fmt: str = FORMAT) -> None:
    """Queue the apology to every affected customer, inside contact hours."""
    from sagwa.services.desk_notify import LinkMaker
    from sagwa.services.desk_notify import notify as notify_customers

    config, db, policy = _context()
    summary = notify_customers(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                               actor=actor, policy=policy,
                               links=LinkMaker(config.secret_key, config.public_base_url))
    _print({"incident_id": incident_id, "cases": summary.cases, "messages": summary.messages,
            "send_at": summary.send_at.astimezone(SEOUL).isoformat()}, fmt, "customers notified")


@app.command()
@exits_cleanly
def status(incident_id: int, fmt: str = FORMAT) -> None:
    """Where the incident stands: cases, choices, messages, SLA clocks."""
    from sagwa.services.desk_status import incident_status

    _config, db, policy = _context()
    view = incident_status(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                           policy=policy)
    _print(view.as_dict(), fmt, f"incident {incident_id}")


@app.command()
@exits_cleanly
def notice(
    incident_id: int,
    lang: str = typer.Option("ko", help="ko or en."),
    file: Path = typer.Option(None, help="Notice text: first line the title, then the body. "
                              "Without it, the template draft is published."),
    actor: str = ACTOR, fmt: str = FORMAT,
) -> None:
    """Publish (a new version of) the public notice; refused if the message check fails."""
    from sagwa.services import notices

    _config, db, policy = _context()
    if file is None:
        title, body = notices.draft_notice(SqlAlchemyUnitOfWork(db.session_factory),
                                           incident_id=incident_id, lang=lang, policy=policy)
    else:
        try:
            title, _, body = file.read_text(encoding="utf-8").partition("\n")
        except OSError as exc:
            raise InvalidInput(f"cannot read {file}: {exc.strerror}", field="file") from None
    row = notices.publish_notice(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                                 lang=lang, title=title, body=body, actor=actor)
    _print({"incident_id": incident_id, "notice_id": row.id, "lang": lang,
            "version": row.version}, fmt, "notice published")


@app.command()
@exits_cleanly
def report(
    incident_id: int,
    out: Path = typer.Option(Path("reports"), help="Where to write the Markdown postmortem and chart."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Print the timeline and SLA figures; write a Markdown postmortem with a PNG chart."""
    from sagwa.services.desk_report import build_report, write_postmortem

    _config, db, policy = _context()
    built = build_report(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                         policy=policy)
    markdown, chart = write_postmortem(built, out)
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
    _print(built.figures, "table", "SLA figures")
    console.print(f"postmortem: {markdown}" + (f", chart: {chart}" if chart else ""))
