"""``sagwa incident tell-sellers``: email each seller the orders of theirs that became ones to
send (a customer kept theirs, the deadline's keep default), now rather than at the worker's
next half hour (``services.seller_ready_notices``; each order is listed once, whoever runs it)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from sagwa.cli.actors import ACTOR, acting
from sagwa.cli.context import console, exits_cleanly
from sagwa.cli.incident_format import print_result
from sagwa.cli.incident_options import FORMAT, TableOrJson, command_links, desk_context
from sagwa.cli.numbers import number_option
from sagwa.domain.incidents import IncidentStatus
from sagwa.errors import NotFound
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@exits_cleanly
def tell_sellers(
    incident: int | None = number_option(
        None, "--incident", min=1,
        help="Only this incident (default: every incident still notifying)."),
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Email each seller the orders of theirs that can be sent now and no email listed yet
    (the worker does it every 30 minutes). Sellers without a contact address have their page
    only; a closed incident's sellers had the closing email."""
    from sagwa.services.seller_ready_notices import tell_sellers_ready

    with desk_context() as (config, db, policy):
        _account, actor = acting(db.session_factory, actor, command="incident tell-sellers")
        status = None if incident is None else _status(db, incident)
        told = tell_sellers_ready(lambda: SqlAlchemyUnitOfWork(db.session_factory), actor=actor,
                                  policy=policy, links=command_links(config),
                                  incident_ids=None if incident is None else [incident])
    if fmt == "json":
        print_result({"emails": [t.as_dict() for t in told]}, "json", "")
        return
    if not told and status not in (None, IncidentStatus.NOTIFYING):
        console.print(f"incident {incident} is {status.value}: its sellers are emailed the "
                      "orders to send while its customers are asked"
                      + (" (at close, the closing email said what to do with each order)"
                         if status is IncidentStatus.CLOSED else ""), highlight=False)
        return
    if not told:
        console.print("no seller had new orders to send", highlight=False)
        return
    table = Table(title="sellers emailed the orders they can send now")
    for column in ("incident", "seller", "orders", "items"):
        table.add_column(column, justify="right" if column != "seller" else "left")
    for t in told:
        table.add_row(str(t.incident_id), f"{t.seller_name} (#{t.seller_id})", f"{len(t.orders):,}",
                      f"{t.units:,}")
    console.print(table)


def _status(db: Any, incident_id: int) -> IncidentStatus:
    """The incident's status, or NotFound (``unknown_id``) for an id that names none."""
    with SqlAlchemyUnitOfWork(db.session_factory) as uow:
        found = uow.incidents.get(incident_id)
    if found is None:
        raise NotFound(f"incident {incident_id} not found", kind="incident", id=incident_id,
                       reason="unknown_id")
    return found.incident.status
