"""On real PostgreSQL, a new listing is watched on its first day on sale: a wrong first price that
a reviewer released, or that the guard let through, is paused by a rush of orders far above what
the product's other sellers sell, while a launch selling like them goes on; the draft incident
says what the orders were compared with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import ListingNotOrderable
from sagwa.services import catalog, listings, orders
from sagwa.services.listings import GateDecision
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

KRW = "KRW"
T0 = datetime(2008, 5, 1, 0, 0, tzinfo=UTC)
HISTORY_HOURS = 28  # the other sellers' time on sale before the newcomer: over a day
#: The newcomers' price: below the list price and the other sellers' (199,000), so watched — at
#: or above either, a rush is demand and the tripwire leaves it alone (see the last tests).
LAUNCH_PRICE = 179_000


@pytest.fixture
def shop(session_factory):
    """An iPod nano sold by three sellers for a day and more (the busiest two an hour), a
    fourth seller's listing of it still a draft, a case no other seller sells, 60 customers."""
    clock = ManualClock(T0)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    ipod = _product(uow, "애플 아이팟 나노 3세대 4GB")
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(60)]
    others = [_listing(uow, ipod, f"shop{n}", publish=True) for n in range(3)]
    for every, listing_id in zip((30, 60, 240), others, strict=True):  # 2/h, 1/h, 0.25/h
        for n in range(HISTORY_HOURS * 60 // every):
            clock.now = T0 + timedelta(minutes=every * n + 7)
            orders.place_order(uow(), customer_id=customers[n % 60], listing_id=listing_id,
                               quantity=1, actor="t", velocity=None)
    clock.now = T0 + timedelta(hours=HISTORY_HOURS)
    new = _listing(uow, ipod, "newcomer", publish=False, price=LAUNCH_PRICE)
    alone = _listing(uow, _product(uow, "아이팟 나노 전용 케이스"), "caseshop", publish=False,
                     price=LAUNCH_PRICE)
    return uow, clock, new, alone, customers


def _product(uow, title: str) -> int:
    return catalog.register_product(uow(), title=title, category="electronics/mp3",
                                    list_price=Money(199_000, KRW), actor="t").id


def _listing(uow, product_id: int, code: str, *, publish: bool, price: int = 199_000) -> int:
    seller = catalog.register_seller(uow(), code=code, name=code, actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                      price=Money(price, KRW), actor="t")
    if publish:
        _publish(uow, listing.id)
    return listing.id


def _publish(uow, listing_id: int, gate=listings.apply_every_change) -> None:
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=ListingTrigger.PUBLISH,
                                   actor="seller:newcomer", gate=gate)


def _orders(uow, clock, listing_id, customers, count, every) -> None:
    for n in range(count):
        clock.now += every
        orders.place_order(uow(), customer_id=customers[n % len(customers)],
                           listing_id=listing_id, quantity=1, actor="customer")


def _status(uow, listing_id) -> ListingStatus:
    with uow() as u:
        return u.market.listing(listing_id).status


def _draft(uow, listing_id):
    with uow() as u:
        incident_id = u.incidents.open_for_listing(listing_id)
        assert incident_id is not None, "the tripwire opened no draft incident"
        return u.incidents.get(incident_id), u.audit.for_entity("listing", str(listing_id))


def test_a_rush_on_a_new_listing_far_above_the_other_sellers_pauses_it(shop) -> None:
    uow, clock, new, _, customers = shop
    _publish(uow, new)
    published = clock.now
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, new, customers, 60, timedelta(minutes=1))  # 60 an hour
    assert _status(uow, new) is ListingStatus.PAUSED
    draft, trail = _draft(uow, new)
    assert draft.incident.window_start == published
    evidence = draft.evidence
    assert evidence["watching"] == "first_sale"
    assert evidence["compared_with"] == "other_sellers"
    assert evidence["other_sellers"] == 3
    assert 1950 <= evidence["other_sellers_per_hour_x1000"] <= 2000  # 2 an hour on sale
    assert 5 <= evidence["observed"] < 20
    assert "since the listing went on sale" in evidence["reason_en"]
    rate = f"{evidence['other_sellers_per_hour_x1000'] / 1000:.2f}"
    assert f"other sellers of this product sold about {rate} an hour" in evidence["reason_en"]
    assert f"같은 상품의 다른 판매자는 시간당 약 {rate}건 판매" in evidence["reason_ko"]
    assert draft.incident.cause == f'{evidence["reason_ko"]} · {evidence["reason_en"]}'
    assert "e-" not in draft.incident.cause and "0.0 h" not in draft.incident.cause
    paused = trail[-1].event
    assert paused.action == "listing.paused_by_tripwire"
    assert paused.after["compared_with"] == "other_sellers"
    assert paused.after["reason_ko"] == evidence["reason_ko"]


