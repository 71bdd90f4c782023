"""Declaring on real PostgreSQL: a draft's declaration is stored whole, a listing is never in two
open incidents, and bad prices are refused before anything is written."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import Conflict, InvalidInput
from sagwa.services import catalog, desk, listings
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")


#: Another typo, 29,900 for 199,000 (the open incident's own wrong price, one close to it such as
#: 19,800, or any lower one such as 1,990, cannot be set again: domain.wrong_price_band).
WRONG_AGAIN = Money(29_900, "KRW")


def _back_on_sale_at_the_wrong_price_again(uow, listing_id: int) -> None:
    """The seller corrects the price (a listing is not resumed at an open incident's wrong
    price), puts the listing back on sale, then mistypes the price again (not to the open
    incident's wrong price: that is refused, see test_resume_rules.py)."""
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=RIGHT,
                                  proposed_by="seller")
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=ListingTrigger.RESUME,
                                   actor="seller")
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=WRONG_AGAIN,
                                  proposed_by="seller")


@pytest.fixture
def market(session_factory):
    """Two KRW listings of one product and one USD listing of its import (a product of its own:
    a listing's price is in its product's list-price currency), three sellers, live since 13:00."""
    clock = ManualClock(datetime(2008, 6, 12, 13, 0, tzinfo=SEOUL))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB",
                                       title_en="Apple iPod nano 3rd gen 4GB",
                                       category="electronics/mp3", list_price=RIGHT, actor="t")
    imported = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB (수입)",
                                        category="electronics/mp3",
                                        list_price=Money(1_490, "USD"), actor="t")
    ids = []
    for n, price in enumerate((WRONG, WRONG, Money(1_490, "USD"))):
        seller = catalog.register_seller(uow(), code=f"seller{n}", name=f"가게{n}", actor="t")
        listing = listings.create_listing(
            uow(), seller_id=seller.id, actor="t", price=price,
            product_id=product.id if price.currency == "KRW" else imported.id)
        listings.change_listing_status(uow(), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t")
        ids.append(listing.id)
    return uow, clock, ids


def _status(uow, listing_id: int) -> ListingStatus:
    with uow() as u:
        return u.market.listing(listing_id).status


def test_declaring_a_draft_stores_the_operators_window_price_and_listings(market) -> None:
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 14, 30, tzinfo=SEOUL)  # listing 1 goes lower still
    listings.propose_price_change(uow(), listing_id=first, new_price=Money(9_900, "KRW"),
                                  proposed_by="seller")
    clock.now = datetime(2008, 6, 12, 14, 40, tzinfo=SEOUL)
    with uow() as u:  # the tripwire's draft: listing 1, window from 14:30, price as listed
        draft_id = desk.open_draft_incident(
            u, listing=u.market.listing(first), cause="order surge",
            window_start=datetime(2008, 6, 12, 14, 30, tzinfo=SEOUL), evidence={}, actor="trip")
        u.commit()
        assert u.incidents.get(draft_id).incident.wrong_price == Money(9_900, "KRW")
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    # both listings were at 19,900 KRW from 14:00 (listing 1 until 14:30)
    row = desk.declare(uow(), listing_ids=[second], wrong_price=WRONG,
                       correct_price=RIGHT, cause="90% event typed as the price",
                       window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
                       responsible="seller", actor="operator:lee", incident_id=draft_id)

    with uow() as u:
        stored = u.incidents.get(draft_id).incident
    assert row.incident == stored
    assert stored.wrong_price == WRONG
    assert stored.window_start == datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)
    assert stored.listing_ids == {first, second}  # the tripwire's listing stays in
    assert _status(uow, first) == _status(uow, second) == ListingStatus.PAUSED


@pytest.mark.parametrize("which", ["second request", "listing added to a draft"])
def test_declaring_over_an_open_incident_is_refused_and_writes_nothing(market, which) -> None:
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    kwargs = {"wrong_price": WRONG, "correct_price": RIGHT, "cause": "90% event as the price",
              "window_start": datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
              "responsible": "seller", "actor": "operator:lee"}
    iid = int(desk.declare(uow(), listing_ids=[first], **kwargs).incident.incident_id)
    draft_id = None
    if which == "listing added to a draft":
        with uow() as u:
            draft_id = desk.open_draft_incident(
                u, listing=u.market.listing(second), cause="order surge",
                window_start=datetime(2008, 6, 12, 14, 30, tzinfo=SEOUL), evidence={},
                actor="trip")
            u.commit()
    with uow() as u:
        before = [r.incident for r in u.incidents.list()]
    with pytest.raises(Conflict) as refused:
        desk.declare(uow(), listing_ids=[first, second], incident_id=draft_id, **kwargs)
    assert refused.value.details["reason"] == "window_overlaps_incident"
    assert refused.value.details["incident_id"] == iid
    with uow() as u:
        assert [r.incident for r in u.incidents.list()] == before
    assert _status(uow, second) == ListingStatus.LIVE  # nothing paused by the refused call
    if which == "second request":  # and it took no incident number: the next one follows on
        later = datetime(2008, 6, 12, 15, 30, tzinfo=SEOUL)
        clock.now = later
        nxt = desk.declare(uow(), listing_ids=[second], **kwargs).incident.incident_id
        assert nxt == iid + 1


