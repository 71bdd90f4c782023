"""``sagwa incident follow-ups``: the customers who owe a discount's difference long enough
that an agent should call (``services.difference_follow_ups``; the same list as the call queue
page and ``GET /api/difference-follow-ups``).

A plain function; ``cli/incident.py`` registers it on the ``sagwa incident`` app. It prints
customers' names and numbers: an access record (``cli.access_recording``).
"""

from __future__ import annotations

import json

from rich.markup import escape
from rich.table import Table

from sagwa.cli.access_recording import command_what, record_command
from sagwa.cli.actors import ACTOR, acting_account
from sagwa.cli.context import console, exits_cleanly
from sagwa.cli.incident_options import FORMAT, TableOrJson, desk_context
from sagwa.cli.numbers import number_option
from sagwa.domain.access_records import AccessAction
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import format_money
from sagwa.services.difference_follow_ups import MAX_LIMIT, FollowUp, FollowUps, follow_ups_due
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@exits_cleanly
def follow_ups(
    limit: int = number_option(50, min=1, max=MAX_LIMIT, help="How many, longest due first."),
    fmt: TableOrJson = FORMAT,
    actor: str = ACTOR,
) -> None:
    """List the customers who chose to buy at the discounted correct price, have not paid the
    difference and are due a call (\\[difference] follow_up_after_days after the choice; after
    a contact, as its outcome says): every incident, closed ones too, those who asked to be
    called back first. They may pay, ask for more time, or cancel instead where the plan
    offers a cancellation."""
    with desk_context() as (_config, db, policy):
        account = acting_account(db.session_factory, actor, command="incident follow-ups")
        found = follow_ups_due(SqlAlchemyUnitOfWork(db.session_factory), policy, limit=limit)
        record_command(db, account, AccessAction.VIEW,
                       command_what("incident follow-ups", ("--limit", limit),
                                    ("--format", fmt.value)),
                       cases=[f.owing.case_id for f in found.items])
    if fmt == "json":
        print(json.dumps(found.as_dict(), ensure_ascii=False))
        return
    console.print(follow_ups_text(found) if not found.items else follow_ups_table(found))
    if found.more:
        console.print(f"showing the {len(found.items)} due longest; --limit shows more")


def follow_ups_text(found: FollowUps) -> str:
    """What an empty list says: none due, or the policy keeps no list."""
    if not found.enabled:
        return ("the desk policy keeps no follow-up list "
                "(\\[difference] follow_up_after_days = 0)")
    return "no unpaid difference to follow up now"


def follow_ups_table(found: FollowUps) -> Table:
    table = Table(title="differences to follow up (times in Asia/Seoul)")
    for column in ("case", "incident", "customer", "phone", "owed", "chosen", "due since",
                   "reminder", "last contact", "may cancel instead"):
        table.add_column(column)
    for f in found.items:
        table.add_row(*_row(f))
    return table


def _row(f: FollowUp) -> list[str]:
    o, r = f.owing, f.reminder
    reminder = "none" if r is None else (
        f"sent {r.sent_at.astimezone(SEOUL):%m-%d %H:%M} ({r.channel})"
        if r.status == "sent" and r.sent_at else f"{r.status} ({r.channel})")
    last = "none since the choice" if o.last_contact_at is None else (
        f"{o.last_contact_at.astimezone(SEOUL):%m-%d %H:%M} {o.last_channel} {o.last_outcome}"
        f" ({o.contacts} since the choice)")
    incident = f"#{o.incident_id}" + (" (closed)" if o.incident_status == "closed" else "")
    chosen = f"{o.chosen_at.astimezone(SEOUL):%Y-%m-%d %H:%M} ({f.days_waiting} days)"
    due = f"{f.due_at.astimezone(SEOUL):%Y-%m-%d %H:%M}" + (" (call back)" if f.callback else "")
    # names and numbers are the customers' own: printed as they are, never read as markup
    return [f"#{o.case_id}", incident, escape(o.customer_name), escape(o.phone or "—"),
            format_money(f.difference), chosen, due, reminder, escape(last),
            "yes" if f.may_cancel_instead else "no"]
