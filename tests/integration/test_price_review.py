"""The price guard wired into "propose a price change", the review queue and the tripwire."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeProposal, PriceChangeStatus, Promotion
from sagwa.errors import Conflict, IllegalTransition, InvalidInput, ListingNotOrderable
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, orders, price_review
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

RULES = load_rules()
KRW = "KRW"


def ipod_market(session_factory):
    """An iPod nano (199,000 KRW list price) sold by four sellers, with a clock we move:
    ``(uow factory, clock, listing ids, product id)`` (other test modules build on it too)."""
    clock = ManualClock(datetime(2008, 5, 1, 3, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB",
                                       category="electronics/mp3", actor="t",
                                       list_price=Money(199_000, KRW))
    ids = []
    for n, price in enumerate((199_000, 189_000, 195_000, 193_000)):
        seller = catalog.register_seller(uow(), code=f"seller-{n}", name=f"판매자{n}", actor="t")
        listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                          price=Money(price, KRW), actor="t")
        listings.change_listing_status(uow(), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t")
        ids.append(listing.id)
    return uow, clock, ids, product.id


@pytest.fixture
def market(session_factory):
    """:func:`ipod_market` and 60 customers."""
    uow, clock, ids, _ = ipod_market(session_factory)
    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(60)]
    return uow, clock, ids, customers


def test_the_2008_ninety_percent_event_is_held_and_the_live_price_stays(market) -> None:
    uow, _clock, ids, _ = market
    change = listings.propose_price_change(
        uow(), listing_id=ids[0], new_price=Money(19_900, KRW), proposed_by="seller:0",
        promotion=Promotion(90), gate=price_review.guard_gate(RULES))
    assert change.status is PriceChangeStatus.HELD
    assert change.guard is not None and change.guard.verdict == "hold"
    assert change.guard.reason_en and change.guard.reason_ko
    with uow() as u:
        assert u.market.listing(ids[0]).price == Money(199_000, KRW)
    assert [i.change.id for i in price_review.review_queue(uow())] == [change.id]


def test_an_ordinary_price_cut_goes_live(market) -> None:
    uow, _clock, ids, _ = market
    change = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(185_000, KRW),
                                           proposed_by="seller:0",
                                           gate=price_review.guard_gate(RULES))
    assert change.status is PriceChangeStatus.APPLIED
    with uow() as u:
        assert u.market.listing(ids[0]).price == Money(185_000, KRW)


def test_dry_run_check_stores_nothing(market) -> None:
    uow, _clock, ids, _ = market
    opinion = price_review.check_price_change(uow(), listing_id=ids[1], new_price=Money(18_900, KRW),
                                              rules=RULES)
    assert opinion.verdict == "hold"
    with uow() as u:
        assert u.market.price_changes_for(ids[1]) == []
        assert u.market.listing(ids[1]).price == Money(189_000, KRW)


def test_approved_change_goes_live_and_rejected_one_never_does(market) -> None:
    uow, _clock, ids, _ = market
    gate = price_review.guard_gate(RULES)
    first = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(19_900, KRW),
                                          proposed_by="seller:0", gate=gate)
    second = listings.propose_price_change(uow(), listing_id=ids[1], new_price=Money(18_900, KRW),
                                           proposed_by="seller:1", gate=gate)
    with pytest.raises(InvalidInput):
        price_review.reject_price_change(uow(), change_id=second.id, reviewer="r", reason=" ")
    rejected = price_review.reject_price_change(uow(), change_id=second.id, reviewer="reviewer:park",
                                                reason="0이 빠진 것 같습니다")
    approved = price_review.approve_price_change(uow(), change_id=first.id,
                                                 reviewer="reviewer:park", reason="clearance")
    assert (rejected.status, approved.status) == (PriceChangeStatus.REJECTED,
                                                  PriceChangeStatus.APPROVED)
    with uow() as u:
        assert u.market.listing(ids[0]).price == Money(19_900, KRW)
        assert u.market.listing(ids[1]).price == Money(189_000, KRW)
        actions = [r.event.action for r in u.audit.for_entity("listing", str(ids[1]))]
        decisions = {r.event.action: r.event for r in [*u.audit.for_entity("listing", str(ids[0])),
                                                       *u.audit.for_entity("listing", str(ids[1]))]}
    assert "price_change.rejected" in actions
    # the audit log keeps who decided and why, as the seller reads it
    rejected_event = decisions["price_change.rejected"]
    assert rejected_event.actor == "reviewer:park"
    assert rejected_event.after == {"price_change_id": second.id, "proposed": {
        "amount_minor": 18_900, "currency": KRW}, "reason": "0이 빠진 것 같습니다"}
    approved_event = decisions["price_change.approved"]
    assert approved_event.actor == "reviewer:park"
    assert approved_event.after is not None and approved_event.after["reason"] == "clearance"
    assert approved_event.after["price_change_id"] == first.id
    with pytest.raises(IllegalTransition) as decided:
        price_review.approve_price_change(uow(), change_id=second.id, reviewer="r", reason="checked with the seller")
    assert decided.value.details["reason"] == "change_not_held"


def test_approving_a_stale_change_is_refused(market) -> None:
    uow, _clock, ids, _ = market
    gate = price_review.guard_gate(RULES)
    held = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(19_900, KRW),
                                         proposed_by="seller:0", gate=gate)
    # the live price moves without a new proposal (a newer proposal would supersede the held
    # one): as the end of a promotion restores a price
    with uow() as u:
        listing = u.market.listing(ids[0], for_update=True)
        u.market.add_price_change(PriceChangeProposal(ids[0], listing.price, Money(197_000, KRW),
                                                      "system:promotion_end", None),
                                  PriceChangeStatus.APPLIED, u.now())
        u.market.save_listing(replace(listing, price=Money(197_000, KRW)), u.now())
        u.commit()
    [item] = price_review.review_queue(uow())
    ko, en = item.stale_ko_en  # the queue says so before anyone clicks approve
    assert "197,000원으로 바뀌었습니다" in ko and "moved from" in en
    with pytest.raises(Conflict) as refused:
        price_review.approve_price_change(uow(), change_id=held.id, reviewer="r", reason="checked with the seller")
    assert refused.value.details == {"stale": True, "reason": "live_price_moved"}
    ended = listings.propose_price_change(
        uow(), listing_id=ids[1], new_price=Money(18_900, KRW), proposed_by="seller:1", gate=gate
    )
    listings.change_listing_status(uow(), listing_id=ids[1], trigger=ListingTrigger.END, actor="t")
    with pytest.raises(Conflict) as refused:
        price_review.approve_price_change(uow(), change_id=ended.id, reviewer="r", reason="checked with the seller")
    assert refused.value.details == {"stale": True, "reason": "listing_ended_since_proposal"}


def _orders(uow, clock, listing_id, customers, count, every):
    for n in range(count):
        clock.now += every
        orders.place_order(uow(), customer_id=customers[n % len(customers)],
                           listing_id=listing_id, quantity=1, actor="t")


def test_tripwire_pauses_a_listing_under_an_order_surge(market) -> None:
    uow, clock, ids, customers = market
    _orders(uow, clock, ids[0], customers, 40, timedelta(hours=14))  # ~3 weeks, 1 every 14 h
    listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(189_000, KRW),
                                  proposed_by="seller:0")
    with pytest.raises(ListingNotOrderable):
        _orders(uow, clock, ids[0], customers, 40, timedelta(minutes=2))
    with uow() as u:
        assert u.market.listing(ids[0]).status is ListingStatus.PAUSED
        trail = u.audit.for_entity("listing", str(ids[0]))
    assert trail[-1].event.action == "listing.paused_by_tripwire"
    assert trail[-1].event.after["observed"] >= 5
    with uow() as u:
        draft_id = u.incidents.open_for_listing(ids[0])
        draft = u.incidents.get(draft_id)
    assert draft.incident.status.value == "draft"
    assert draft.incident.wrong_price == Money(189_000, KRW)
    assert draft.evidence["observed"] >= 5


def test_tripwire_leaves_a_normal_day_alone(market) -> None:
    uow, clock, ids, customers = market
    _orders(uow, clock, ids[0], customers, 40, timedelta(hours=14))
    listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(189_000, KRW),
                                  proposed_by="seller:0")
    _orders(uow, clock, ids[0], customers, 3, timedelta(hours=6))
    with uow() as u:
        assert u.market.listing(ids[0]).status is ListingStatus.LIVE


def test_a_promotion_price_cannot_be_approved_after_its_promotion_ended(market) -> None:
    """A held 70% promotion is stale once the promotion is over: the queue says so in both
    languages and with a code, and approving is refused (the price would otherwise go live
    after the promotion it leans on, and stay until the promotion-end job ran)."""
    uow, clock, ids, _ = market
    promotion = Promotion(70, clock.now - timedelta(minutes=5), clock.now + timedelta(hours=2))
    held = listings.propose_price_change(
        uow(), listing_id=ids[0], new_price=Money(59_700, KRW), proposed_by="seller:0",
        promotion=promotion, gate=price_review.guard_gate(RULES))
    assert held.status is PriceChangeStatus.HELD
    [item] = price_review.review_queue(uow())
    assert item.stale_code is None  # still running: it may be approved
    clock.advance(timedelta(hours=5))
    [item] = price_review.review_queue(uow())
    assert item.stale_code == "promotion_ended_since_proposal"
    ko, en = item.stale_ko_en
    assert "할인 행사가 2008-05-01 14:00(한국 시간)에 끝났습니다" in ko
    assert "ended at 2008-05-01 14:00 KST" in en
    with pytest.raises(Conflict) as refused:
        price_review.approve_price_change(uow(), change_id=held.id, reviewer="r",
                                          reason="checked with the seller")
    assert refused.value.details == {"stale": True, "reason": "promotion_ended_since_proposal"}
    with uow() as u:
        assert u.market.listing(ids[0]).price == Money(199_000, KRW)
    rejected = price_review.reject_price_change(uow(), change_id=held.id, reviewer="r",
                                                reason="the promotion is over")
    assert rejected.status is PriceChangeStatus.REJECTED


@pytest.mark.parametrize("declared", [True, False])
def test_a_deep_cut_made_in_two_steps_is_held_and_the_live_price_stays(market,
                                                                       declared: bool) -> None:
    """Electronics need a reviewer from 60% off: two 59% promotions stacked (83% in all), or
    two undeclared 40% cuts (64%), each short of the limit, are held at the second step (a
    review's finding: both went live without a reviewer)."""
    uow, clock, ids, _ = market
    gate = price_review.guard_gate(RULES)
    promotion = (Promotion(59, clock.now - timedelta(minutes=1), clock.now + timedelta(days=7))
                 if declared else None)
    first, second = (81_590, 33_452) if declared else (119_400, 71_640)
    step = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(first, KRW),
                                         proposed_by="seller:0", promotion=promotion, gate=gate)
    assert step.status is PriceChangeStatus.APPLIED
    clock.advance(timedelta(minutes=5))
    held = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(second, KRW),
                                         proposed_by="seller:0", promotion=promotion, gate=gate)
    assert held.status is PriceChangeStatus.HELD
    assert held.guard is not None and held.guard.reason_code == "cut_too_deep_in_steps"
    assert "before this run of 2 cuts in a row (199,000 KRW)" in held.guard.reason_en
    assert "2번 연속 인하되기 전 가격(199,000원)" in (held.guard.reason_ko or "")
    with uow() as u:
        assert u.market.listing(ids[0]).price == Money(first, KRW)
    with pytest.raises(InvalidInput, match="needs a reason"):  # a policy hold (or a big move)
        price_review.approve_price_change(uow(), change_id=held.id, reviewer="r")
    price_review.approve_price_change(uow(), change_id=held.id, reviewer="r",
                                      reason="the seller's clearance, checked by phone")
    with uow() as u:
        assert u.market.listing(ids[0]).price == Money(second, KRW)