def test_a_launch_day_selling_like_the_busiest_other_seller_goes_on(shop) -> None:
    uow, clock, new, _, customers = shop
    _publish(uow, new)
    _orders(uow, clock, new, customers, 47, timedelta(minutes=30))  # 2 an hour for a day
    assert _status(uow, new) is ListingStatus.LIVE
    with uow() as u:
        assert u.incidents.open_for_listing(new) is None


def test_a_wrong_first_price_released_by_a_reviewer_is_watched_from_the_release(shop) -> None:
    uow, clock, new, _, customers = shop
    _publish(uow, new, gate=lambda *_: GateDecision(hold=True, reason="90% below the others"))
    assert _status(uow, new) is ListingStatus.HELD
    clock.now += timedelta(days=3)  # a reviewer releases it by mistake three days later
    listings.change_listing_status(uow(), listing_id=new, trigger=ListingTrigger.RELEASE,
                                   actor="reviewer:kim")
    released = clock.now
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, new, customers, 60, timedelta(minutes=1))
    draft, _ = _draft(uow, new)
    assert draft.incident.window_start == released
    assert draft.evidence["watching"] == "first_sale"
    assert draft.evidence["compared_with"] == "other_sellers"


def test_with_no_other_seller_a_rush_on_a_new_listing_still_pauses_it(shop) -> None:
    uow, clock, _, alone, customers = shop
    _publish(uow, alone)
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, alone, customers, 60, timedelta(seconds=10))  # 500 an hour
    draft, _ = _draft(uow, alone)
    assert draft.evidence["compared_with"] == "launch"
    assert "other_sellers" not in draft.evidence
    assert "no other seller of this product" in draft.evidence["reason_en"]
    assert "다른 판매자가 없어" in draft.evidence["reason_ko"]


def test_the_first_sale_watch_ends_after_three_days_on_sale(shop) -> None:
    uow, clock, new, _, customers = shop
    _publish(uow, new)
    clock.now += timedelta(hours=73)
    _orders(uow, clock, new, customers, 30, timedelta(minutes=1))  # no price move to watch
    assert _status(uow, new) is ListingStatus.LIVE


def test_other_listings_are_read_once_when_the_listing_goes_on_sale_never_per_order(
        shop, session_factory) -> None:
    """The other sellers' rate is measured by the publish and kept on its audit entry: an order
    (which holds the audit log's lock once it is logged) never scans other listings' orders."""
    uow, clock, new, _, customers = shop
    seen: list[str] = []
    connection = session_factory.kw["bind"]

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        _publish(uow, new)
        at_publication = list(seen)
        seen.clear()
        _orders(uow, clock, new, customers, 3, timedelta(minutes=20))  # watched orders
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert any("GROUP BY listings.id" in s for s in at_publication)  # the other sellers' rates
    assert not any("GROUP BY listings.id" in s for s in seen)
    with uow() as u:
        published = u.audit.for_entity("listing", str(new))[-1].event
    assert published.action == "listing.publish"
    assert published.after["launch_comparison"] == {"sellers": 3, "per_hour_x1000": 2000}


def test_a_price_change_on_the_first_day_does_not_lower_the_bar(shop) -> None:
    """A launch at three orders an hour with no other seller stays live, also when the seller
    trims the price half an hour in (the watch then starts at the change, but the listing
    still has no day of its own: the launch rate, not the 0.05 floor)."""
    uow, clock, _, alone, customers = shop
    _publish(uow, alone)
    clock.now += timedelta(minutes=30)
    listings.propose_price_change(uow(), listing_id=alone, new_price=Money(177_000, KRW),
                                  proposed_by="seller:caseshop")
    _orders(uow, clock, alone, customers, 9, timedelta(minutes=20))  # 3 an hour for 3 hours
    assert _status(uow, alone) is ListingStatus.LIVE
