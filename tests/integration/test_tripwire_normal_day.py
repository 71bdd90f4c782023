"""The order tripwire on a listing with a steady history: a normal day after a price change,
at the listing's usual rate and well past ``min_orders``, is left alone; a real surge is paused.

Here the verdict rests on the statistics, not on the minimum count: the normal day has many more
than ``min_orders`` orders, so it stays live only because they arrive at the rate expected.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_price_review import ipod_market

from sagwa.domain.listings import ListingStatus
from sagwa.domain.money import Money
from sagwa.errors import ListingNotOrderable
from sagwa.priceguard import VelocityRules
from sagwa.services import catalog, listings, orders

KRW = "KRW"
HOUR = timedelta(hours=1)
HISTORY_DAYS = 14
NORMAL_DAY_HOURS = 16


@pytest.fixture
def steady(session_factory):
    """The iPod nano market; listing 0 has sold one an hour, every hour, for two weeks, then its
    price is cut to 189,000 KRW (below the list price: a rush there could be a mistake, so the
    tripwire watches it)."""
    uow, clock, ids, _ = ipod_market(session_factory)
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(40)]
    listing = ids[0]
    _orders(uow, clock, listing, customers, HISTORY_DAYS * 24, HOUR)
    clock.now += timedelta(minutes=30)
    listings.propose_price_change(uow(), listing_id=listing, new_price=Money(189_000, KRW),
                                  proposed_by="seller:0")
    return uow, clock, listing, customers


def _orders(uow, clock, listing_id, customers, count, every):
    for n in range(count):
        clock.now += every
        orders.place_order(uow(), customer_id=customers[n % len(customers)],
                           listing_id=listing_id, quantity=1, actor="t")


def _status(uow, listing_id) -> ListingStatus:
    with uow() as u:
        return u.market.listing(listing_id).status


def test_a_normal_day_at_the_usual_rate_is_not_paused(steady) -> None:
    """Sixteen orders in sixteen hours after the change, one an hour as always: three times
    ``min_orders``, and exactly what the history expects."""
    uow, clock, listing, customers = steady
    assert NORMAL_DAY_HOURS >= 3 * VelocityRules().min_orders
    _orders(uow, clock, listing, customers, NORMAL_DAY_HOURS, HOUR)
    assert _status(uow, listing) is ListingStatus.LIVE
    with uow() as u:
        assert u.incidents.open_for_listing(listing) is None
        actions = [r.event.action for r in u.audit.for_entity("listing", str(listing))]
    assert "listing.paused_by_tripwire" not in actions


def test_a_surge_on_the_same_listing_is_paused(steady) -> None:
    """Twelve orders in the first hour after the change, twelve times the usual rate."""
    uow, clock, listing, customers = steady
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing, customers, 12, timedelta(minutes=5))
    assert _status(uow, listing) is ListingStatus.PAUSED
    with uow() as u:
        pause = u.audit.for_entity("listing", str(listing))[-1].event
        assert u.incidents.open_for_listing(listing) is not None
    assert pause.action == "listing.paused_by_tripwire"
    assert pause.after["compared_with"] == "own"
    assert 900 <= pause.after["expected_per_hour_x1000"] <= 1_100  # one an hour, as sold
    assert VelocityRules().min_orders <= pause.after["observed"] < 12
