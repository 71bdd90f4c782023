"""The notice draft's prevention paragraph follows what the incident's records show: the guard
held the wrong price and a reviewer approved it (then the review step is what changes), the
tripwire paused the listing (then the automatic pause is mentioned), or neither (then "large
discounts now need approval"). Built on the 2008 market through the real services."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from sagwa.errors import ListingNotOrderable
from sagwa.priceguard import load_rules
from sagwa.replay.market_2008 import (
    LIST_PRICE,
    PRICE_CHANGED_AT,
    WRONG_PRICE,
    Market,
    build_market,
    order_surge,
)
from sagwa.services import desk, listings, notices, orders, price_review
from sagwa.services.desk_policy import load_desk_policy

POLICY = load_desk_policy()
OLD_PROMISE = {"ko": "큰 폭의 할인은 담당자 승인을 거치도록", "en": "deep discounts need a reviewer's approval"}
REVIEW_STEP = {"ko": "승인하는 담당자가 사유를 적어야만 반영되도록", "en": "the approving reviewer writes down a reason"}
#: The rule a 90% cut falls under, and the first-price rule, which has nothing to do with it.
PRICE_CUT = {"ko": "가격을 절반 이하로 내리는 변경은", "en": "a price cut to half or less"}
FIRST_PRICE = {"ko": "처음 판매하는 가격이", "en": "an item's first price"}
APPROVED = {"ko": "자동 검증에서 보류되었으나 담당자의 승인으로 반영되었습니다",
            "en": "Our automatic check held this price, but a reviewer approved it."}
NOT_ENFORCED = {"ko": "다른 담당자가 한 번 더", "en": "second reviewer"}  # sagwa requires no second reviewer
PAUSE = {"ko": "자동 중단 기능", "en": "automatic pause"}


@pytest.fixture
def market(session_factory) -> Market:  # type: ignore[no-untyped-def]
    return build_market(session_factory, customers=40)


def _wrong_price(market: Market, *, approved: bool) -> None:
    market.clock.now = PRICE_CHANGED_AT
    gate = price_review.guard_gate(load_rules()) if approved else listings.apply_every_change
    change = listings.propose_price_change(market.uow(), listing_id=market.listing_id,
                                           new_price=WRONG_PRICE, proposed_by="seller:haneul",
                                           gate=gate)
    if approved:
        assert change.status.value == "held"
        market.clock.now += timedelta(minutes=5)
        price_review.approve_price_change(market.uow(), change_id=change.id,
                                          reviewer="reviewer:by-mistake",
                                          reason="looked like a real 90% event")


def _orders(market: Market, *, tripwire: bool, hours: float) -> None:
    for moment, customer, quantity in order_surge(random.Random(7), market.clock.now,
                                                  market.customer_ids, hours):
        market.clock.now = moment
        try:
            orders.place_order(market.uow(), customer_id=customer, listing_id=market.listing_id,
                               quantity=quantity, actor="customer",
                               velocity=orders.DEFAULT_VELOCITY if tripwire else None)
        except ListingNotOrderable:  # paused by the tripwire: the rest are refused
            assert tripwire


def _drafts(market: Market) -> dict[str, str]:
    market.clock.now += timedelta(minutes=30)
    with market.uow() as u:
        draft = u.incidents.open_for_listing(market.listing_id)
    row = desk.declare(market.uow(), listing_ids=[market.listing_id], wrong_price=WRONG_PRICE,
                       correct_price=LIST_PRICE, window_start=PRICE_CHANGED_AT,
                       cause="90% event entered as the price", responsible="both",
                       actor="operator:lee", incident_id=draft)
    iid = int(row.incident.incident_id)
    return {lang: notices.draft_notice(market.uow(), incident_id=iid, lang=lang,
                                       policy=POLICY)[1] for lang in ("ko", "en")}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_approved_wrong_price_paused_by_the_tripwire_says_both(market: Market,
                                                                 lang: str) -> None:
    _wrong_price(market, approved=True)
    _orders(market, tripwire=True, hours=2.0)
    body = _drafts(market)[lang]
    assert OLD_PROMISE[lang] not in body and NOT_ENFORCED[lang] not in body
    assert REVIEW_STEP[lang] in body and PAUSE[lang] in body
    assert PRICE_CUT[lang] in body and FIRST_PRICE[lang] not in body
    assert body.count(APPROVED[lang]) == 1  # in the prevention paragraph, not the cause too


def test_the_customer_apology_of_an_approved_price_says_a_reviewer_approved_it(
        market: Market) -> None:
    """A customer-experience review: the English apology said "our platform did not catch the
    mistake" while the notice said the guard held the price and a reviewer approved it."""
    from sagwa.services import desk_messages as dm
    from sagwa.services.desk_wordings import incident_facts

    _wrong_price(market, approved=True)
    _orders(market, tripwire=True, hours=2.0)
    _drafts(market)
    with market.uow() as u:
        iid = u.incidents.open_for_listing(market.listing_id)
        assert iid is not None
        facts = incident_facts(u, u.incidents.get(iid).incident)
    assert facts.approved_by_reviewer
    assert dm.cause(facts, "en").endswith("Our automatic check held this price, but a reviewer "
                                          "approved it.")
    assert "catch" not in dm.cause(facts, "en")
    assert dm.cause(facts, "ko").endswith("저희 자동 검증은 이 가격을 보류했지만 저희 담당자가 승인했습니다.")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_wrong_price_nobody_reviewed_keeps_the_approval_promise(market: Market,
                                                                 lang: str) -> None:
    _wrong_price(market, approved=False)
    _orders(market, tripwire=False, hours=0.5)
    body = _drafts(market)[lang]
    assert OLD_PROMISE[lang] in body
    assert REVIEW_STEP[lang] not in body and PAUSE[lang] not in body


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_first_price_a_reviewer_released_is_a_review_that_failed_too(market: Market,
                                                                        lang: str) -> None:
    """A walkthrough's finding: a listing held at its publication at the wrong first price and
    released by a reviewer got "large discounts now need approval" (only approved price changes
    counted as a review that let it through)."""
    from sagwa.domain.listings import ListingTrigger

    market.clock.now = PRICE_CHANGED_AT
    with market.uow() as u:
        listing = u.market.listing(market.listing_id)
    from sagwa.services import catalog

    seller = catalog.register_seller(market.uow(), code=f"new-{lang}", name="새 판매자", actor="t")
    fresh = listings.create_listing(market.uow(), seller_id=seller.id,
                                    product_id=listing.product_id, price=WRONG_PRICE,
                                    actor="seller:new")
    held = listings.change_listing_status(market.uow(), listing_id=fresh.id,
                                          trigger=ListingTrigger.PUBLISH, actor="seller:new",
                                          gate=price_review.guard_gate(load_rules()))
    assert held.status.value == "held"
    market.clock.now += timedelta(minutes=5)
    listings.change_listing_status(market.uow(), listing_id=fresh.id,
                                   trigger=ListingTrigger.RELEASE, actor="reviewer:by-mistake",
                                   reason="looked like a real 90% event",
                                   expected_price=WRONG_PRICE)
    released = replace(market, listing_id=fresh.id)  # its orders and incident
    _orders(released, tripwire=False, hours=0.5)
    body = _drafts(released)[lang]
    assert OLD_PROMISE[lang] not in body
    assert FIRST_PRICE[lang] in body and PRICE_CUT[lang] not in body