def test_a_retried_declaration_with_its_key_is_the_same_incident(market) -> None:
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    kwargs = {"listing_ids": [first], "wrong_price": WRONG, "correct_price": RIGHT,
              "cause": "90% event as the price", "responsible": "seller",
              "window_start": datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
              "actor": "operator:lee", "idempotency_key": "declare-1"}
    one = desk.declare(uow(), **kwargs)
    two = desk.declare(uow(), **kwargs)
    assert one.incident.incident_id == two.incident.incident_id
    with uow() as u:
        assert len(u.incidents.list()) == 1


@pytest.mark.parametrize(("change", "field", "reason"), [
    ({"listing_ids": [3]}, "wrong_price", "currency_mismatch"),
    ({"correct_price": Money(10**20, "KRW")}, "correct_price", None),
    ({"wrong_price": Money(0, "KRW")}, "wrong_price", "price_not_positive"),
])
def test_bad_prices_are_refused_before_anything_is_written(market, change, field,
                                                           reason) -> None:
    uow, clock, ids = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    kwargs = {"listing_ids": [ids[0]], "wrong_price": WRONG, "correct_price": RIGHT,
              "cause": "90% event as the price", "responsible": "seller",
              "window_start": datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
              "actor": "operator:lee"}
    if "listing_ids" in change:
        change = {"listing_ids": [ids[2]]}  # the USD listing
    with pytest.raises(InvalidInput) as refused:
        desk.declare(uow(), **{**kwargs, **change})
    assert refused.value.details["field"] == field
    if reason:
        assert refused.value.details["reason"] == reason
    with uow() as u:
        assert u.incidents.list() == []
    assert all(_status(uow, i) == ListingStatus.LIVE for i in ids)


def test_a_later_wrong_price_on_the_same_listing_gets_its_own_incident(market) -> None:
    """An earlier incident still open (waiting for calls, say) ended its window when it was
    declared: a new wrong price after it is declared on its own, and the tripwire's draft for
    the new surge is a new draft, not the old incident."""
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    kwargs = {"wrong_price": WRONG, "correct_price": RIGHT, "cause": "90% event as the price",
              "responsible": "seller", "actor": "operator:lee"}
    old = int(desk.declare(uow(), listing_ids=[first], **kwargs,
                           window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL))
              .incident.incident_id)
    _back_on_sale_at_the_wrong_price_again(uow, first)
    clock.now = datetime(2008, 6, 20, 11, 0, tzinfo=SEOUL)
    with uow() as u:  # the tripwire trips on a new surge on 20 June
        draft = desk.open_draft_incident(
            u, listing=u.market.listing(first), cause="order surge", evidence={},
            window_start=datetime(2008, 6, 20, 10, 0, tzinfo=SEOUL), actor="trip")
        again = desk.open_draft_incident(
            u, listing=u.market.listing(first), cause="order surge", evidence={},
            window_start=datetime(2008, 6, 20, 10, 0, tzinfo=SEOUL), actor="trip")
        u.commit()
    assert draft != old and again == draft  # a new draft, reused while it is a draft
    clock.now = datetime(2008, 6, 20, 11, 30, tzinfo=SEOUL)
    new = desk.declare(uow(), listing_ids=[first], incident_id=draft,
                       **{**kwargs, "wrong_price": WRONG_AGAIN},
                       window_start=datetime(2008, 6, 20, 10, 0, tzinfo=SEOUL))
    assert int(new.incident.incident_id) == draft
    assert _status(uow, first) == ListingStatus.PAUSED
    # ... but a window reaching back into the old incident's is refused
    with pytest.raises(Conflict) as refused:
        desk.declare(uow(), listing_ids=[first], **kwargs,
                     window_start=datetime(2008, 6, 12, 14, 30, tzinfo=SEOUL))
    assert refused.value.details["incident_id"] in (old, draft)


