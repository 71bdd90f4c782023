"""``sagwa incident`` commands that take an incident through its life: declare it, scope its
cases, plan the options, notify the customers, close it.

Each is a plain function; ``cli/incident.py`` registers it on the ``sagwa incident`` app.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer

from sagwa.cli.access_recording import command_record, command_what, record_command
from sagwa.cli.actors import ACTOR, acting, recorded_actor
from sagwa.cli.context import err_console, exits_cleanly
from sagwa.cli.dates import parse_time
from sagwa.cli.incident_format import SEOUL, durations_in_words, print_result
from sagwa.cli.incident_options import (
    FORMAT,
    IncidentId,
    TableOrJson,
    command_links,
    desk_context,
)
from sagwa.cli.numbers import number_option, whole_number
from sagwa.domain.access_records import AccessAction
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.money import Money, format_money
from sagwa.errors import InvalidInput
from sagwa.services.apology_preview import apology_preview
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


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
    correct_price_confirmed: bool = typer.Option(
        False, "--correct-price-confirmed",
        help="The correct price is right although it is more than twice every price the "
             "listings sold at before and their list prices, or less than half the lowest price "
             "they sold at (recorded on the audit log)."),
    actor: str = ACTOR, fmt: TableOrJson = FORMAT,
) -> None:
    """Declare an incident; its listings are paused at once."""
    from sagwa.services import desk

    with desk_context() as (config, db, _policy):
        actor = recorded_actor(db.session_factory, actor, command="incident declare")
        # the sellers' email links to their page, at the customers' links' address
        links = command_links(config)
        row = desk.declare(
            SqlAlchemyUnitOfWork(db.session_factory), listing_ids=listing,
            wrong_price=Money(wrong_price, currency), correct_price=Money(correct_price, currency),
            window_start=parse_time(window_start, "window_start"),
            window_end=parse_time(window_end, "window_end") if window_end else None,
            cause=cause, responsible=responsible, actor=actor, incident_id=draft, links=links,
            correct_price_confirmed=correct_price_confirmed)
    print_result({"incident_id": row.incident.incident_id, "status": row.incident.status.value,
            "paused_listings": sorted(row.incident.listing_ids)}, fmt, "incident declared")


@exits_cleanly
def scope(incident_id: IncidentId, actor: str = ACTOR,
          fmt: TableOrJson = FORMAT) -> None:
    """Make a case for every customer who ordered at the wrong price in the window."""
    from sagwa.services import desk

    with desk_context() as (_config, db, _policy):
        account, actor = acting(db.session_factory, actor, command="incident scope")
        summary = desk.scope(step_work(db, account, "scope", incident_id),
                             incident_id=incident_id, actor=actor)
    print_result({"incident_id": incident_id, **summary}, fmt, "incident scoped")


@exits_cleanly
def plan(
    incident_id: IncidentId,
    option: Annotated[list[str], typer.Option(
        "--option", help="An option to offer (repeat; the list is above).")],
    deadline: str = typer.Option(..., help="Answer deadline (ISO; KST if no zone)."),
    default: str = typer.Option(
        "keep", help="If nobody answers: keep (only with --option keep) or follow_up_call."),
    seller_share: int = number_option(..., percent=True, help=(
        "Seller's share of the compensation (points), percent; rounded down to the won for "
        "each case, the platform pays the rest.")),
    platform_share: int = number_option(..., percent=True, help=(
        "Platform's share of the compensation (points), percent.")),
    compensation: int = number_option(None, help="Points offered with cancelling."),
    discount: int = number_option(None, percent=True,
                                   help="Percent off the correct price (1 to 99)."),
    keep_max_units: int = number_option(None,
                                        help="Units a customer may keep at the price paid."),
    accept_late: bool = typer.Option(False, help="Accept choices after the deadline."),
    actor: str = ACTOR, fmt: TableOrJson = FORMAT,
) -> None:
    """Decide the options, deadline, default and compensation (points) split (before notifying).

    Offer at least two of these options, one --option each:

    - keep: keep the order at the price paid (at most --keep-max-units units)
    - cancel_with_compensation: full refund plus --compensation points
    - buy_at_correct_price_discount: buy at the correct price, --discount percent off
    - talk_to_person: a person calls the customer
    """
    from sagwa.priceguard import load_rules
    from sagwa.services import desk

    with desk_context() as (config, db, policy), durations_in_words():
        actor = recorded_actor(db.session_factory, actor, command="incident plan")
        decided = desk.plan(
            SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id, options=option,
            deadline=parse_time(deadline, "deadline"), default=default,
            seller_share_pct=seller_share, platform_share_pct=platform_share, actor=actor,
            policy=policy,
            cancel_compensation=Money(compensation, "KRW") if compensation is not None else None,
            discount_pct=discount, keep_max_units=keep_max_units,
            accept_late_choices=accept_late, price_rules=load_rules(config.guard_rules))
    print_result({"incident_id": incident_id, "options": sorted(o.value for o in decided.options),
            "deadline": decided.deadline.astimezone(SEOUL),
            "default": decided.default.value}, fmt, "incident planned")


PREVIEW = typer.Option(False, "--preview", help=(
    "Print the apology as customers will get it (one customer per language, their contact "
    "details and link masked) and how many customers and messages notifying would queue; "
    "send nothing."))


@exits_cleanly
def notify(incident_id: IncidentId, actor: str = ACTOR,
           fmt: TableOrJson = FORMAT, preview: bool = PREVIEW) -> None:
    """Queue the apology to every affected customer, inside contact hours.

    The links in it use SAGWA_PUBLIC_BASE_URL; when that is not set, a sagwa server must answer
    at http://SAGWA_HOST:SAGWA_PORT, or nothing is queued. With --preview, read it first:
    nothing is queued."""
    from sagwa.cli.public_links import check_public_links
    from sagwa.services.desk_notify import LinkMaker
    from sagwa.services.desk_notify import notify as notify_customers

    with desk_context() as (config, db, policy):
        account, actor = acting(db.session_factory, actor, command="incident notify")
        if preview:  # nothing goes out: no server need answer at the links' address
            print_notify_preview(config, db, policy, incident_id, fmt, account)
            return
        # a server started with another --port does not change what the CLI knows: links to a
        # derived address nobody serves would reach no customer, so check before queuing
        links_to = check_public_links(config.public_base_url,
                                      configured=config.public_base_url_configured)
        summary = notify_customers(
            step_work(db, account, "notify", incident_id), incident_id=incident_id,
            actor=actor, policy=policy, links=LinkMaker(config.secret_key, links_to))
    print_result({"incident_id": incident_id, "cases": summary.cases, "messages": summary.messages,
            "send_at": summary.send_at.astimezone(SEOUL),
            "links_to": links_to}, fmt, "customers notified")


def step_work(db: Any, account: Any, step: str, incident_id: int) -> SqlAlchemyUnitOfWork:
    """The unit of work of an incident's step that changes its cases: the command's change
    record, naming every case of the incident (and their customers) as the step leaves them,
    is written by the step's commit — both or neither (``services.access_records``)."""
    work = SqlAlchemyUnitOfWork(db.session_factory)
    work.record_with_commit(command_record(
        account, AccessAction.CHANGE, command_what(f"incident {step} {incident_id}"),
        incidents=[incident_id]))
    return work


