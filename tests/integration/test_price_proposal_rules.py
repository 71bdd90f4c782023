"""Proposing a price: promotions must be running, a newer proposal supersedes older held ones,
the idempotency key covers who proposed and the promotion's dates, and a new listing's first
price meets the guard when it is published."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_price_review import ipod_market

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.errors import IdempotencyMismatch, IllegalTransition, InvalidInput
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review

RULES = load_rules()
GATE = price_review.guard_gate(RULES)
KRW = "KRW"


@pytest.fixture
def market(session_factory):
    """The iPod nano sold by four sellers of test_price_review (:func:`ipod_market`)."""
    return ipod_market(session_factory)


def _listing(uow, listing_id):
    with uow() as u:
        return u.market.listing(listing_id)


def _actions(uow, listing_id):
    with uow() as u:
        return [e.event.action for e in u.audit.for_entity("listing", str(listing_id))]


# 1. promotion dates

@pytest.mark.parametrize(("days", "field", "reason"), [
    ((-30, -29), "promotion.ends_at", "promotion_ended"),
    ((365, 366), "promotion.starts_at", "promotion_not_started"),
])  # fmt: skip
def test_a_promotion_not_running_now_cannot_justify_a_cut_and_nothing_is_stored(
        market, days, field, reason) -> None:
    uow, clock, ids, _ = market
    promo = Promotion(80, clock.now + timedelta(days=days[0]), clock.now + timedelta(days=days[1]))
    with pytest.raises(InvalidInput) as caught:
        listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(40_000, KRW),
                                      proposed_by="seller:0", promotion=promo, gate=GATE)
    assert (caught.value.details["field"], caught.value.details["reason"]) == (field, reason)
    assert _listing(uow, ids[0]).price == Money(199_000, KRW)
    with uow() as u:
        assert u.market.price_changes_for(ids[0]) == []
    assert "price_change.applied" not in _actions(uow, ids[0])


def test_a_running_promotion_is_accepted_with_its_dates(market) -> None:
    uow, clock, ids, _ = market
    promo = Promotion(50, clock.now - timedelta(hours=2), clock.now + timedelta(hours=1))
    change = listings.propose_price_change(uow(), listing_id=ids[0],
                                           new_price=Money(99_500, KRW), proposed_by="seller:0",
                                           promotion=promo, gate=GATE)
    assert change.status in (PriceChangeStatus.APPLIED, PriceChangeStatus.HELD)


# 2. a newer proposal supersedes older held ones

def test_a_newer_proposal_supersedes_the_listings_held_ones(market) -> None:
    uow, clock, ids, _ = market
    first = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(19_900, KRW),
                                          proposed_by="seller:0", gate=GATE)
    clock.now += timedelta(minutes=5)
    other = listings.propose_price_change(uow(), listing_id=ids[1], new_price=Money(18_900, KRW),
                                          proposed_by="seller:1", gate=GATE)
    second = listings.propose_price_change(uow(), listing_id=ids[0],
                                           new_price=Money(29_900, KRW), proposed_by="seller:0",
                                           gate=GATE)
    third = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(19_900, KRW),
                                          proposed_by="seller:0", gate=GATE)
    assert PriceChangeStatus.HELD == first.status == second.status == third.status == other.status
    assert {i.change.id for i in price_review.review_queue(uow())} == {other.id, third.id}
    with uow() as u:
        for old in (first, second):
            stored = u.market.price_change(old.id)
            assert stored.status is PriceChangeStatus.SUPERSEDED
            assert stored.decided_by == "seller:0"
        superseded = [e.event.after for e in u.audit.for_entity("listing", str(ids[0]))
                      if e.event.action == "price_change.superseded"]
    assert [(a["price_change_id"], a["superseded_by"]) for a in superseded] == [
        (first.id, second.id), (second.id, third.id)]
    with pytest.raises(IllegalTransition) as caught:
        price_review.approve_price_change(uow(), change_id=first.id, reviewer="reviewer:r", reason="checked with the seller")
    assert caught.value.details["status"] == "superseded"
    assert _listing(uow, ids[0]).price == Money(199_000, KRW)


def test_an_applied_proposal_also_supersedes_a_held_one(market) -> None:
    uow, _clock, ids, _ = market
    held = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(19_900, KRW),
                                         proposed_by="seller:0", gate=GATE)
    applied = listings.propose_price_change(uow(), listing_id=ids[0],
                                            new_price=Money(195_000, KRW),
                                            proposed_by="seller:0", gate=GATE)
    assert applied.status is PriceChangeStatus.APPLIED
    with uow() as u:
        assert u.market.price_change(held.id).status is PriceChangeStatus.SUPERSEDED
    assert price_review.review_queue(uow()) == []


# 3. the idempotency fingerprint

@pytest.mark.parametrize("changed", [
    {"proposed_by": "someone-else"},
    {"promotion_days": 30},
])  # fmt: skip
def test_the_same_key_with_another_proposer_or_promotion_end_is_refused(market, changed) -> None:
    uow, clock, ids, _ = market
    now = clock.now

    def propose(proposed_by: str = "seller:0", promotion_days: int = 1):
        return listings.propose_price_change(
            uow(), listing_id=ids[0], new_price=Money(99_500, KRW), proposed_by=proposed_by,
            promotion=Promotion(50, now, now + timedelta(days=promotion_days)), gate=GATE,
            idempotency_key="k1")

    first = propose()
    assert propose().id == first.id  # the very same request is answered with the first result
    with pytest.raises(IdempotencyMismatch):
        propose(**changed)


# 4. a new listing's first price

def test_publishing_a_listing_at_a_tenth_of_the_price_holds_it(market) -> None:
    uow, _clock, _ids, product_id = market
    seller = catalog.register_seller(uow(), code="s-bad", name="bad", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(19_900, KRW), actor="t")
    after = listings.change_listing_status(uow(), listing_id=draft.id,
                                           trigger=ListingTrigger.PUBLISH, actor="seller:s-bad",
                                           gate=GATE)
    assert after.status is ListingStatus.HELD and not after.orderable
    with uow() as u:
        entry = u.audit.for_entity("listing", str(draft.id))[-1].event
    assert entry.action == "listing.hold"
    assert entry.after["guard"]["verdict"] == "hold" and entry.after["reason"]
    released = listings.change_listing_status(uow(), listing_id=draft.id,
                                              trigger=ListingTrigger.RELEASE,
                                              actor="reviewer:r", reason="checked with the seller", gate=GATE)
    assert released.status is ListingStatus.LIVE


def test_publishing_at_an_ordinary_price_goes_live(market) -> None:
    uow, _clock, _ids, product_id = market
    seller = catalog.register_seller(uow(), code="s-ok", name="ok", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(192_000, KRW), actor="t")
    after = listings.change_listing_status(uow(), listing_id=draft.id,
                                           trigger=ListingTrigger.PUBLISH, actor="t", gate=GATE)
    assert after.status is ListingStatus.LIVE


@pytest.mark.parametrize(("price", "status"), [(19_900, ListingStatus.HELD),
                                               (189_000, ListingStatus.LIVE)])
def test_a_first_price_with_no_other_seller_is_judged_against_the_list_price(
        market, price: int, status: ListingStatus) -> None:
    """No other seller to compare with: the first price is measured against the product's list
    price (the proposal says it is a first price), not against itself."""
    uow, _clock, _ids, _product_id = market
    product = catalog.register_product(uow(), title="새 MP3 플레이어", category="electronics",
                                       actor="t", list_price=Money(199_000, KRW))
    seller = catalog.register_seller(uow(), code="s-solo", name="solo", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                    price=Money(price, KRW), actor="t")
    after = listings.change_listing_status(uow(), listing_id=draft.id,
                                           trigger=ListingTrigger.PUBLISH, actor="seller:s-solo",
                                           gate=GATE)
    assert after.status is status
    if status is ListingStatus.HELD:  # the reason names the list price, not "the current price"
        with uow() as unit:
            hold = listings.publication_hold(unit, draft.id)
        assert hold is not None
        assert "the list price (199,000 KRW)" in (hold.reason_en or ""), hold.reason_en
        assert "정가(199,000원)" in (hold.reason_ko or ""), hold.reason_ko
