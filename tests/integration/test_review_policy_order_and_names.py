"""The review queue's services on PostgreSQL, after the review-page walkthrough: approving a
change a pricing policy held needs a reason (as a halving does); the queue can list the riskiest
first; audit-log names resolve to the names people know; a held listing whose price moved since
its hold is judged at its current price, and a release that names no price is not told "you
saw"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_price_review import ipod_market

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import GuardOpinion, PriceChangeStatus
from sagwa.errors import Conflict, InvalidInput
from sagwa.priceguard import load_rules
from sagwa.services import actor_names, catalog, listings, price_review
from sagwa.services.accounts import create_user

RULES = load_rules()
GATE = price_review.guard_gate(RULES)
KRW = "KRW"


@pytest.fixture
def market(session_factory):
    return ipod_market(session_factory)


def _gate_saying(reason_code: str, score: float):
    """A gate that holds with an opinion of ``reason_code`` (what the guard records)."""
    def gate(_uow, _listing, _proposal) -> listings.GateDecision:
        opinion = GuardOpinion("hold", score, "none", reason_code, f"held: {reason_code}",
                               f"보류: {reason_code}", {})
        return listings.GateDecision(hold=True, reason=opinion.reason_en, opinion=opinion)
    return gate


POLICIES = ["below_list_price_floor", "promotion_too_deep", "below_seller_floor",
            "above_seller_ceiling", "penny_price", "promotion_mismatch", "undeclared_cut_too_deep",
            "cut_too_deep_in_steps", "above_list_price_ceiling"]


def test_every_policy_rule_of_the_guard_is_one_an_approval_needs_a_reason_for() -> None:
    assert sorted(price_review.POLICY_REASONS) == sorted(POLICIES)


@pytest.mark.parametrize("policy", POLICIES)
def test_approving_a_change_a_pricing_policy_held_needs_a_reason(market, policy: str) -> None:
    """199,000 -> 189,000 is no halving, but a policy held it (a book under its floor, a
    promotion past its limit ...): approving it without a reason is refused."""
    uow, _clock, ids, _ = market
    change = listings.propose_price_change(uow(), listing_id=ids[0],
                                           new_price=Money(189_000, KRW), proposed_by="seller:0",
                                           gate=_gate_saying(policy, 0.6))
    assert price_review.approval_rule(change) == policy
    for reason in (None, "  "):
        with pytest.raises(InvalidInput) as refused:
            price_review.approve_price_change(uow(), change_id=change.id, reviewer="reviewer:r",
                                              reason=reason)
        assert refused.value.details == {"field": "reason", "reason": "policy_hold_needs_reason",
                                         "rule": policy}
    with pytest.raises(InvalidInput) as short:
        price_review.approve_price_change(uow(), change_id=change.id, reviewer="reviewer:r",
                                          reason="ok!")
    assert short.value.details["reason"] == "reason_too_short"
    approved = price_review.approve_price_change(uow(), change_id=change.id,
                                                 reviewer="reviewer:r",
                                                 reason="판매자와 통화: 정가 변경 확인")
    assert approved.status is PriceChangeStatus.APPROVED


def test_a_change_the_guard_held_on_its_numbers_alone_is_approved_without_a_reason(
        market) -> None:
    uow, _clock, ids, _ = market
    change = listings.propose_price_change(uow(), listing_id=ids[0],
                                           new_price=Money(189_000, KRW), proposed_by="seller:0",
                                           gate=_gate_saying("far_below_references", 0.6))
    assert price_review.approval_rule(change) is None
    approved = price_review.approve_price_change(uow(), change_id=change.id,
                                                 reviewer="reviewer:r")
    assert approved.status is PriceChangeStatus.APPROVED


def test_a_halving_keeps_its_own_reason_code_even_when_a_policy_held_it_too(market) -> None:
    uow, _clock, ids, _ = market
    change = listings.propose_price_change(uow(), listing_id=ids[0],
                                           new_price=Money(1, KRW), proposed_by="seller:0",
                                           gate=GATE)
    assert change.guard is not None and change.guard.reason_code == "penny_price"
    assert price_review.approval_rule(change) == "big_move"
    with pytest.raises(InvalidInput) as refused:
        price_review.approve_price_change(uow(), change_id=change.id, reviewer="reviewer:r")
    assert refused.value.details["reason"] == "approval_needs_reason"


def test_the_queue_lists_the_riskiest_first_when_asked_then_the_oldest(market) -> None:
    uow, clock, ids, _ = market
    made = []
    for listing_id, score in zip(ids, (0.3, 0.9, 0.3, 0.6), strict=True):
        clock.advance(timedelta(minutes=5))
        made.append(listings.propose_price_change(
            uow(), listing_id=listing_id, new_price=Money(150_000, KRW), proposed_by="seller:0",
            gate=_gate_saying("far_below_references", score)).id)
    oldest = [i.change.id for i in price_review.review_queue(uow())]
    assert oldest == made
    riskiest = [i.change.id for i in price_review.review_queue(uow(), order="risk")]
    assert riskiest == [made[1], made[3], made[0], made[2]]
    assert [i.change.id for i in price_review.review_queue(uow(), order="risk", limit=2,
                                                           offset=1)] == [made[3], made[0]]


def test_held_listings_can_come_riskiest_first(market) -> None:
    uow, _clock, _ids, product_id = market
    first = _published(uow, product_id, "s-far", 19_900)      # 90% below the list price
    second = _published(uow, product_id, "s-near", 1)         # a penny price: riskier
    assert [h.listing.id for h in listings.held_listings(uow())] == [first, second]
    risky = listings.held_listings(uow(), riskiest_first=True)
    assert [h.listing.id for h in risky] == [second, first]
    assert risky[0].hold is not None and risky[0].hold.score is not None
    assert risky[0].hold.score >= risky[1].hold.score  # type: ignore[operator]


def _published(uow, product_id: int, code: str, price: int, *, by: str = "api:seller-new") -> int:
    seller = catalog.register_seller(uow(), code=code, name=f"{code} 상점", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(price, KRW), actor=by)
    held = listings.change_listing_status(uow(), listing_id=draft.id,
                                          trigger=ListingTrigger.PUBLISH, actor=by, gate=GATE)
    assert held.status is ListingStatus.HELD
    return draft.id


def test_audit_log_names_resolve_to_the_names_people_know(market) -> None:
    uow, _clock, _ids, _ = market
    with uow() as u:
        seller = u.catalog.seller_by_code("seller-1")
    assert seller is not None
    create_user(uow(), username="kim", role="seller", password="long-enough", actor="t",
                seller_id=seller.id)
    create_user(uow(), username="lee", role="reviewer", password="long-enough", actor="t")
    actors = ["seller:kim", "api:kim", "reviewer:lee", f"seller:{seller.id}", "seller:seller-2",
              "system:tripwire", "seller:nobody"]
    with uow() as u:
        names = actor_names.actor_names(u, actors)
    assert names == {"seller:kim": "판매자1", "api:kim": "판매자1", "reviewer:lee": "lee",
                     f"seller:{seller.id}": "판매자1", "seller:seller-2": "판매자2"}


def test_a_held_listing_whose_price_moved_is_judged_at_its_current_price(market) -> None:
    """Held at 19,900; its seller then saves 195,000 (allowed, applied to the held listing):
    the queue's entry says the price changed and what the guard says of 195,000 — not the
    hold's reason about 19,900 alone."""
    uow, _clock, _ids, product_id = market
    listing_id = _published(uow, product_id, "s-far", 19_900)
    changed = listings.propose_price_change(uow(), listing_id=listing_id,
                                            new_price=Money(195_000, KRW),
                                            proposed_by="api:seller-new", gate=GATE)
    assert changed.status is PriceChangeStatus.APPLIED
    [held] = listings.held_listings(uow())
    assert held.price_moved and held.current_opinion is None
    [judged] = price_review.judge_moved_holds(uow(), [held], RULES)
    assert judged.current_opinion is not None and not judged.current_opinion.holds
    said = price_review.moved_hold_reasons(judged)
    assert said is not None
    ko, en = said
    assert ko.startswith("보류 뒤 가격이 19,900원에서 195,000원으로 바뀌었습니다.")
    assert en.startswith("the price changed from 19,900 KRW to 195,000 KRW after the hold")
    assert judged.current_opinion.reason_en in en


def test_a_release_naming_no_price_is_refused_without_saying_you_saw_one(market) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published(uow, product_id, "s-far", 19_900)
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(195_000, KRW),
                                  proposed_by="api:seller-new", gate=GATE)
    with pytest.raises(Conflict) as refused:
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.RELEASE, actor="reviewer:r")
    assert "you saw" not in refused.value.message
    assert "held at" in refused.value.message and "195,000" in refused.value.message
    assert refused.value.details["reason"] == "listing_price_moved"
    assert refused.value.details["held_price"] == {"amount_minor": 19_900, "currency": KRW}
    with pytest.raises(Conflict) as named:  # a caller who names a price is told they saw it
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.RELEASE, actor="reviewer:r",
                                       expected_price=Money(19_900, KRW))
    assert "you saw" in named.value.message
    released = listings.change_listing_status(uow(), listing_id=listing_id,
                                              trigger=ListingTrigger.RELEASE,
                                              actor="reviewer:r",
                                              expected_price=Money(195_000, KRW))
    assert released.status is ListingStatus.LIVE
