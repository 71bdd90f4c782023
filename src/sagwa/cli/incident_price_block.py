"""``sagwa incident narrow-price-block``: after a gross mistake (10,000 KRW for a correct
100,000), every price past the band around the wrong price is refused on the product with no
end; an operator narrows a closed incident's block to the band itself
(``services.incident_prices.narrow_price_block``). ``cli/incident.py`` registers it."""

from __future__ import annotations

from typing import Annotated

import typer

from sagwa.cli.actors import ACTOR, recorded_actor
from sagwa.cli.context import exits_cleanly
from sagwa.cli.incident_format import print_result
from sagwa.cli.incident_options import FORMAT, IncidentId, TableOrJson, desk_context
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@exits_cleanly
def narrow_price_block(
    incident_id: IncidentId,
    reason: Annotated[str, typer.Option(
        help="Why prices past the band may be set again (kept on the audit log).")],
    actor: str = ACTOR,
    fmt: TableOrJson = FORMAT,
) -> None:
    """Let prices past a closed incident's wrong-price band be set again on its product (the
    wrong price and prices close to it stay refused for good)."""
    from sagwa.services.incident_prices import narrow_price_block as narrow

    with desk_context() as (_config, db, _policy):
        actor = recorded_actor(db.session_factory, actor, command="incident narrow-price-block")
        done = narrow(SqlAlchemyUnitOfWork(db.session_factory),
                      incident_id=incident_id, actor=actor, reason=reason)
    print_result({"incident_id": incident_id, "narrowed": done.narrowed,
                  "refused_low": done.band.low.as_dict(), "refused_high": done.band.high.as_dict(),
                  "band_only_at": done.row.band_only_at}, fmt,
                 "price block narrowed to the band" if done.narrowed else
                 "price block was narrowed already")
