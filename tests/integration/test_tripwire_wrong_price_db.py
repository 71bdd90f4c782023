"""The order tripwire through the real order path, for what a tester reproduced on the demo
data: huge orders at a wrong price never paused as one or two orders; listings paused after a
price rise, or at the fixed-book-price discount; an operator's "false alarm" undone by a seller's
nudge; a slow listing's promotion paused by a handful of buyers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_price_review import ipod_market
from test_tripwire_habits_db import KRW, H, _orders, _pause_and_draft, _status

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.errors import ListingNotOrderable
from sagwa.priceguard import load_rules
from sagwa.services import catalog, desk, listings, orders, price_review

GATE = price_review.guard_gate(load_rules())


@pytest.fixture
def shop(session_factory):
    """The iPod nano market (list price 199,000 KRW; other sellers at 189,000-195,000);
    listing 0 at 199,000 has sold one every two hours for two weeks; 60 customers."""
    uow, clock, ids, _ = ipod_market(session_factory)
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(60)]
    _orders(uow, clock, ids[0], customers, 14 * 12, 2 * H, watched=False)
    clock.now += H
    return uow, clock, ids[0], customers


def _order(uow, clock, listing_id, customer_id, quantity, after=timedelta(seconds=3)):
    clock.now += after
    return orders.place_order(uow(), customer_id=customer_id, listing_id=listing_id,
                              quantity=quantity, actor="customer")


def _drafts(uow, listing_id) -> int | None:
    with uow() as u:
        return u.incidents.open_for_listing(listing_id)


def test_one_huge_order_at_a_wrong_price_a_reviewer_approved_pauses_the_listing(shop) -> None:
    """A tenth of the price, approved by a reviewer by mistake; a customer orders 100: the order
    stands and the listing is paused at once; the next customer's 100 is refused."""
    uow, clock, listing, customers = shop
    held = listings.propose_price_change(uow(), listing_id=listing, new_price=Money(19_900, KRW),
                                         proposed_by="seller:0", gate=GATE)
    assert held.status.value == "held"
    clock.now += timedelta(minutes=5)
    price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:r",
                                      reason="looked like a real clearance")
    first = _order(uow, clock, listing, customers[0], 100)
    assert first.quantity == 100 and _status(uow, listing) is ListingStatus.PAUSED
    with pytest.raises(ListingNotOrderable):
        _order(uow, clock, listing, customers[1], 100)
    after, draft = _pause_and_draft(uow, listing)
    assert after["observed"] == 1 and after["units"] == 100
    assert after["tripped_by"] == ["bulk"] and after["customers"] == 1
    assert "that one order took 100 units at half or less of its price before" in after["reason_en"]
    assert "(199,000 KRW → 19,900 KRW, 2008-05-15 " in after["reason_en"]
    assert after["price_before"] == {"amount_minor": 199_000, "currency": KRW}
    assert draft.incident.wrong_price == Money(19_900, KRW)


def test_a_bulk_buyer_at_an_ordinary_price_is_not_paused(shop) -> None:
    """A 5% cut (watched: under its own price and the list price), two customers taking 100
    each: demand at a price near the market, not a rush on a mistake."""
    uow, clock, listing, customers = shop
    listings.propose_price_change(uow(), listing_id=listing, new_price=Money(189_000, KRW),
                                  proposed_by="seller:0")
    _order(uow, clock, listing, customers[0], 100)
    _order(uow, clock, listing, customers[1], 100)
    assert _status(uow, listing) is ListingStatus.LIVE and _drafts(uow, listing) is None


@pytest.fixture
def books(session_factory):
    """A novel (list price 14,000 KRW) sold by two sellers at the fixed-book-price law's 10%
    off, 12,600, for two weeks (an order a day each); 60 customers."""
    uow, clock, _, _ = ipod_market(session_factory)
    customers = [catalog.register_customer(uow(), name=f"독자{n}", email=f"r{n}@example.com",
                                           actor="t").id for n in range(60)]
    product, ids = _bookshops(uow, clock, customers, "소년이 온다", 14_000, (12_600, 12_600))
    return uow, clock, product, ids, customers