def print_notify_preview(config: Any, db: Any, policy: Any, incident_id: int,
                         fmt: TableOrJson, account: Any = None) -> None:
    """``incident notify --preview``: the apologies as notifying would send them now, as the
    operator's incident page shows them (``apology_preview``); nothing is queued, but the
    customers shown (a name each) are an access record. A refusal notifying would meet (a
    wording, a deadline too close) is raised as it would be."""
    found = apology_preview(SqlAlchemyUnitOfWork(db.session_factory), incident_id=incident_id,
                            policy=policy, links=command_links(config))
    if found.problem is not None:
        raise found.problem
    record_command(db, account, AccessAction.VIEW,
                   command_what(f"incident notify {incident_id}", ("--preview", True),
                                ("--format", fmt.value)),
                   cases=[shown.case_id for shown in found.shown])
    if fmt == "json":
        print_result({k: v for k, v in asdict(found).items() if k != "problem"}, fmt, "")
        return
    print(format_notify_preview(found))


def format_notify_preview(found: Any) -> str:
    """The preview as text: the counts and when they go, then each customer's messages."""
    when = found.send_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")
    lines = [(f"Notifying incident {found.incident_id} would send {found.messages} apology "
              f"message(s) to {found.customers} customer(s), from {when} (Korea time). "
              "Nothing was sent (--preview).")]
    for shown in found.shown:
        lines += ["", f"== {shown.lang} · {shown.name} (case {shown.case_id}) =="]
        for m in shown.messages:
            lines += ["", f"-- {m.channel} to {m.recipient}"]
            lines += [f"Subject: {m.subject}"] if m.subject else []
            lines.append(m.body)
    return "\n".join(lines)


