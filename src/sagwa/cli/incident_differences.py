"""``sagwa incident`` commands for the difference a customer owes after choosing to buy at the
discounted correct price: ``difference-paid`` records that they paid it, ``cancel-instead``
cancels their orders with compensation instead.

Each is a plain function; ``cli/incident.py`` registers it on the ``sagwa incident`` app.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sagwa.cli.actors import ACTOR, recorded_actor
from sagwa.cli.context import exits_cleanly
from sagwa.cli.incident_format import print_result
from sagwa.cli.incident_options import FORMAT, TableOrJson, command_links, desk_context
from sagwa.cli.numbers import number_argument
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@exits_cleanly
def difference_paid(
    case_id: Annotated[int, number_argument()],
    note: Annotated[str, typer.Option(help="How it was paid: a receipt number, a transfer's "
                                           "reference, or who took the payment.")],
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Record that a customer paid the difference their discount choice left to pay (paid
    to the customer centre: sagwa takes no payment). Once per case; again changes nothing,
    and a different note then is not recorded (the title says so; the first note stands)."""
    from sagwa.services.desk_difference import record_difference_paid

    with desk_context() as (config, db, policy):
        actor = recorded_actor(db.session_factory, actor, command="incident difference-paid")
        # the sellers' email links to their page, at the customers' links' address (as declaring)
        links = command_links(config)
        recorded = record_difference_paid(SqlAlchemyUnitOfWork(db.session_factory),
                                          case_id=case_id, actor=actor, note=note, policy=policy,
                                          links=links)
    print_result(recorded.as_dict(), fmt, difference_paid_title(recorded.changed,
                                                                recorded.note_recorded))


def difference_paid_title(changed: bool, note_recorded: bool) -> str:
    """The table's title of ``difference-paid``: recorded now, or before (saying when the note
    given this time was not kept: the one on record stands)."""
    if changed:
        return "difference recorded as paid"
    if not note_recorded:
        return ("already recorded as paid; nothing changed — the note you gave was NOT "
                "recorded: the note on record below stands")
    return "already recorded as paid; nothing changed"


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

    with desk_context() as (config, db, policy):
        actor = recorded_actor(db.session_factory, actor, command="incident cancel-instead")
        links = command_links(config)
        done = cancel_instead_of_paying(SqlAlchemyUnitOfWork(db.session_factory),
                                        case_id=case_id, channel=channel, evidence=evidence,
                                        taken_by=actor, policy=policy, links=links)
    print_result(done.as_dict(), fmt, "cancelled instead of paying the difference"
                 if done.changed else "already cancelled instead; nothing changed")
