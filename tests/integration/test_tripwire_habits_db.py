"""The order tripwire on real PostgreSQL, for the ways a review found it blind or jumpy: a price
changed while paused and sold days later; a few orders for many units; a seller nudging the
price during a rush; a popular listing's usual evening; a declared promotion selling well. And
the draft incident's evidence names the price change and the orders it counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_price_review import ipod_market

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.errors import ListingNotOrderable
from sagwa.priceguard.tripwire import count_orders
from sagwa.services import catalog, listings, orders

KRW = "KRW"
H = timedelta(hours=1)


@pytest.fixture
def shop(session_factory):
    """The iPod nano market (list price 199,000 KRW); listing 0 has sold one every two hours
    for two weeks (the tripwire not running), 60 customers."""
    uow, clock, ids, _ = ipod_market(session_factory)
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(60)]
    listing = ids[0]
    _orders(uow, clock, listing, customers, 14 * 12, 2 * H, watched=False)
    clock.now += H
    return uow, clock, listing, customers


def _orders(uow, clock, listing_id, customers, count, every, *, quantity=1, watched=True,
            between=None):
    for n in range(count):
        clock.now += every
        if between is not None:
            between(n)
        orders.place_order(uow(), customer_id=customers[n % len(customers)],
                           listing_id=listing_id, quantity=quantity, actor="t",
                           **({} if watched else {"velocity": None}))


def _set_status(uow, listing_id, trigger) -> None:
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=trigger, actor="t")


def _price(uow, listing_id, minor, promotion=None):
    return listings.propose_price_change(uow(), listing_id=listing_id,
                                         new_price=Money(minor, KRW), proposed_by="seller:0",
                                         promotion=promotion)


def _status(uow, listing_id) -> ListingStatus:
    with uow() as u:
        return u.market.listing(listing_id).status


def _pause_and_draft(uow, listing_id):
    with uow() as u:
        pauses = [r.event for r in u.audit.for_entity("listing", str(listing_id))
                  if r.event.action == "listing.paused_by_tripwire"]
        draft = u.incidents.get(u.incidents.open_for_listing(listing_id))
    assert len(pauses) == 1
    return pauses[0].after, draft


def test_a_price_changed_while_paused_is_watched_when_it_goes_back_on_sale(shop) -> None:
    """Paused, cut to a tenth, resumed three days later: the rush that follows is paused."""
    uow, clock, listing, customers = shop
    _set_status(uow, listing, ListingTrigger.PAUSE)
    clock.now += H
    cut = _price(uow, listing, 19_900)
    clock.now += 3 * 24 * H
    _set_status(uow, listing, ListingTrigger.RESUME)
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing, customers, 20, timedelta(minutes=2))
    after, draft = _pause_and_draft(uow, listing)
    assert after["watching"] == "price_change" and after["price_change_id"] == cut.id
    assert after["price_before"] == {"amount_minor": 199_000, "currency": KRW}
    assert "since the listing went back on sale" in after["reason_en"]
    assert draft.incident.window_start == cut.proposed_at


def test_a_few_orders_for_a_hundred_units_each_pause_the_listing(shop) -> None:
    """At 10% off (watched, but not far below its references: at a tenth, the first such order
    pauses it, ``test_tripwire_wrong_price_db``), three orders of 100 do."""
    uow, clock, listing, customers = shop
    _price(uow, listing, 179_000)
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing, customers, 5, timedelta(minutes=3), quantity=100)
    after, _ = _pause_and_draft(uow, listing)
    assert after["observed"] == 3 and after["units"] == 300
    assert "between them they took 300 units" in after["reason_en"]


def test_four_ordinary_orders_after_the_cut_leave_it_live(shop) -> None:
    uow, clock, listing, customers = shop
    _price(uow, listing, 189_000)
    _orders(uow, clock, listing, customers, 4, timedelta(minutes=20), quantity=2)
    assert _status(uow, listing) is ListingStatus.LIVE


def test_nudging_the_price_during_a_rush_does_not_restart_the_count(shop) -> None:
    """A cut to a tenth, then 10 won off before every order: paused all the same, and the draft
    starts at the cut with the price before it, naming both changes and the orders."""
    uow, clock, listing, customers = shop
    cut = _price(uow, listing, 19_900)
    latest = []

    def nudge(n: int) -> None:
        latest.append(_price(uow, listing, 19_900 - 10 * (n + 1)))

    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing, customers, 20, timedelta(minutes=3), between=nudge)
    after, draft = _pause_and_draft(uow, listing)
    assert draft.incident.window_start == cut.proposed_at
    assert after["price_before"] == {"amount_minor": 199_000, "currency": KRW}
    assert after["price_change_id"] == cut.id
    # the last nudge came after the pause, before the order it refused
    assert after["latest_price_change_id"] == latest[-2].id
    with uow() as u:
        placed = u.market.order_ids_since(listing, since=cut.proposed_at, limit=1_000)
    assert after["order_ids"] == placed and len(placed) == after["observed"]
    assert draft.evidence["order_ids"] == placed


def test_a_popular_listings_usual_evening_is_not_paused(session_factory) -> None:
    """Eight days of an order in every odd hour and six an hour from 10:00 to 14:00 UTC
    (19-23 KST); a small cut at 09:00 and the usual evening after it: it stays live (against
    a flat average of 1.4 an hour, 25 orders in five hours would have been paused)."""
    uow, clock, ids, _ = ipod_market(session_factory)
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(60)]
    listing = ids[0]
    clock.now = clock.now.replace(hour=0, minute=0)
    midnight = clock.now.replace(hour=0, minute=0) + 24 * H
    for day in range(8):
        _orders_at(uow, clock, listing, customers, _usual_day(midnight + day * 24 * H),
                   watched=False)
    today = midnight + 8 * 24 * H
    clock.now = today + 9 * H
    _price(uow, listing, 189_000)
    evening = [t for t in _usual_day(today) if today + 9 * H < t < today + 14 * H]
    assert len(evening) == 25
    _orders_at(uow, clock, listing, customers, evening, watched=True)
    assert _status(uow, listing) is ListingStatus.LIVE


def _usual_day(midnight) -> list:
    """One order half past every odd hour; six an hour from 10:00 to 14:00."""
    times = []
    for hour in range(24):
        if 10 <= hour < 14:
            times += [midnight + hour * H + timedelta(minutes=5 + 10 * n) for n in range(6)]
        elif hour % 2:
            times.append(midnight + hour * H + timedelta(minutes=30))
    return times


def _orders_at(uow, clock, listing_id, customers, times, *, watched) -> None:
    for n, at in enumerate(times):
        clock.now = at
        orders.place_order(uow(), customer_id=customers[n % len(customers)],
                           listing_id=listing_id, quantity=1, actor="t",
                           **({} if watched else {"velocity": None}))


def test_a_declared_promotion_selling_well_is_left_alone_a_rush_is_not(shop) -> None:
    """A declared 30% promotion: ten orders in its first hour (twenty times the usual half an
    hour) are what a promotion is for; a rush of thirty in forty minutes is still paused, and the
    evidence says it was a promotion."""
    uow, clock, listing, customers = shop
    promo = _price(uow, listing, 139_300, Promotion(30, ends_at=clock.now + 7 * 24 * H))
    assert promo.status.value == "applied"
    _orders(uow, clock, listing, customers, 10, timedelta(minutes=6))
    assert _status(uow, listing) is ListingStatus.LIVE
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing, customers, 30, timedelta(minutes=1))
    after, _ = _pause_and_draft(uow, listing)
    assert after["promotion_pct"] == 30.0
    assert ("During the declared 30% promotion, which needed no reviewer, orders are allowed at "
            "up to 10 an hour" in after["reason_en"])


def test_a_rush_on_the_second_day_after_a_change_is_paused(shop) -> None:
    """Cut to 189,000 (under the list price); a quiet day and a half at the usual rate, then a
    rush: paused, though the whole count since the cut is diluted by the quiet hours."""
    uow, clock, listing, customers = shop
    cut = _price(uow, listing, 189_000)
    _orders(uow, clock, listing, customers, 20, 2 * H)  # 40 hours, one every two
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing, customers, 20, timedelta(minutes=2))
    after, draft = _pause_and_draft(uow, listing)
    assert "in the last 1 h" in after["reason_en"]
    assert after["price_change_id"] == cut.id and draft.incident.window_start == cut.proposed_at


def test_a_rush_five_days_after_the_change_is_past_the_watch(shop) -> None:
    uow, clock, listing, customers = shop
    _price(uow, listing, 189_000)
    _orders(uow, clock, listing, customers, 60, 2 * H)  # five days, one every two hours
    _orders(uow, clock, listing, customers, 20, timedelta(minutes=2))
    assert _status(uow, listing) is ListingStatus.LIVE


def test_a_nudge_during_a_promotion_keeps_its_allowance(shop) -> None:
    """A declared 30% promotion, then a 10-won nudge without one: ten orders in the first hour
    are still what the promotion is for."""
    uow, clock, listing, customers = shop
    _price(uow, listing, 139_300, Promotion(30, ends_at=clock.now + 7 * 24 * H))
    clock.now += timedelta(minutes=1)
    _price(uow, listing, 139_290)
    _orders(uow, clock, listing, customers, 10, timedelta(minutes=6))
    assert _status(uow, listing) is ListingStatus.LIVE


def test_a_nudge_declaring_a_token_promotion_after_a_wrong_cut_gets_no_allowance(shop) -> None:
    """An undeclared cut to a tenth, then a 10-won nudge "declaring" 1%: the watch began with
    the cut, which declared nothing, so the rush is judged at the usual rate and paused."""
    uow, clock, listing, customers = shop
    _price(uow, listing, 19_900)
    clock.now += timedelta(minutes=1)
    _price(uow, listing, 19_890, Promotion(1, ends_at=clock.now + 7 * 24 * H))
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing, customers, 12, timedelta(minutes=5))
    after, _ = _pause_and_draft(uow, listing)
    assert "promotion_pct" not in after and "promotion" not in after["reason_en"]


def test_a_bulk_buyer_beside_two_ordinary_orders_is_not_a_rush(shop) -> None:
    uow, clock, listing, customers = shop
    _price(uow, listing, 189_000)
    for quantity in (1, 50, 1):
        _orders(uow, clock, listing, customers, 1, timedelta(minutes=40), quantity=quantity)
    assert _status(uow, listing) is ListingStatus.LIVE


def test_the_database_adds_up_the_orders_as_the_pure_count_does(shop) -> None:
    """The tripwire reads the orders' sums from PostgreSQL (an order never loads a busy watch's
    every order); they are what ``count_orders`` makes of the same orders."""
    uow, clock, listing, customers = shop
    since = clock.now
    for n, quantity in enumerate((1, 3, 1, 7, 2, 2, 40, 1)):
        _orders(uow, clock, listing, customers, 1, timedelta(minutes=17 + n), quantity=quantity,
                watched=False)
    now = clock.now
    with uow() as u:
        ids = u.market.order_ids_since(listing, since=since, limit=100)
        rows = [u.market.order(i) for i in ids]
        for recent_since in (now - H, None):
            stored = u.market.order_counts(listing, since=since, now=now,
                                           recent_since=recent_since)
            pure = count_orders([r.placed_at for r in rows], [r.quantity for r in rows],
                                start=since, now=now,
                                recent_hours=1.0 if recent_since else 1_000.0)
            assert stored == pure, (stored, pure)
    assert stored.orders == 8 and stored.units == 57 and stored.biggest == 40
    assert stored.typical == 2.0