def test_the_draft_title_names_the_day_of_the_wrong_price(market: Market) -> None:
    """Two incidents about the same product had the same title on /notices (a walkthrough):
    the day the wrong price showed tells them apart."""
    _wrong_price(market, approved=False)
    _orders(market, tripwire=False, hours=0.5)
    market.clock.now += timedelta(minutes=30)
    row = desk.declare(market.uow(), listing_ids=[market.listing_id], wrong_price=WRONG_PRICE,
                       correct_price=LIST_PRICE, window_start=PRICE_CHANGED_AT,
                       cause="90% event entered as the price", responsible="both",
                       actor="operator:lee")
    iid = int(row.incident.incident_id)
    ko = notices.draft_notice(market.uow(), incident_id=iid, lang="ko", policy=POLICY)[0]
    en = notices.draft_notice(market.uow(), incident_id=iid, lang="en", policy=POLICY)[0]
    day = PRICE_CHANGED_AT.astimezone(ZoneInfo("Asia/Seoul"))
    weekday = "월화수목금토일"[day.weekday()]  # the day as the deadline says it: 6월 12일(목)
    assert ko.startswith(f"[사과문] {day.year}년 {day.month}월 {day.day}일({weekday}) '"), ko
    assert en.endswith(f" on {day:%A, %B} {day.day}, {day.year}"), en
