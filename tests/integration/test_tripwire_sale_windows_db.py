"""The order tripwire on real PostgreSQL counts only time and orders the listing was on sale:
a surge already judged (paused, dismissed, resumed) is not judged again, and a month as a draft
does not make an ordinary rate look like a surge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import ListingNotOrderable
from sagwa.priceguard import load_rules
from sagwa.services import catalog, desk, listings, orders, price_review
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

KRW = "KRW"
GATE = price_review.guard_gate(load_rules())


@pytest.fixture
def shop(session_factory):
    """An iPod nano at 199,000 KRW, one seller, 60 customers, a clock we move."""
    clock = ManualClock(datetime(2008, 5, 1, 3, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB",
                                       category="electronics/mp3", actor="t",
                                       list_price=Money(199_000, KRW))
    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(199_000, KRW), actor="t")
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(60)]
    return uow, clock, listing.id, customers


def _publish(uow, listing_id) -> None:
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")


def _orders(uow, clock, listing_id, customers, count, every) -> None:
    for n in range(count):
        clock.now += every
        orders.place_order(uow(), customer_id=customers[n % len(customers)],
                           listing_id=listing_id, quantity=1, actor="t")


def _status(uow, listing_id) -> ListingStatus:
    with uow() as u:
        return u.market.listing(listing_id).status


def _cut_price(uow, listing_id, minor) -> None:
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(minor, KRW),
                                  proposed_by="seller:haneul", gate=GATE)


def _surge_until_paused(uow, clock, listing_id, customers) -> None:
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing_id, customers, 40, timedelta(minutes=2))
    assert _status(uow, listing_id) is ListingStatus.PAUSED


def test_a_dismissed_surge_vouches_for_the_price_until_it_changes(shop) -> None:
    uow, clock, lid, customers = shop
    _publish(uow, lid)
    _orders(uow, clock, lid, customers, 40, timedelta(hours=14))  # ~3 weeks, 1 every 14 h
    _cut_price(uow, lid, 189_000)
    _surge_until_paused(uow, clock, lid, customers)
    with uow() as u:
        draft_id = u.incidents.open_for_listing(lid)
    desk.close(uow(), incident_id=draft_id, actor="admin:op", reason="a real sale, not an error")
    with uow() as u:
        vouched = u.audit.for_entity("listing", str(lid))[-1].event
    assert vouched.action == "listing.vouched" and vouched.actor == "admin:op"
    assert vouched.after["price"] == {"amount_minor": 189_000, "currency": KRW}
    assert vouched.after["incident_id"] == draft_id
    listings.change_listing_status(uow(), listing_id=lid, trigger=ListingTrigger.RESUME,
                                   actor="admin:op")
    clock.now += timedelta(hours=3)
    # the same rush at the price the operator vouched for goes on: no pause, no new draft
    _orders(uow, clock, lid, customers, 40, timedelta(minutes=2))
    assert _status(uow, lid) is ListingStatus.LIVE
    with uow() as u:
        assert u.incidents.open_for_listing(lid) is None
    # a new price is watched afresh: a surge on it is caught, with a new draft
    _cut_price(uow, lid, 179_000)
    _surge_until_paused(uow, clock, lid, customers)
    with uow() as u:
        again = u.incidents.open_for_listing(lid)
        trail = u.audit.for_entity("listing", str(lid))
    assert again is not None and again != draft_id
    assert trail[-1].event.action == "listing.paused_by_tripwire"
    assert "since the price change" in trail[-1].event.after["reason_en"]


def test_a_surge_before_a_sellers_pause_is_not_counted_again_after_the_resume(shop) -> None:
    """Orders before a return to sale are the listing's own rate so far, not the new count."""
    uow, clock, lid, customers = shop
    _publish(uow, lid)
    _orders(uow, clock, lid, customers, 40, timedelta(hours=14))
    clock.now += timedelta(hours=1)
    _cut_price(uow, lid, 189_000)
    _orders(uow, clock, lid, customers, 4, timedelta(minutes=2))  # under min_orders
    listings.change_listing_status(uow(), listing_id=lid, trigger=ListingTrigger.PAUSE, actor="t")
    clock.now += timedelta(hours=1)
    listings.change_listing_status(uow(), listing_id=lid, trigger=ListingTrigger.RESUME, actor="t")
    _orders(uow, clock, lid, customers, 1, timedelta(minutes=2))  # 5 since the cut, 1 counted
    assert _status(uow, lid) is ListingStatus.LIVE
    _surge_until_paused(uow, clock, lid, customers)
    with uow() as u:
        trail = u.audit.for_entity("listing", str(lid))
    assert "went back on sale" in trail[-1].event.after["reason_en"]


def test_a_month_as_a_draft_does_not_lower_the_normal_rate(shop) -> None:
    uow, clock, lid, customers = shop
    clock.now += timedelta(days=29)  # sat as a draft for 29 days
    _publish(uow, lid)
    _orders(uow, clock, lid, customers, 48, timedelta(hours=1))  # two live days at 1 order/h
    _cut_price(uow, lid, 179_000)  # 10% under the list price: watched
    _orders(uow, clock, lid, customers, 12, timedelta(hours=1))  # the same 1/h after the cut
    assert _status(uow, lid) is ListingStatus.LIVE


def test_a_paused_week_does_not_lower_the_normal_rate(shop) -> None:
    uow, clock, lid, customers = shop
    _publish(uow, lid)
    _orders(uow, clock, lid, customers, 48, timedelta(hours=1))
    listings.change_listing_status(uow(), listing_id=lid, trigger=ListingTrigger.PAUSE, actor="t")
    clock.now += timedelta(days=20)  # paused for the seller's holiday
    listings.change_listing_status(uow(), listing_id=lid, trigger=ListingTrigger.RESUME, actor="t")
    _orders(uow, clock, lid, customers, 24, timedelta(hours=1))
    _cut_price(uow, lid, 179_000)  # 10% under the list price: watched
    _orders(uow, clock, lid, customers, 12, timedelta(hours=1))
    assert _status(uow, lid) is ListingStatus.LIVE


def test_a_real_surge_after_a_month_as_a_draft_still_pauses(shop) -> None:
    uow, clock, lid, customers = shop
    clock.now += timedelta(days=29)
    _publish(uow, lid)
    _orders(uow, clock, lid, customers, 48, timedelta(hours=1))
    _cut_price(uow, lid, 179_000)  # 10% under the list price: watched
    _surge_until_paused(uow, clock, lid, customers)
    with uow() as u:
        trail = u.audit.for_entity("listing", str(lid))
        assert u.incidents.open_for_listing(lid) is not None
    assert trail[-1].event.action == "listing.paused_by_tripwire"
    assert trail[-1].event.after["observed"] >= 5
