"""The review queue on PostgreSQL: nobody approves their own held change (whichever channel),
and a held change is stale once another price took effect after it, even one that came back."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from test_price_review import ipod_market

from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeProposal, PriceChangeStatus, Promotion
from sagwa.errors import Conflict, Forbidden, SagwaError
from sagwa.priceguard import load_rules
from sagwa.services import listings, price_review

GATE = price_review.guard_gate(load_rules())
KRW = "KRW"


@pytest.fixture
def market(session_factory):
    """The iPod nano sold by four sellers of test_price_review (:func:`ipod_market`)."""
    return ipod_market(session_factory)[:3]


def _live(uow, listing_id: int) -> Money:
    with uow() as u:
        return u.market.listing(listing_id).price


def _held(uow, listing_id: int, price: int, by: str = "seller:0"):
    change = listings.propose_price_change(uow(), listing_id=listing_id,
                                           new_price=Money(price, KRW), proposed_by=by,
                                           promotion=Promotion(90), gate=GATE)
    assert change.status is PriceChangeStatus.HELD
    return change


@pytest.mark.parametrize("reviewer", ["admin:boss", "api:boss"])
def test_an_admin_cannot_approve_their_own_held_change(market, reviewer: str) -> None:
    uow, _clock, ids = market
    held = _held(uow, ids[0], 19_900, by="admin:boss")  # proposed on the pages
    with pytest.raises(Forbidden) as refused:
        price_review.approve_price_change(uow(), change_id=held.id, reviewer=reviewer, reason="checked with the seller")
    assert refused.value.details["reason"] == "own_change"
    assert _live(uow, ids[0]) == Money(199_000, KRW)
    [item] = price_review.review_queue(uow())  # still held, nothing half-written
    assert item.change.status is PriceChangeStatus.HELD and item.change.decided_by is None
    approved = price_review.approve_price_change(uow(), change_id=held.id,
                                                 reviewer="reviewer:park", reason="checked with the seller")
    assert approved.status is PriceChangeStatus.APPROVED
    assert _live(uow, ids[0]) == Money(19_900, KRW)


def test_the_proposer_may_withdraw_their_own_change_by_rejecting_it(market) -> None:
    uow, _clock, ids = market
    held = _held(uow, ids[0], 19_900, by="api:boss")
    rejected = price_review.reject_price_change(uow(), change_id=held.id, reviewer="admin:boss",
                                                reason="제가 잘못 입력했습니다")
    assert rejected.status is PriceChangeStatus.REJECTED
    assert _live(uow, ids[0]) == Money(199_000, KRW)


def test_a_held_change_is_not_approvable_after_the_price_went_away_and_came_back(market) -> None:
    uow, clock, ids = market
    held = _held(uow, ids[0], 19_900)
    clock.now += timedelta(days=2)
    for price in (150_000, 199_000):  # 199,000 -> 150,000 -> 199,000, both applied
        moved = listings.propose_price_change(uow(), listing_id=ids[0],
                                              new_price=Money(price, KRW),
                                              proposed_by="seller:0", gate=GATE)
        assert moved.status is PriceChangeStatus.APPLIED
    assert _live(uow, ids[0]) == held.old_price  # the same price as at the proposal
    with pytest.raises(SagwaError) as refused:  # superseded (listings.py) or stale (here)
        price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:park", reason="checked with the seller")
    assert refused.value.details["reason"] in {"change_not_held", "live_price_moved"}
    assert _live(uow, ids[0]) == Money(199_000, KRW)


def _applied_behind_the_queue(uow, listing_id: int, price: int) -> None:
    """A price that takes effect without superseding the held change (as a writer other than
    propose_price_change would): the stale check must not rely on supersession."""
    with uow() as u:
        listing = u.market.listing(listing_id, for_update=True)
        proposal = PriceChangeProposal(listing_id, listing.price, Money(price, KRW), "seller:0",
                                       None)
        u.market.add_price_change(proposal, PriceChangeStatus.APPLIED, u.now())
        u.market.save_listing(replace(listing, price=Money(price, KRW)), u.now())
        u.commit()


def test_a_price_that_moved_and_came_back_makes_the_held_change_stale(market) -> None:
    uow, clock, ids = market
    held = _held(uow, ids[0], 19_900)
    with uow() as u:
        assert u.market.prices_moved_after([held]) == set()
    for price in (150_000, 199_000):
        clock.now += timedelta(hours=1)
        _applied_behind_the_queue(uow, ids[0], price)
    assert _live(uow, ids[0]) == held.old_price
    with uow() as u:  # what the seller's listing page marks "can no longer be approved"
        assert u.market.prices_moved_after([held]) == {ids[0]}
    [item] = price_review.review_queue(uow())
    assert item.change.id == held.id
    ko, en = item.stale_ko_en or ("", "")
    assert "다시 199,000원이 되었습니다" in ko and "back at 199,000" in en
    with pytest.raises(Conflict) as refused:
        price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:park", reason="checked with the seller")
    assert refused.value.details == {"stale": True, "reason": "live_price_moved"}
    assert _live(uow, ids[0]) == Money(199_000, KRW)
    with uow() as u:
        assert u.market.price_change(held.id).status is PriceChangeStatus.HELD


def test_a_change_that_took_effect_before_the_proposal_does_not_make_it_stale(market) -> None:
    uow, clock, ids = market
    _applied_behind_the_queue(uow, ids[0], 150_000)
    clock.now += timedelta(hours=1)
    _applied_behind_the_queue(uow, ids[0], 199_000)
    clock.now += timedelta(hours=1)
    held = _held(uow, ids[0], 19_900)
    assert [i.stale_ko_en for i in price_review.review_queue(uow())] == [None]
    approved = price_review.approve_price_change(uow(), change_id=held.id,
                                                 reviewer="reviewer:park", reason="checked with the seller")
    assert approved.status is PriceChangeStatus.APPROVED


def test_a_held_change_on_a_listing_nobody_touched_is_not_stale(market) -> None:
    uow, clock, ids = market
    held = _held(uow, ids[0], 19_900)
    clock.now += timedelta(minutes=5)
    other = listings.propose_price_change(uow(), listing_id=ids[1], new_price=Money(185_000, KRW),
                                          proposed_by="seller:1", gate=GATE)
    assert other.status is PriceChangeStatus.APPLIED  # another listing's price moved, not this
    assert [i.stale_ko_en for i in price_review.review_queue(uow())] == [None]
    approved = price_review.approve_price_change(uow(), change_id=held.id,
                                                 reviewer="reviewer:park", reason="checked with the seller")
    assert approved.status is PriceChangeStatus.APPROVED


def test_an_earlier_change_approved_after_the_proposal_counts_as_a_move(market) -> None:
    uow, clock, ids = market
    earlier = _held(uow, ids[0], 19_900)
    clock.now += timedelta(minutes=5)
    with uow() as u:  # a second held change that does not supersede the first
        listing = u.market.listing(ids[0])
        later = u.market.add_price_change(
            PriceChangeProposal(ids[0], listing.price, Money(29_900, KRW), "seller:0", None),
            PriceChangeStatus.HELD, u.now())
        u.commit()
    with uow() as u:
        assert not u.market.price_moved_after(ids[0], change_id=later.id,
                                              proposed_at=later.proposed_at)
        assert u.market.prices_moved_after([later]) == set()  # the seller's listing page's
    clock.now += timedelta(minutes=5)
    price_review.approve_price_change(uow(), change_id=earlier.id, reviewer="reviewer:park", reason="checked with the seller")
    with uow() as u:
        assert u.market.price_moved_after(ids[0], change_id=later.id,
                                          proposed_at=later.proposed_at)
        assert u.market.prices_moved_after([later, earlier]) == {ids[0]}
