"""On real PostgreSQL, the order tripwire is for wrong (low) prices: a new listing at its list
price selling fast is left alone; an operator's dismissal of a tripwire draft vouches for the
listing at its price, so the same rush is not paused again; and the listing's "own rate so far"
counts the orders it actually had."""

from __future__ import annotations

from datetime import timedelta

import pytest
import test_tripwire_new_listing_db as new_listing
from test_tripwire_new_listing_db import _draft, _listing, _orders, _product, _publish, _status

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import ListingNotOrderable
from sagwa.services import desk, listings

shop = new_listing.shop  # the fixture: an iPod sold by three sellers, a newcomer, a case alone


def test_a_new_listing_at_its_list_price_is_not_paused_on_a_rush(shop) -> None:
    uow, clock, _, _, customers = shop
    shuffle = _listing(uow, _product(uow, "애플 아이팟 셔플 2세대"), "shuffleshop",
                       publish=True, price=199_000)  # the product's list price
    _orders(uow, clock, shuffle, customers, 10, timedelta(seconds=10))
    assert _status(uow, shuffle) is ListingStatus.LIVE
    with uow() as u:
        assert u.incidents.open_for_listing(shuffle) is None


def test_a_dismissed_draft_is_not_paused_again_at_the_same_price(shop) -> None:
    """The review's walk: five orders in a minute pause it, the operator dismisses the draft and
    resumes; the next five orders do not pause it again."""
    uow, clock, _, alone, customers = shop
    _publish(uow, alone)
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, alone, customers, 10, timedelta(seconds=10))
    draft, _ = _draft(uow, alone)
    desk.close(uow(), incident_id=draft.incident.incident_id, actor="admin:op",
               reason="a launch promotion, the price is right")
    clock.now += timedelta(minutes=5)
    listings.change_listing_status(uow(), listing_id=alone, trigger=ListingTrigger.RESUME,
                                   actor="admin:op")
    _orders(uow, clock, alone, customers, 10, timedelta(seconds=10))
    assert _status(uow, alone) is ListingStatus.LIVE
    with uow() as u:
        assert u.incidents.open_for_listing(alone) is None
        actions = [r.event.action for r in u.audit.for_entity("listing", str(alone))]
    assert actions[-2:] == ["listing.vouched", "listing.resume"]


def test_the_own_rate_so_far_counts_the_orders_before_a_return_to_sale(shop) -> None:
    """A new listing with no other seller sells three an hour for ten hours, is paused by its
    seller for an hour and resumed; a rush after that is compared with its own three an hour,
    not with the launch rate as if it had sold nothing."""
    uow, clock, _, alone, customers = shop
    _publish(uow, alone)
    _orders(uow, clock, alone, customers, 30, timedelta(minutes=20))
    for trigger in (ListingTrigger.PAUSE, ListingTrigger.RESUME):
        listings.change_listing_status(uow(), listing_id=alone, trigger=trigger,
                                       actor="seller:caseshop")
        clock.now += timedelta(hours=1)
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, alone, customers, 30, timedelta(minutes=1))
    draft, _ = _draft(uow, alone)
    evidence = draft.evidence
    assert evidence["compared_with"] == "own_short"
    assert evidence["expected_per_hour_x1000"] == 3000  # 30 orders in 10 h on sale
    assert "since the listing went back on sale" in evidence["reason_en"]
    assert "its own rate so far, 3.00/h" in evidence["reason_en"]


def test_a_dismissal_vouches_only_for_the_price_the_draft_was_about(shop) -> None:
    """Code review: the seller moved the paused listing to another price before the operator
    dismissed the draft; the vouch used to follow the listing's price at dismissal, so the new,
    never-judged price sold unpaused. Now no vouch is written, and the rush on it pauses."""
    uow, clock, _, alone, customers = shop
    _publish(uow, alone)
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, alone, customers, 10, timedelta(seconds=10))
    draft, _ = _draft(uow, alone)
    clock.now += timedelta(minutes=1)
    listings.propose_price_change(uow(), listing_id=alone, new_price=Money(99_000, "KRW"),
                                  proposed_by="seller:caseshop")
    desk.close(uow(), incident_id=draft.incident.incident_id, actor="admin:op",
               reason="a launch promotion, the price is right")
    with uow() as u:
        actions = [r.event.action for r in u.audit.for_entity("listing", str(alone))]
    assert "listing.vouched" not in actions
    clock.now += timedelta(minutes=5)
    listings.change_listing_status(uow(), listing_id=alone, trigger=ListingTrigger.RESUME,
                                   actor="admin:op")
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, alone, customers, 20, timedelta(seconds=10))
    assert _status(uow, alone) is ListingStatus.PAUSED
