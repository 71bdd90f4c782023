"""Which open incident, if any, is about a listing at a given price: an open incident's wrong
price is not set on its listing again (``listings.check_not_an_open_incidents_wrong_price``,
``promotion_end``)."""

from __future__ import annotations

from sagwa.domain.money import Money
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def open_incident_at(uow: SqlAlchemyUnitOfWork, listing_id: int, price: Money) -> int | None:
    """The open incident about ``listing_id`` whose wrong price is ``price``, if any."""
    for incident_id in uow.incidents.all_open_for_listing(listing_id):
        row = uow.incidents.get(incident_id)
        if row is not None and row.incident.wrong_price == price:
            return int(incident_id)
    return None
