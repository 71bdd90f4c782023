"""A listing paused in an open incident goes back on sale only when it is safe: not while a
draft incident (the order tripwire's) waits for an operator, not at the incident's wrong price;
after the price is corrected, or the draft dismissed, it may. While the incident is open its
wrong price is not set again either: not proposed, not checked as fine, not approved."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from test_desk_declare import RIGHT, WRONG, market  # noqa: F401  (market is the fixture)

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.errors import Conflict
from sagwa.priceguard import load_rules
from sagwa.services import desk, listings, price_review

SEOUL = ZoneInfo("Asia/Seoul")


def _resume(uow, listing_id: int):
    return listings.change_listing_status(uow(), listing_id=listing_id,
                                          trigger=ListingTrigger.RESUME, actor="seller:s")


def _held_at_then_declared(uow, listing_id: int, price: Money):
    """The seller corrects the price, then proposes ``price``, which the guard holds; the
    incident at WRONG is declared and the listing resumed at the right price. The held change
    and the incident."""
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=RIGHT, proposed_by="s")
    held = listings.propose_price_change(uow(), listing_id=listing_id, new_price=price,
                                         proposed_by="s",
                                         gate=price_review.guard_gate(load_rules()))
    assert held.status is PriceChangeStatus.HELD  # the guard held the slip, before any incident
    incident = desk.declare(uow(), listing_ids=[listing_id], wrong_price=WRONG,
                            correct_price=RIGHT, cause="90% event as the price",
                            responsible="seller", actor="op",
                            window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)).incident
    assert _resume(uow, listing_id).status is ListingStatus.LIVE  # at the right price
    return held, incident


def test_a_listing_is_not_resumed_at_a_declared_incidents_wrong_price(market) -> None:  # noqa: F811
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    incident = desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, correct_price=RIGHT,
                            cause="90% event as the price", responsible="seller", actor="op",
                            window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)).incident
    with pytest.raises(Conflict) as refused:
        _resume(uow, first)
    assert refused.value.details["reason"] == "listing_at_wrong_price"
    assert refused.value.details["incident_id"] == incident.incident_id
    with uow() as u:
        assert u.market.listing(first).status is ListingStatus.PAUSED
    listings.propose_price_change(uow(), listing_id=first, new_price=RIGHT, proposed_by="s")
    assert _resume(uow, first).status is ListingStatus.LIVE


def test_a_closed_incidents_wrong_price_does_not_go_back_on_sale(market) -> None:  # noqa: F811
    """A walkthrough closed an incident (its customers settled) with the listing still at the
    wrong price, resumed it, and took a new order at the very price apologised for."""
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    incident = desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, correct_price=RIGHT,
                            cause="90% event as the price", responsible="seller", actor="op",
                            window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)).incident
    desk.scope(uow(), incident_id=incident.incident_id, actor="op")  # nobody ordered
    desk.close(uow(), incident_id=incident.incident_id, actor="op", reason="nobody affected")
    with pytest.raises(Conflict) as refused:
        _resume(uow, first)
    assert refused.value.details["reason"] == "listing_at_wrong_price"
    assert refused.value.details["incident_id"] == incident.incident_id
    assert "(closed)" in refused.value.message
    with uow() as u:
        assert u.market.listing(first).status is ListingStatus.PAUSED
    listings.propose_price_change(uow(), listing_id=first, new_price=RIGHT, proposed_by="s")
    assert _resume(uow, first).status is ListingStatus.LIVE
    # nor is the wrong price set again once it is back on sale (a review got round the resume
    # rule so: right price, resume, then the wrong price proposed and applied)
    with pytest.raises(Conflict) as again:
        listings.propose_price_change(uow(), listing_id=first, new_price=WRONG, proposed_by="s")
    assert again.value.details["reason"] == "price_is_incident_wrong_price"
    assert again.value.details["incident_id"] == incident.incident_id
    with uow() as u:
        assert u.market.listing(first).price == RIGHT


def test_a_listing_paused_by_a_draft_waits_for_the_operator(market) -> None:  # noqa: F811
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    with uow() as u:
        listing = u.market.listing(first)
        u.market.save_listing(listing.__class__(**{**listing.__dict__,
                                                   "status": ListingStatus.PAUSED}), u.now())
        draft = desk.open_draft_incident(u, listing=listing, cause="order surge", evidence={},
                                         window_start=clock.now, actor="system:tripwire")
        u.commit()
    with pytest.raises(Conflict) as refused:
        _resume(uow, first)
    assert refused.value.details["reason"] == "listing_in_draft_incident"
    assert refused.value.details["incident_id"] == draft
    desk.close(uow(), incident_id=draft, actor="operator:lee", reason="a real sale")  # dismiss
    assert _resume(uow, first).status is ListingStatus.LIVE


def test_an_open_incidents_wrong_price_is_not_set_again_nor_approved(market) -> None:  # noqa: F811
    """A review's finding: after the seller corrected the price and resumed, a change back to
    the wrong price that the guard held was approved by a reviewer, and the listing sold at the
    incident's wrong price again, to customers outside its cases."""
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    held, incident = _held_at_then_declared(uow, first, WRONG)
    with pytest.raises(Conflict) as refused:
        price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:kim",
                                          reason="the seller confirmed a clearance")
    assert refused.value.details["reason"] == "price_is_incident_wrong_price"
    assert refused.value.details["incident_id"] == incident.incident_id
    # the review queue says so before the click (the button is disabled by it)
    [item] = [i for i in price_review.review_queue(uow()) if i.change.id == held.id]
    assert item.stale_code == "price_is_incident_wrong_price"
    assert item.stale_ko_en and f"#{incident.incident_id}" in item.stale_ko_en[1]
    for propose in (listings.propose_price_change, price_review.check_price_change):
        kwargs = {"proposed_by": "s"} if propose is listings.propose_price_change else \
            {"rules": load_rules()}
        with pytest.raises(Conflict) as again:
            propose(uow(), listing_id=first, new_price=WRONG, **kwargs)
        assert again.value.details["reason"] == "price_is_incident_wrong_price"
    with uow() as u:
        assert u.market.listing(first).price == RIGHT
        assert u.market.price_change(held.id).status is PriceChangeStatus.HELD
    # the reviewer may still reject it; another price is proposed as usual
    price_review.reject_price_change(uow(), change_id=held.id, reviewer="reviewer:kim",
                                     reason="the incident's wrong price")
    listings.propose_price_change(uow(), listing_id=first, new_price=Money(189_000, "KRW"),
                                  proposed_by="s")


