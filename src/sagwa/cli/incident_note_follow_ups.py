"""``sagwa incident note-follow-ups`` and ``resolve-follow-up``: the call notes an agent marked
"follow-up needed" that nobody has resolved yet (``services.desk_follow_ups``; the same list as
the call queue page and ``GET /api/follow-ups``), and recording what was done about one.

Plain functions; ``cli/incident.py`` registers them on the ``sagwa incident`` app. The list
prints customers' names and numbers: an access record (``cli.access_recording``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from sagwa.cli.access_recording import command_what, record_command
from sagwa.cli.actors import ACTOR, acting_account, recorded_actor
from sagwa.cli.context import console, exits_cleanly
from sagwa.cli.incident_format import print_result
from sagwa.cli.incident_options import FORMAT, TableOrJson, desk_context
from sagwa.cli.numbers import number_argument, number_option
from sagwa.domain.access_records import AccessAction
from sagwa.domain.moments import SEOUL
from sagwa.services.desk_follow_ups import FollowUpList, read_follow_up_list, resolve_follow_up
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@exits_cleanly
def note_follow_ups(
    limit: int = number_option(50, min=1, max=200, help="How many, longest due first."),
    fmt: TableOrJson = FORMAT,
    actor: str = ACTOR,
) -> None:
    """List the call notes marked "follow-up needed" that nobody has resolved: those due first
    (the longest due at the top), then those waiting for their time. Every incident, closed
    ones too."""
    with desk_context() as (_config, db, _policy):
        account = acting_account(db.session_factory, actor, command="incident note-follow-ups")
        found = read_follow_up_list(SqlAlchemyUnitOfWork(db.session_factory), limit=limit)
        record_command(db, account, AccessAction.VIEW,
                       command_what("incident note-follow-ups", ("--limit", limit),
                                    ("--format", fmt.value)),
                       cases=[i.follow_up.case_id for i in found.items])
    if fmt == "json":
        print(json.dumps(follow_ups_json(found), ensure_ascii=False))
        return
    if not found.items:
        console.print("no note needs a follow-up")
        return
    console.print(follow_ups_table(found))
    if found.more:
        console.print(f"showing {len(found.items)} of {found.open_count}; --limit shows more")


def follow_ups_json(found: FollowUpList) -> dict[str, Any]:
    return {"open": found.open_count, "items": [{
        "id": i.follow_up.follow_up_id, "case_id": i.follow_up.case_id,
        "incident_id": i.incident_id, "attempt_id": i.follow_up.attempt_id,
        "note": i.follow_up.note, "asked_by": i.follow_up.asked_by,
        "asked_at": i.follow_up.asked_at.isoformat(),
        "due_at": i.follow_up.due_at.isoformat() if i.follow_up.due_at else None,
        "due": i.follow_up.due(found.now)} for i in found.items]}


def follow_ups_table(found: FollowUpList) -> Table:
    table = Table(title="notes needing follow-up (times in Asia/Seoul)")
    for column in ("follow-up", "case", "customer", "phone", "note", "written", "due"):
        table.add_column(column)
    for i in found.items:
        f = i.follow_up
        due = ("now" if f.due(found.now) else "") + (
            f" {'since' if f.due(found.now) else 'from'} {f.due_at.astimezone(SEOUL):%m-%d %H:%M}"
            if f.due_at else "")
        # notes, names and numbers are people's own words: printed as they are, never markup
        table.add_row(str(f.follow_up_id), f"#{f.case_id}", escape(i.customer_name),
                      escape(i.phone or "—"), escape(f.note),
                      f"{escape(f.asked_by)} {f.asked_at.astimezone(SEOUL):%m-%d %H:%M}",
                      due.strip())
    return table


@exits_cleanly
def resolve_note_follow_up(
    case_id: Annotated[int, number_argument()],
    follow_up_id: Annotated[int, number_argument()],
    outcome: Annotated[str, typer.Option(help="What was done, and how the customer was told.")],
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Record what was done about a note's follow-up: it leaves the follow-up list. Once;
    again changes nothing (the first outcome stands)."""
    with desk_context() as (_config, db, _policy):
        actor = recorded_actor(db.session_factory, actor, command="incident resolve-follow-up")
        done = resolve_follow_up(SqlAlchemyUnitOfWork(db.session_factory), case_id=case_id,
                                 follow_up_id=follow_up_id, actor=actor, outcome=outcome)
    print_result(done.as_dict(), fmt, "follow-up resolved" if done.changed
                 else "already resolved; nothing changed (the first outcome stands)")
