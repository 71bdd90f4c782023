"""``sagwa incident``: declare, scope, plan, notify, list, status (and notices) from a terminal.

Tables are for people (times in Asia/Seoul, durations in words); ``--format json`` is for
programs and keeps ISO 8601 times and stable keys.

This module makes the ``sagwa incident`` app and registers every command on it (``COMMANDS``).
The commands that show an incident (``status``, ``list``, ``report``) and publish its notice are
here; the others, and what they share, are in modules named for what they hold:

- ``incident_lifecycle``: declare, scope, plan, notify, close
- ``incident_differences``: difference-paid, cancel-instead
- ``incident_follow_ups``: follow-ups (the differences an agent should call about)
- ``incident_note_follow_ups``: note-follow-ups and resolve-follow-up (call notes marked
  "follow-up needed", and recording what was done)
- ``incident_price_block``: narrow-price-block (a closed incident's block, to its band)
- ``incident_sellers``: tell-sellers (email the sellers the orders they can send now)
- ``incident_options``: the option types and the desk a command works on (``cli/dates.py``:
  times and days read as Korea time)
- ``incident_format``: how the results read
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sagwa.cli.actors import ACTOR, recorded_actor
from sagwa.cli.context import console, exits_cleanly
from sagwa.cli.incident_differences import cancel_instead, difference_paid
from sagwa.cli.incident_follow_ups import follow_ups
from sagwa.cli.incident_format import (
    SEOUL,
    format_incident_table,
    format_status,
    print_result,
    print_rows,
)
from sagwa.cli.incident_lifecycle import close, declare, notify, plan, scope
from sagwa.cli.incident_note_follow_ups import note_follow_ups, resolve_note_follow_up
from sagwa.cli.incident_options import (
    FORMAT,
    REPORTS_DIR,
    IncidentId,
    TableOrJson,
    TextOrJson,
    desk_context,
)
from sagwa.cli.incident_price_block import narrow_price_block
from sagwa.cli.incident_sellers import tell_sellers
from sagwa.cli.numbers import number_option
from sagwa.errors import InvalidInput
from sagwa.services.desk_status import incident_summaries
from sagwa.services.listing_names import listing_names
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

app = typer.Typer(help="Incident desk: resolve orders placed at a wrong price, fairly.",
                  no_args_is_help=True)


@exits_cleanly
def status(incident_id: IncidentId, fmt: TableOrJson = FORMAT) -> None:
    """Where the incident stands: cases, choices, messages, SLA clocks, differences owed."""
    from sagwa.services.desk_status import incident_status

    with desk_context() as (_config, db, policy):
        view = incident_status(SqlAlchemyUnitOfWork(db.session_factory),
                               incident_id=incident_id, policy=policy)
    if fmt == "json":
        print_result(view.as_dict(), fmt, "")
        return
    print_rows(format_status(view), f"incident {incident_id} (times in Asia/Seoul)")


@exits_cleanly
def list_incidents(
    limit: int = number_option(50, min=1, max=1000, help="How many, newest first."),
    offset: int = number_option(0, min=0, help="Skip this many of the newest."),
    fmt: TableOrJson = FORMAT,
) -> None:
    """List incidents, newest first: their ids, prices, cases, answers and the differences
    customers still owe (closed incidents too)."""
    with desk_context() as (_config, db, _policy):
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


@exits_cleanly
def notice(
    incident_id: IncidentId,
    lang: str = typer.Option("ko", help="ko or en."),
    file: Annotated[Path | None, typer.Option(
        help="Notice text: first line the title, then the body. "
             "Without it, the template draft is published.")] = None,
    actor: str = ACTOR, fmt: TableOrJson = FORMAT,
    opened_against: int | None = number_option(
        None, "--opened-against", min=0,
        help="The latest version in this language you read (0: none yet); refused, nothing "
             "published, if a newer one was published since. Without it, not checked."),
) -> None:
    """Publish (a new version of) the public notice; refused if the message check fails, or
    (``--opened-against``) if someone published a version newer than the one you read."""
    from sagwa.services import notices

    with desk_context() as (_config, db, policy):
        actor = recorded_actor(db.session_factory, actor, command="incident notice")
        if file is None:
            title, body = notices.draft_notice(SqlAlchemyUnitOfWork(db.session_factory),
                                               incident_id=incident_id, lang=lang, policy=policy)
        else:
            title, body = read_notice_file(file)
        row = notices.publish_notice(SqlAlchemyUnitOfWork(db.session_factory),
                                     incident_id=incident_id, lang=lang, title=title, body=body,
                                     actor=actor, opened_against=opened_against)
    print_result({"incident_id": incident_id, "notice_id": row.id, "lang": lang,
            "version": row.version}, fmt, "notice published")


@exits_cleanly
def report(
    incident_id: IncidentId,
    out: Annotated[Path | None, typer.Option(
        help="Where to write the Markdown postmortem and chart (default: the data "
             "directory's reports/, e.g. .sagwa/reports, not the folder you run it from).")
    ] = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
) -> None:
    """Print the timeline and SLA figures; write a Markdown postmortem with a PNG chart."""
    from sagwa.services.desk_report import build_report, figure_rows, write_postmortem

    with desk_context() as (config, db, policy):
        built = build_report(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                             policy=policy)
    # run from a checkout, a relative "reports" landed in the working tree
    out = out if out is not None else Path(config.data_dir) / REPORTS_DIR
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
    print_rows(figure_rows(built.figures, cancel_points=built.cancel_points), "SLA figures")
    console.print(f"postmortem: {markdown}" + (f", chart: {chart}" if chart else ""))


#: Every ``sagwa incident`` command and the function behind it, in the order ``--help`` lists
#: them. A command written in a module of its own is imported above and added here.
COMMANDS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("declare", declare), ("scope", scope), ("plan", plan), ("notify", notify),
    ("close", close), ("difference-paid", difference_paid), ("cancel-instead", cancel_instead),
    ("follow-ups", follow_ups), ("status", status), ("list", list_incidents), ("notice", notice), ("report", report),
    ("narrow-price-block", narrow_price_block), ("note-follow-ups", note_follow_ups),
    ("resolve-follow-up", resolve_note_follow_up), ("tell-sellers", tell_sellers),
)
for _name, _command in COMMANDS:
    app.command(_name)(_command)