def test_a_promotions_end_does_not_put_an_open_incidents_wrong_price_back(market) -> None:  # noqa: F811
    """A review's finding: a 10% promotion declared on the corrected price, after the incident,
    ended by putting the price before it — the incident's wrong price — back on sale."""
    from datetime import timedelta

    from sagwa.domain.pricing import Promotion
    from sagwa.services.promotion_end import PromotionEnd, end_promotion

    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    incident = desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, correct_price=RIGHT,
                            cause="90% event as the price", responsible="seller", actor="op",
                            window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)).incident
    promo = listings.propose_price_change(
        uow(), listing_id=first, new_price=Money(179_100, "KRW"), proposed_by="s",
        promotion=Promotion(10, clock.now - timedelta(minutes=1), clock.now + timedelta(days=2)))
    assert _resume(uow, first).status is ListingStatus.LIVE
    clock.now += timedelta(days=3)
    assert end_promotion(uow(), price_change_id=promo.id) is PromotionEnd.KEPT_FOR_INCIDENT
    with uow() as u:
        assert u.market.listing(first).price == Money(179_100, "KRW")
        [entry] = [r for r in u.audit.for_entity("listing", str(first))
                   if r.event.action == "price_change.promotion_ended"]
    assert entry.event.after["outcome"] == "kept_for_incident"
    assert entry.event.after["incident_id"] == incident.incident_id
    assert entry.event.after["not_restored"] == WRONG.as_dict()


def test_a_price_close_to_an_incidents_wrong_price_is_refused_like_the_price_itself(market) -> None:  # noqa: F811
    """A walkthrough's finding: after an incident at 19,900 (correct 199,000), the seller
    proposed 19,910, the guard held it, and a reviewer approved it with the card silent about
    the incident, while the public notice said the wrong price could not be set again."""
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    held, incident = _held_at_then_declared(uow, first, Money(19_910, "KRW"))
    with pytest.raises(Conflict) as refused:
        price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:kim",
                                          reason="the seller says clearance")
    details = refused.value.details
    assert details["reason"] == "price_is_incident_wrong_price"
    assert details["incident_id"] == incident.incident_id
    assert details["wrong_price"] == WRONG.as_dict()
    assert (details["wrong_price_low"]["amount_minor"],
            details["wrong_price_high"]["amount_minor"]) == (18_091, 21_890)
    assert "close to 19,900 KRW" in refused.value.message
    [item] = [i for i in price_review.review_queue(uow()) if i.change.id == held.id]
    assert item.stale_code == "price_is_incident_wrong_price"
    assert item.stale_ko_en and "any price up to 21,890 KRW" in item.stale_ko_en[1]
    assert "21,890원 이하는" in item.stale_ko_en[0]  # lower prices too: the mistake, worse
    for price in (Money(19_990, "KRW"), Money(21_890, "KRW"), Money(18_091, "KRW")):
        with pytest.raises(Conflict) as again:
            listings.propose_price_change(uow(), listing_id=first, new_price=price,
                                          proposed_by="s")
        assert again.value.details["reason"] == "price_is_incident_wrong_price", price
    with uow() as u:
        assert u.market.listing(first).price == RIGHT
    # above the band the listing's prices are the seller's (the guard judges them as usual);
    # below it the mistake is only worse (test_the_wrong_price_is_blocked_for_the_product)
    for price in (Money(21_900, "KRW"), Money(99_500, "KRW")):
        listings.propose_price_change(uow(), listing_id=first, new_price=price,
                                      proposed_by="s")


