"""Declaring holds the correct price against what the listings sold at before the wrong price
and their products' list prices (``incident_correct_price``): QA declared 1,850,000 KRW for a
listing that sold at 185,000 KRW (list price 199,000), and it flowed into the notice, the
discount offered and the differences owed. Refused now, naming the prices, before anything is
paused or stored."""

from __future__ import annotations

from datetime import datetime

import pytest
from test_desk_declare import RIGHT, SEOUL, market  # noqa: F401  (market is the fixture)

from sagwa.domain.listings import ListingStatus
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput
from sagwa.services import catalog, desk, listings

WRONG = Money(18_500, "KRW")
TERMS = {"wrong_price": WRONG, "cause": "a zero dropped from 185,000",
         "window_start": datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL), "responsible": "seller",
         "actor": "operator:lee"}


def _sold_at_185000_then_wrong(uow, clock, listing_id: int) -> None:
    """The listing sells at 185,000 KRW from 13:10; at 14:00 it shows 18,500 KRW."""
    for hour, minute, price in ((13, 10, 185_000), (14, 0, 18_500)):
        clock.now = datetime(2008, 6, 12, hour, minute, tzinfo=SEOUL)
        listings.propose_price_change(uow(), listing_id=listing_id,
                                      new_price=Money(price, "KRW"), proposed_by="seller")
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)


def test_a_correct_price_with_a_zero_too_many_is_refused_and_nothing_is_paused(
        market) -> None:  # noqa: F811
    uow, clock, (first, _, _) = market
    _sold_at_185000_then_wrong(uow, clock, first)
    with uow() as u:
        audit_before = len(u.audit.recent(limit=500))

    with pytest.raises(InvalidInput) as refused:
        desk.declare(uow(), listing_ids=[first], correct_price=Money(1_850_000, "KRW"), **TERMS)

    details = refused.value.details
    assert (details["field"], details["reason"]) == ("correct_price", "correct_price_implausible")
    # its prices before 14:00 (created at 19,900, then 185,000) and the list price 199,000
    assert details["prices_seen"] == {str(first): [19_900, 185_000]}
    assert details["list_prices"] == {str(first): RIGHT.amount_minor}
    assert details["highest_en"] == "199,000 KRW"
    with uow() as u:  # nothing half-written: no incident, no pause, no audit entry
        assert u.incidents.list() == [] and len(u.audit.recent(limit=500)) == audit_before
        assert u.market.listing(first).status is ListingStatus.LIVE

    row = desk.declare(uow(), listing_ids=[first], correct_price=Money(185_000, "KRW"), **TERMS)
    assert row.incident.correct_price == Money(185_000, "KRW")
    with uow() as u:
        assert u.market.listing(first).status is ListingStatus.PAUSED


def test_with_no_price_to_hold_it_against_the_correct_price_stands(market) -> None:  # noqa: F811
    """A listing created at the wrong price, of a product with no list price: nothing says
    what its price should be, so the operator's word stands."""
    uow, clock, _ids = market
    product = catalog.register_product(uow(), title="이어폰", category="electronics/audio",
                                       actor="t")
    seller = catalog.register_seller(uow(), code="no-list", name="정가 없는 가게", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=WRONG, actor="t")
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    row = desk.declare(uow(), listing_ids=[listing.id], correct_price=Money(1_850_000, "KRW"),
                       **TERMS)
    assert row.incident.correct_price == Money(1_850_000, "KRW")


def test_a_correct_price_the_operator_checked_is_declared_and_the_log_says_so(
        market) -> None:  # noqa: F811
    """A review found no way past the check for a price that is right (a pack's price over a
    unit's list price, a listing that only ever sold at launch prices): declaring is what pauses
    the listings, so the wrong price stayed on sale. The operator may declare it as checked;
    the audit log records that."""
    from sqlalchemy import select

    from sagwa.adapters.db.tables import audit_log

    uow, clock, (first, _, _) = market
    _sold_at_185000_then_wrong(uow, clock, first)
    row = desk.declare(uow(), listing_ids=[first], correct_price=Money(1_850_000, "KRW"),
                       correct_price_confirmed=True, **TERMS)
    assert row.incident.correct_price == Money(1_850_000, "KRW")
    with uow() as u:
        assert u.market.listing(first).status is ListingStatus.PAUSED
        after = u.conn.execute(select(audit_log.c.after).where(
            audit_log.c.action == "incident.declared")).scalar_one()
    assert after["correct_price_confirmed"] is True