@exits_cleanly
def close(
    incident_id: IncidentId,
    reason: Annotated[str, typer.Option(help="Why it is closed (kept on the audit log).")],
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Close an incident (every case answered or defaulted, calls owed made, notice
    published), or dismiss a draft as a false alarm: dismissing vouches for the listing's
    price (the tripwire leaves it alone until the price changes), so never dismiss a draft that
    was a real mistake — declare it."""
    from sagwa.services import desk

    if not reason.strip():
        raise InvalidInput("--reason must say why the incident is closed", field="reason",
                           reason="close_needs_reason")

    with desk_context() as (config, db, policy):
        account, actor = acting(db.session_factory, actor, command="incident close")
        # the sellers' closing email links to their page, at the customers' links' address
        links = command_links(config)
        with SqlAlchemyUnitOfWork(db.session_factory) as read:  # closed before: said below
            before = read.incidents.get(incident_id)
        was_closed = before is not None and before.incident.status is IncidentStatus.CLOSED
        row = desk.close(step_work(db, account, "close", incident_id), incident_id=incident_id,
                         actor=actor, reason=reason.strip(), policy=policy, links=links)
        owed, overdue, totals = refunds_still_owed(SqlAlchemyUnitOfWork(db.session_factory),
                                                   incident_id)
    said = ([{"currency": c, "amount_minor": m} for c, m in totals.items()] if fmt == "json"
            else ", ".join(format_money(Money(m, c)) for c, m in totals.items()) or "-")
    print_result({"incident_id": incident_id, "status": row.incident.status.value,
                  "refunds_owed": owed, "refunds_overdue": overdue,
                  "refunds_owed_totals": said, "changed": not was_closed}, fmt,
                 "incident closed" if not was_closed else "incident already closed")
    if was_closed:  # again: nothing changed, and the reason given now is not kept (a tester's
        # second reason vanished without a word)
        err_console.print(f"incident {incident_id} was closed already: nothing changed, and "
                          "this --reason was not recorded (the first close's stands)",
                          highlight=False)
    if fmt != "json" and owed:
        err_console.print(f"finance still owes {owed} refund{'s' if owed != 1 else ''} of it "
                          f"({overdue} overdue): `sagwa refunds list --incident {incident_id}`",
                          highlight=False)


def refunds_still_owed(uow: SqlAlchemyUnitOfWork,
                       incident_id: int) -> tuple[int, int, dict[str, int]]:
    """The refunds of ``incident_id`` still owed, those overdue, and what the owed come to per
    currency: a close is the desk's, the refunds are finance's (a finance walk saw an incident
    closed with one overdue, and no word of it)."""
    from sagwa.domain.refunds import RefundFilter
    from sagwa.services.refunds import list_refunds

    owed = list_refunds(uow, which=RefundFilter.OWED, limit=1, incident_id=incident_id)
    overdue = list_refunds(uow, which=RefundFilter.OVERDUE, limit=1, incident_id=incident_id)
    return owed.total, overdue.total, owed.amount_totals
