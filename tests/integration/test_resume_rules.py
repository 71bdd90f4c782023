"""A listing paused in an open incident goes back on sale only when it is safe: not while a
draft incident (the order tripwire's) waits for an operator, not at the incident's wrong price;
after the price is corrected, or the draft dismissed, it may."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from test_desk_declare import RIGHT, WRONG, market  # noqa: F401  (market is the fixture)

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.errors import Conflict
from sagwa.services import desk, listings

SEOUL = ZoneInfo("Asia/Seoul")


def _resume(uow, listing_id: int):
    return listings.change_listing_status(uow(), listing_id=listing_id,
                                          trigger=ListingTrigger.RESUME, actor="seller:s")


def test_a_listing_is_not_resumed_at_a_declared_incidents_wrong_price(market) -> None:  # noqa: F811
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    incident = desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, correct_price=RIGHT,
                            cause="90% event as the price", responsible="seller", actor="op",
                            window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)).incident
    with pytest.raises(Conflict) as refused:
        _resume(uow, first)
    assert refused.value.details["reason"] == "listing_at_wrong_price"
    assert refused.value.details["incident_id"] == incident.incident_id
    with uow() as u:
        assert u.market.listing(first).status is ListingStatus.PAUSED
    listings.propose_price_change(uow(), listing_id=first, new_price=RIGHT, proposed_by="s")
    assert _resume(uow, first).status is ListingStatus.LIVE


def test_a_listing_paused_by_a_draft_waits_for_the_operator(market) -> None:  # noqa: F811
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    with uow() as u:
        listing = u.market.listing(first)
        u.market.save_listing(listing.__class__(**{**listing.__dict__,
                                                   "status": ListingStatus.PAUSED}), u.now())
        draft = desk.open_draft_incident(u, listing=listing, cause="order surge", evidence={},
                                         window_start=clock.now, actor="system:tripwire")
        u.commit()
    with pytest.raises(Conflict) as refused:
        _resume(uow, first)
    assert refused.value.details["reason"] == "listing_in_draft_incident"
    assert refused.value.details["incident_id"] == draft
    desk.close(uow(), incident_id=draft, actor="operator:lee", reason="a real sale")  # dismiss
    assert _resume(uow, first).status is ListingStatus.LIVE