def _bookshops(uow, clock, customers, title, list_price, prices):
    """A book at ``list_price`` sold by a shop at each of ``prices`` for two weeks, an order a
    day each: ``(product id, listing ids)``."""
    product = catalog.register_product(uow(), title=title, category="books/novel",
                                       actor="t", list_price=Money(list_price, KRW)).id
    ids = []
    for n, price in enumerate(prices):
        seller = catalog.register_seller(uow(), code=f"book{product}-{n}", name=f"서점{n}", actor="t")
        listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product,
                                          price=Money(price, KRW), actor="t")
        listings.change_listing_status(uow(), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t")
        ids.append(listing.id)
    for day in range(14):
        for listing_id in ids:
            _order(uow, clock, listing_id, customers[day], 1, after=12 * H)
    return product, ids


def test_a_raise_is_not_watched_for_a_price_too_low(books) -> None:
    """An operator raises 12,600 to 12,800 (a tester's listing 366): five orders in minutes
    leave it live, and no draft offers the lower price as the correct one."""
    uow, clock, _, ids, customers = books
    listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(12_800, KRW),
                                  proposed_by="admin:op")
    for n in range(5):
        _order(uow, clock, ids[0], customers[n], 1, after=timedelta(minutes=2))
    assert _status(uow, ids[0]) is ListingStatus.LIVE and _drafts(uow, ids[0]) is None


def test_a_raise_above_the_other_sellers_is_not_paused(books) -> None:
    """17,700 raised to 18,200 with the other seller at 17,600 and the list price 20,500 (a
    tester's listing 374): five orders in 15 minutes leave it live."""
    uow, clock, _, _, customers = books
    _, ids = _bookshops(uow, clock, customers, "작별하지 않는다", 20_500, (17_700, 17_600))
    listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(18_200, KRW),
                                  proposed_by="seller:0")
    for n in range(5):
        _order(uow, clock, ids[0], customers[n], 1, after=timedelta(minutes=3))
    assert _status(uow, ids[0]) is ListingStatus.LIVE and _drafts(uow, ids[0]) is None


def test_a_new_book_at_the_laws_discount_selling_fast_on_its_first_day_is_left_alone(
        books) -> None:
    """A third bookshop publishes the novel at 12,600 (10% under list, as the others): eight
    readers in ten minutes are a launch, not a rush on a wrong price."""
    uow, clock, product, _, customers = books
    seller = catalog.register_seller(uow(), code="book-new", name="새서점", actor="t")
    new = listings.create_listing(uow(), seller_id=seller.id, product_id=product,
                                  price=Money(12_600, KRW), actor="t").id
    listings.change_listing_status(uow(), listing_id=new, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    for n in range(8):
        _order(uow, clock, new, customers[n], 1, after=timedelta(seconds=75))
    assert _status(uow, new) is ListingStatus.LIVE and _drafts(uow, new) is None


def test_a_sellers_nudge_keeps_the_operators_clearance(shop) -> None:
    """A 15% cut paused by a rush, dismissed as a false alarm, resumed; ten orders; the seller
    nudges the price 0.3% down (a tester's listing 529): the next orders leave it live."""
    uow, clock, listing, customers = shop
    listings.propose_price_change(uow(), listing_id=listing, new_price=Money(169_100, KRW),
                                  proposed_by="seller:0")
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, listing, customers, 20, timedelta(minutes=1))
    desk.close(uow(), incident_id=_drafts(uow, listing), actor="admin:op",
               reason="a real sale, the price is right")
    listings.change_listing_status(uow(), listing_id=listing, trigger=ListingTrigger.RESUME,
                                   actor="seller:0")
    _orders(uow, clock, listing, customers, 10, timedelta(minutes=1))
    listings.propose_price_change(uow(), listing_id=listing, new_price=Money(168_600, KRW),
                                  proposed_by="seller:0")
    _orders(uow, clock, listing, customers, 10, timedelta(minutes=1))
    assert _status(uow, listing) is ListingStatus.LIVE and _drafts(uow, listing) is None


def test_a_slow_listings_promotion_is_not_paused_by_a_handful_of_buyers(session_factory) -> None:
    """Three orders in four weeks, then a 20% promotion the guard let through: five customers
    45 seconds apart (a tester's listing 419) leave it live."""
    uow, clock, ids, _ = ipod_market(session_factory)
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(10)]
    slow = ids[2]  # at 195,000
    for n in range(3):
        _order(uow, clock, slow, customers[n], 1, after=9 * 24 * H)
    clock.now += 24 * H
    promo = listings.propose_price_change(uow(), listing_id=slow, new_price=Money(156_000, KRW),
                                          proposed_by="seller:2", gate=GATE,
                                          promotion=Promotion(20, ends_at=clock.now + 7 * 24 * H))
    assert promo.status.value == "applied"
    for n in range(5):
        _order(uow, clock, slow, customers[n], 1, after=timedelta(seconds=45))
    assert _status(uow, slow) is ListingStatus.LIVE and _drafts(uow, slow) is None
