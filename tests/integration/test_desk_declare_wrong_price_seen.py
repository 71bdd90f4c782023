"""Declaring checks that every listing had the wrong price in the window, by its price history
(changes applied, or approved from their decision on) or an order placed at that price; a
listing that never had it is refused, named with the prices it did have, before anything is
paused or stored."""

from __future__ import annotations

from datetime import datetime

import pytest
from test_desk_declare import RIGHT, SEOUL, WRONG, market  # noqa: F401  (market is the fixture)

from sagwa.domain.listings import ListingStatus
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput
from sagwa.priceguard import load_rules
from sagwa.services import catalog, desk, listings, orders, price_review
from sagwa.services.price_review import guard_gate

WINDOW_START = datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)
TERMS = {"correct_price": RIGHT, "cause": "90% event typed as the price",
         "window_start": WINDOW_START, "responsible": "seller", "actor": "operator:lee"}


def _statuses(uow, *ids: int) -> list[ListingStatus]:
    with uow() as u:
        return [u.market.listing(i).status for i in ids]


def test_a_listing_that_never_had_the_wrong_price_is_refused_and_nothing_is_paused(
        market) -> None:  # noqa: F811
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 13, 30, tzinfo=SEOUL)  # before the window: 18,500 KRW
    listings.propose_price_change(uow(), listing_id=second, new_price=Money(18_500, "KRW"),
                                  proposed_by="seller")
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    with uow() as u:
        before = ([r.incident for r in u.incidents.list()], len(u.audit.recent(limit=500)))

    with pytest.raises(InvalidInput) as refused:
        desk.declare(uow(), listing_ids=[first, second], wrong_price=WRONG, **TERMS)

    details = refused.value.details
    assert details["reason"] == "wrong_price_never_listed"
    assert details["field"] == "wrong_price"
    assert details["listing_ids"] == [second]  # listing 1 was at 19,900 KRW: not named
    assert details["prices_seen"] == {str(second): [18_500]}
    assert f"listing {second} never had the wrong price 19,900 KRW" in refused.value.message
    assert f"listing {second} was at 18,500 KRW" in refused.value.message
    assert "2008-06-12 14:00" in refused.value.message
    with uow() as u:  # nothing half-written: no incident, no pause, no audit entry
        assert ([r.incident for r in u.incidents.list()], len(u.audit.recent(limit=500))) == before
    assert _statuses(uow, first, second) == [ListingStatus.LIVE, ListingStatus.LIVE]


def test_a_listing_live_at_another_price_is_refused_with_its_price(market) -> None:  # noqa: F811
    """The page's case: a listing live at 19,900 KRW declared with a wrong price of 100 KRW."""
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    with pytest.raises(InvalidInput) as refused:
        desk.declare(uow(), listing_ids=[first], wrong_price=Money(100, "KRW"),
                     **{**TERMS, "correct_price": Money(200, "KRW")})
    assert refused.value.details["prices_seen"] == {str(first): [19_900]}
    assert refused.value.details["seen_ko"] == f"{first}번 19,900원"
    assert _statuses(uow, first) == [ListingStatus.LIVE]


def test_a_wrong_price_that_went_live_inside_the_window_counts(market) -> None:  # noqa: F811
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 13, 30, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=second, new_price=Money(18_500, "KRW"),
                                  proposed_by="seller")
    clock.now = datetime(2008, 6, 12, 14, 30, tzinfo=SEOUL)  # copied the wrong price at 14:30
    listings.propose_price_change(uow(), listing_id=second, new_price=WRONG,
                                  proposed_by="seller")
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    row = desk.declare(uow(), listing_ids=[first, second], wrong_price=WRONG, **TERMS)
    assert row.incident.listing_ids == {first, second}
    assert _statuses(uow, first, second) == [ListingStatus.PAUSED, ListingStatus.PAUSED]


def test_an_approved_change_counts_from_its_approval_not_its_proposal(market) -> None:  # noqa: F811
    """Held at 14:10, approved at 15:10: in a window ending 15:00 the listing never had it."""
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 13, 0, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=first, new_price=RIGHT, proposed_by="seller")
    clock.now = datetime(2008, 6, 12, 14, 10, tzinfo=SEOUL)
    held = listings.propose_price_change(uow(), listing_id=first, new_price=WRONG,
                                         proposed_by="seller", gate=guard_gate(load_rules()))
    assert held.status.value == "held"
    clock.now = datetime(2008, 6, 12, 15, 10, tzinfo=SEOUL)
    price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:kim",
                                      reason="looked like a real event")
    clock.now = datetime(2008, 6, 12, 15, 20, tzinfo=SEOUL)
    early = {**TERMS, "window_end": datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)}
    with pytest.raises(InvalidInput) as refused:
        desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, **early)
    assert refused.value.details["prices_seen"] == {str(first): [199_000]}
    row = desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, **TERMS)  # to now
    assert row.incident.listing_ids == {first}


def test_an_order_at_the_wrong_price_counts_without_a_price_change(market) -> None:  # noqa: F811
    """Orders carried over from another system (the 2008 platform's, say) have no price change
    behind them: an order at the wrong price in the window is evidence enough."""
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 13, 30, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=second, new_price=Money(18_500, "KRW"),
                                  proposed_by="seller")
    clock.now = datetime(2008, 6, 12, 14, 20, tzinfo=SEOUL)
    customer = catalog.register_customer(uow(), name="고객", email="c@example.com", actor="t")
    order = orders.place_order(uow(), customer_id=customer.id, listing_id=second, quantity=1,
                               actor="customer", velocity=None)
    with uow() as u:  # as imported: the order's price, not the listing's
        u.market.change_order(order.id, now=clock.now, unit_price=WRONG)
        u.commit()
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    row = desk.declare(uow(), listing_ids=[first, second], wrong_price=WRONG, **TERMS)
    assert row.incident.listing_ids == {first, second}