def test_overlap_checks_need_aware_times_and_cover_closed_incidents(market) -> None:
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    kwargs = {"listing_ids": [first], "wrong_price": WRONG, "correct_price": RIGHT,
              "cause": "90% event as the price", "responsible": "seller", "actor": "op",
              "window_start": datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)}
    old = int(desk.declare(uow(), **kwargs).incident.incident_id)
    with pytest.raises(InvalidInput) as naive:  # a clear refusal, not a comparison crash
        desk.declare(uow(), **{**kwargs, "window_end": datetime(2008, 6, 12, 14, 30)})
    assert naive.value.details["field"] == "window_end"
    desk.scope(uow(), incident_id=old, actor="op")
    desk.close(uow(), incident_id=old, actor="op", reason="nobody ordered")
    with pytest.raises(Conflict) as refused:  # closed, but it answered for those orders
        desk.declare(uow(), **kwargs)
    assert refused.value.details["incident_id"] == old


def test_a_tripwire_draft_after_a_declared_incident_starts_after_its_window(market) -> None:
    """The seller put the listing back on sale and typed the wrong price again at once; the
    surge is counted from a price change inside the old window: the new draft starts where the
    old window ended."""
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    old = desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, correct_price=RIGHT,
                       cause="90% event as the price", responsible="seller", actor="op",
                       window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)).incident
    _back_on_sale_at_the_wrong_price_again(uow, first)
    clock.now = datetime(2008, 6, 12, 18, 0, tzinfo=SEOUL)
    with uow() as u:
        draft_id = desk.open_draft_incident(
            u, listing=u.market.listing(first), cause="order surge", evidence={},
            window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL), actor="trip")
        u.commit()
    with uow() as u:
        draft = u.incidents.get(draft_id).incident
    assert draft.window_start == old.window_end + timedelta(microseconds=1)
    declared = desk.declare(uow(), listing_ids=[first], wrong_price=WRONG_AGAIN,
                            correct_price=RIGHT, cause="surge again", responsible="seller", actor="op",
                            window_start=draft.window_start, incident_id=draft_id)
    assert declared.incident.status.value == "declared"


def test_a_window_that_starts_before_the_listing_existed_is_refused(market) -> None:
    """A typo like 1900 for 2008 would scope every order and report a pause after 66 million
    minutes: refused, naming when the listing was created; nothing is paused or stored."""
    uow, _clock, (listing_id, _, _) = market
    with pytest.raises(InvalidInput) as refused:
        desk.declare(uow(), listing_ids=[listing_id], wrong_price=WRONG, correct_price=RIGHT,
                     window_start=datetime(1900, 1, 1, tzinfo=SEOUL), cause="typo",
                     responsible="seller", actor="operator:lee")
    assert refused.value.details["reason"] == "window_before_listing"
    assert refused.value.details["listing_id"] == listing_id
    assert refused.value.details["created_at"] == "2008-06-12 13:00"
    assert _status(uow, listing_id) is ListingStatus.LIVE
    with uow() as u:
        assert u.incidents.all_open_for_listing(listing_id) == []


def test_a_window_from_the_minute_the_listing_was_created_is_accepted(market) -> None:
    """The page gives minutes: a listing created at 13:00:35 is covered by a window from 13:00
    (refusing it would leave an order placed at 13:00:50 outside every window)."""
    uow, clock, _ids = market
    clock.now = datetime(2008, 6, 12, 13, 0, 35, tzinfo=SEOUL)
    product = catalog.register_product(uow(), title="새 상품", category="electronics/mp3",
                                       list_price=RIGHT, actor="t")
    seller = catalog.register_seller(uow(), code="late-seller", name="늦은 가게", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=WRONG, actor="t")
    clock.now = datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)
    row = desk.declare(uow(), listing_ids=[listing.id], wrong_price=WRONG, correct_price=RIGHT,
                       window_start=datetime(2008, 6, 12, 13, 0, tzinfo=SEOUL), cause="typo",
                       responsible="seller", actor="operator:lee")
    assert row.incident.window_start == datetime(2008, 6, 12, 13, 0, tzinfo=SEOUL)


def test_a_listing_in_another_draft_is_declared_through_that_draft_not_dismissed(market) -> None:
    """An operator tester declared draft A over two listings, one of them in draft B; told to
    "declare draft B instead", they dismissed B, which vouched for its wrong price. The advice
    now says to declare B for that listing and what dismissing does."""
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    drafts = []
    for listing_id in (first, second):
        with uow() as u:
            drafts.append(desk.open_draft_incident(
                u, listing=u.market.listing(listing_id), cause="order surge",
                window_start=datetime(2008, 6, 12, 14, 30, tzinfo=SEOUL), evidence={},
                actor="trip"))
            u.commit()
    with pytest.raises(Conflict) as refused:
        desk.declare(uow(), listing_ids=[first, second], incident_id=drafts[0],
                     wrong_price=WRONG, correct_price=RIGHT, cause="90% event as the price",
                     window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
                     responsible="seller", actor="operator:lee")
    said = refused.value.message
    assert f"declare draft {drafts[1]} for listing {second} instead" in said
    assert "leave the listing out of this one" in said
    assert "dismissing vouches for the listing's price" in said
