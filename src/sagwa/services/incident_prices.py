"""Which incident, if any, is about a listing at a given price: the wrong price of an incident
about a listing (open, or closed after it was declared) is not set on that listing again
(``listings.check_not_an_incidents_wrong_price``, ``promotion_end``), as the listing is not
resumed at it (``listings._check_no_incident_holds_it``). Closing an incident settles its
customers, not the price. A draft dismissed as a false alarm vouched for its price instead."""

from __future__ import annotations

from collections.abc import Iterable

from sagwa.adapters.db.incident_repo import IncidentRow
from sagwa.domain.money import Money
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def incident_at(uow: SqlAlchemyUnitOfWork, listing_id: int, price: Money) -> int | None:
    """The incident about ``listing_id`` whose wrong price is ``price``, if any: an open one,
    or a closed one that was declared (``standing_for_listing``)."""
    found = wrong_price_among(uow.incidents.standing_for_listing(listing_id), price)
    return None if found is None else int(found.incident.incident_id)


def wrong_price_among(rows: Iterable[IncidentRow], price: Money) -> IncidentRow | None:
    """The first of a listing's standing incidents whose wrong price is ``price``."""
    return next((row for row in rows if row.incident.wrong_price == price), None)
