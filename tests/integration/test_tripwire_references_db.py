"""The tripwire's references through the real order path: a raise undone the next day is not a
cut (with no list price and no other seller, its usual price is all there is); a first sale
nudged since says the price it went on sale at."""

from __future__ import annotations

from datetime import UTC, datetime

from test_tripwire_habits_db import KRW, H, _orders, _status

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, listings, orders
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork


def _lone_listing(session_factory, price: int):  # type: ignore[no-untyped-def]
    clock = ManualClock(datetime(2008, 5, 1, 3, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="수제 도마", category="kitchen", actor="t")
    seller = catalog.register_seller(uow(), code="seller-x", name="판매자", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(price, KRW), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(10)]
    return uow, clock, listing.id, customers


def _set_price(uow, listing_id, price) -> None:  # type: ignore[no-untyped-def]
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(price, KRW),
                                  proposed_by="seller:x")


def test_a_raise_undone_the_next_day_is_not_paused_by_one_big_order(session_factory) -> None:
    uow, clock, listing, customers = _lone_listing(session_factory, 10_000)
    _orders(uow, clock, listing, customers, 14 * 12, 2 * H, watched=False)
    _set_price(uow, listing, 20_000)
    clock.now += 20 * H
    _set_price(uow, listing, 10_000)
    clock.now += H
    orders.place_order(uow(), customer_id=customers[0], listing_id=listing, quantity=60,
                       actor="customer")
    assert _status(uow, listing) is ListingStatus.LIVE


def test_a_first_sale_nudged_since_is_said_at_the_price_it_went_on_sale_at(
        session_factory) -> None:
    uow, clock, listing, customers = _lone_listing(session_factory, 5_000)
    clock.now += 0.1 * H
    _set_price(uow, listing, 4_990)
    for n in range(8):
        clock.now += 0.001 * H
        orders.place_order(uow(), customer_id=customers[n], listing_id=listing, quantity=1,
                           actor="customer")
        if _status(uow, listing) is ListingStatus.PAUSED:
            break
    with uow() as u:
        pause = next(r.event.after for r in u.audit.for_entity("listing", str(listing))
                     if r.event.action == "listing.paused_by_tripwire")
    assert ("since the listing went on sale (5,000 KRW, 2008-05-01 12:00 KST; 4,990 KRW now)"
            in pause["reason_en"])


def test_the_same_wrong_price_again_the_next_hour_is_paused_again(session_factory) -> None:
    """A wrong price on sale for minutes before the tripwire paused it is no usual price: the
    seller who types it again after the fix is paused again (it used to become the listing's
    own reference for a day, and the second rush went on)."""
    uow, clock, listing, customers = _lone_listing(session_factory, 10_000)
    _orders(uow, clock, listing, customers, 14 * 12, 2 * H, watched=False)
    for attempt in range(2):
        clock.now += 2 * H
        _set_price(uow, listing, 1_000)
        for n in range(10):
            clock.now += 0.03 * H
            orders.place_order(uow(), customer_id=customers[n], listing_id=listing, quantity=1,
                               actor="customer")
            if _status(uow, listing) is ListingStatus.PAUSED:
                break
        assert _status(uow, listing) is ListingStatus.PAUSED, f"rush {attempt + 1} not paused"
        _set_price(uow, listing, 10_000)
        with uow() as u:
            draft = u.incidents.open_for_listing(listing)
        desk.close(uow(), incident_id=draft, actor="admin:op",
                   reason="the seller fixed the price; orders handled with the seller")
        listings.change_listing_status(uow(), listing_id=listing, trigger=ListingTrigger.RESUME,
                                       actor="ops")