def test_a_listing_is_not_resumed_at_a_price_close_to_the_wrong_one(market) -> None:  # noqa: F811
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, correct_price=RIGHT,
                 cause="90% event as the price", responsible="seller", actor="op",
                 window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL))
    with uow() as u:  # as if the price had been nudged while paused, before this rule
        listing = u.market.listing(first)
        u.market.save_listing(listing.__class__(**{**listing.__dict__,
                                                   "price": Money(20_000, "KRW")}), u.now())
        u.commit()
    with pytest.raises(Conflict) as refused:
        _resume(uow, first)
    assert refused.value.details["reason"] == "listing_at_wrong_price"
    assert "close to 19,900 KRW" in refused.value.message


def test_the_wrong_price_and_any_lower_one_are_blocked_for_the_whole_product(market) -> None:  # noqa: F811
    """A review's finding: after an incident at 19,900 (correct 199,000) on one listing, 9,000
    on that listing was only held and approved, and 19,900 on another seller's listing of the
    same product was proposed and approved — while the public notice said the wrong price was
    blocked for the product."""
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=second, new_price=RIGHT, proposed_by="s2")
    held = listings.propose_price_change(uow(), listing_id=second, new_price=WRONG,
                                         proposed_by="s2",
                                         gate=price_review.guard_gate(load_rules()))
    assert held.status is PriceChangeStatus.HELD  # held before the incident about ``first``
    _, incident = _held_at_then_declared(uow, first, Money(9_000, "KRW"))
    with pytest.raises(Conflict) as refused:
        price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:kim",
                                          reason="another seller, another listing")
    details = refused.value.details
    assert (details["reason"], details["incident_id"]) == (
        "price_is_incident_wrong_price", incident.incident_id)
    assert details["incident_listing_ids"] == [first]
    assert "refused_low" not in details  # every lower price is refused
    assert details["refused_high"] == Money(21_890, "KRW").as_dict()
    assert f"on listing {first} of the same product" in refused.value.message
    assert f"이 상품의 다른 판매(#{first})에서 난 사고 #{incident.incident_id}" in details["said_ko"]
    [item] = [i for i in price_review.review_queue(uow()) if i.change.id == held.id]
    assert item.stale_code == "price_is_incident_wrong_price"
    for listing_id in (first, second):
        for price in (WRONG, Money(9_000, "KRW"), Money(1, "KRW"), Money(21_890, "KRW")):
            for propose in (listings.propose_price_change, price_review.check_price_change):
                kwargs = {"proposed_by": "s"} if propose is listings.propose_price_change else \
                    {"rules": load_rules()}
                with pytest.raises(Conflict) as again:
                    propose(uow(), listing_id=listing_id, new_price=price, **kwargs)
                assert again.value.details["reason"] == "price_is_incident_wrong_price", price
    below = refused_as(uow, first, Money(9_000, "KRW"))
    assert "below 19,900 KRW" in below.message and "up to 21,890 KRW" in below.message
    assert "19,900원보다 낮은 가격(21,890원 이하는 같은 실수로 봅니다)" in below.details["said_ko"]
    with uow() as u:
        assert u.market.listing(second).price == RIGHT and u.market.listing(first).price == RIGHT
    listings.propose_price_change(uow(), listing_id=second, new_price=Money(21_900, "KRW"),
                                  proposed_by="s2")  # above the band: the seller's price


def refused_as(uow, listing_id: int, price: Money) -> Conflict:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict) as refused:
        listings.propose_price_change(uow(), listing_id=listing_id, new_price=price,
                                      proposed_by="s")
    return refused.value


def test_another_listing_of_the_product_is_not_resumed_past_the_wrong_price(market) -> None:  # noqa: F811
    """From a review: resume still read only the listing's own incidents, so another seller's
    listing of the product, paused at 9,000 before the incident at 19,900 (correct 199,000),
    went back on sale at the mistake made worse."""
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=second, new_price=Money(9_000, "KRW"),
                                  proposed_by="s2")  # no guard on this path: applied
    listings.change_listing_status(uow(), listing_id=second, trigger=ListingTrigger.PAUSE,
                                   actor="seller:s2")
    incident = desk.declare(uow(), listing_ids=[first], wrong_price=WRONG, correct_price=RIGHT,
                            cause="90% event as the price", responsible="seller", actor="op",
                            window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)).incident
    with pytest.raises(Conflict) as refused:
        _resume(uow, second)
    assert refused.value.details["reason"] == "listing_at_wrong_price"
    assert refused.value.details["incident_id"] == incident.incident_id
    with uow() as u:
        assert u.market.listing(second).status is ListingStatus.PAUSED
