"""A reviewer refuses a first price the guard held at publication: "send back" returns the
listing to draft with a reason (required, and one that says something), on the audit log and
on its seller's page, never by whoever published it. Also on PostgreSQL: the reason rules of
approving and rejecting held changes, the dry run of a draft's price judged as publishing judges
it, and a price in another currency refused with its reason code."""

from __future__ import annotations

import pytest
from test_listing_release import GATE, _audit_count, _published_at_a_tenth, _status
from test_price_review import ipod_market

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import GuardOpinion, PriceChangeStatus
from sagwa.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review

KRW = "KRW"
RULES = load_rules()


@pytest.fixture
def market(session_factory):
    """The iPod nano (list price 199,000 KRW) sold by four sellers (:func:`ipod_market`)."""
    return ipod_market(session_factory)


def _send_back(uow, listing_id: int, reason: str | None, *, by: str = "reviewer:park",
               expected: Money | None = None):
    return listings.change_listing_status(uow(), listing_id=listing_id,
                                          trigger=ListingTrigger.SEND_BACK, actor=by,
                                          reason=reason, expected_price=expected)


def test_a_listing_held_at_publication_is_sent_back_to_draft_with_the_reviewers_reason(
        market) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    back = _send_back(uow, listing_id, "  정가 199,000원의 10분의 1입니다. 가격을 확인해 주세요 ",
                      expected=Money(19_900, KRW))
    assert back.status is ListingStatus.DRAFT and not back.orderable
    assert back.price == Money(19_900, KRW)  # the seller corrects it; nothing else moved
    assert listings.held_listings(uow()) == []
    with uow() as u:
        last = u.audit.for_entity("listing", str(listing_id))[-1]
        sent = listings.latest_send_back(u, listing_id)
    assert (last.event.action, last.event.actor) == ("listing.send_back", "reviewer:park")
    assert last.event.before["status"] == "held" and last.event.after["status"] == "draft"
    assert last.event.after["reason"] == "정가 199,000원의 10분의 1입니다. 가격을 확인해 주세요"
    assert sent is not None and sent.reason == last.event.after["reason"]
    assert sent.price == Money(19_900, KRW) and sent.by == "reviewer:park"


def test_the_seller_corrects_the_price_of_a_sent_back_draft_and_publishes_it_again(
        market) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    _send_back(uow, listing_id, "가격 오타로 보입니다")
    fixed = listings.propose_price_change(uow(), listing_id=listing_id,
                                          new_price=Money(195_000, KRW),
                                          proposed_by="api:seller-new", gate=GATE)
    assert fixed.status is PriceChangeStatus.APPLIED
    live = listings.change_listing_status(uow(), listing_id=listing_id,
                                          trigger=ListingTrigger.PUBLISH, actor="api:seller-new",
                                          gate=GATE)
    assert live.status is ListingStatus.LIVE and live.price == Money(195_000, KRW)
    with uow() as u:
        last = u.audit.for_entity("listing", str(listing_id))[-1].event
    assert last.action == "listing.publish" and "launch_comparison" in last.after


def test_a_sent_back_price_published_again_unchanged_is_held_again_whatever_the_guard_says(
        market) -> None:
    """The reviewer's word stands until a reviewer says otherwise: republished unchanged, the
    price is held even by a gate that lets every price through (the market may have moved);
    the hold says so in both languages, with the reviewer's reason, and the reviewer's queue
    shows it was sent back at this price."""
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    _send_back(uow, listing_id, "정가의 10분의 1입니다. 가격을 확인해 주세요")
    again = listings.change_listing_status(uow(), listing_id=listing_id,
                                           trigger=ListingTrigger.PUBLISH,
                                           actor="api:seller-new",
                                           gate=listings.apply_every_change)
    assert again.status is ListingStatus.HELD
    with uow() as u:
        hold = listings.publication_hold(u, listing_id)
        last = u.audit.for_entity("listing", str(listing_id))[-1].event
    assert last.action == "listing.hold"
    assert last.after["guard"]["reason_code"] == listings.SENT_BACK_PRICE
    assert hold is not None and hold.reason_en.startswith("a reviewer sent this very price back (")
    assert "정가의 10분의 1입니다. 가격을 확인해 주세요" in hold.reason_en
    assert hold.reason_ko.startswith("검토자가 이 가격 그대로 돌려보냈습니다(")
    [held] = listings.held_listings(uow())
    assert held.sent_back is not None and held.sent_back.reason == "정가의 10분의 1입니다. 가격을 확인해 주세요"


def _held_by(reason_code: str):  # type: ignore[no-untyped-def]
    def gate(_uow, _listing, _proposal) -> listings.GateDecision:  # type: ignore[no-untyped-def]
        opinion = GuardOpinion("hold", 0.6, "none", reason_code, "held by a policy",
                               "가격 정책으로 보류", {})
        return listings.GateDecision(hold=True, reason=opinion.reason_en, opinion=opinion)
    return gate


def test_the_dry_run_of_a_sent_back_price_says_it_will_be_held_again(market) -> None:
    """A price the guard itself allows (189,000 of a 199,000 list price), held by a policy and
    sent back: the dry run of the draft at that price says it will be held, as publishing it
    does; another price is judged by the guard alone."""
    uow, _clock, _ids, product_id = market
    seller = catalog.register_seller(uow(), code="s-policy", name="정책판매자", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(189_000, KRW), actor="api:s-policy")
    listings.change_listing_status(uow(), listing_id=draft.id, trigger=ListingTrigger.PUBLISH,
                                   actor="api:s-policy", gate=_held_by("deep_promotion"))
    _send_back(uow, draft.id, "행사 기간을 먼저 알려 주세요.")
    said = price_review.check_price_change(uow(), listing_id=draft.id,
                                           new_price=Money(189_000, KRW), rules=RULES)
    assert said.holds and said.reason_code == listings.SENT_BACK_PRICE
    assert "행사 기간을 먼저 알려 주세요;" in said.reason_en  # no doubled full stop
    other = price_review.check_price_change(uow(), listing_id=draft.id,
                                            new_price=Money(188_000, KRW), rules=RULES)
    assert not other.holds
    again = listings.change_listing_status(uow(), listing_id=draft.id,
                                           trigger=ListingTrigger.PUBLISH, actor="api:s-policy",
                                           gate=price_review.guard_gate(RULES))
    assert again.status is ListingStatus.HELD
    with uow() as u:
        assert listings.publication_hold(u, draft.id).reason_code == listings.SENT_BACK_PRICE


def test_a_sent_back_draft_at_a_corrected_price_is_judged_by_the_guard_alone(market) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    _send_back(uow, listing_id, "가격 오타로 보입니다")
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(19_000, KRW),
                                  proposed_by="api:seller-new")
    live = listings.change_listing_status(uow(), listing_id=listing_id,
                                          trigger=ListingTrigger.PUBLISH, actor="api:seller-new",
                                          gate=listings.apply_every_change)
    assert live.status is ListingStatus.LIVE


@pytest.mark.parametrize(("reason", "code"), [
    (None, "send_back_needs_reason"), ("   ", "send_back_needs_reason"),
    (".", "reason_too_short"), ("가?", "reason_too_short"), ("no!", "reason_too_short"),
])
def test_a_send_back_without_a_reason_that_says_something_is_refused(
        market, reason: str | None, code: str) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    entries = _audit_count(uow, listing_id)
    with pytest.raises(InvalidInput) as refused:
        _send_back(uow, listing_id, reason)
    assert refused.value.details["field"] == "reason"
    assert refused.value.details["reason"] == code
    assert _status(uow, listing_id) is ListingStatus.HELD  # nothing half-written
    assert _audit_count(uow, listing_id) == entries


@pytest.mark.parametrize("by", ["api:boss", "admin:boss", "reviewer:boss"])
def test_whoever_published_it_cannot_send_it_back(market, by: str) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:boss")
    with pytest.raises(Forbidden) as refused:
        _send_back(uow, listing_id, "제 실수입니다, 고치겠습니다", by=by)
    assert refused.value.details["reason"] == "own_held_listing"
    assert _status(uow, listing_id) is ListingStatus.HELD


def test_a_send_back_at_a_price_the_reviewer_did_not_see_or_of_a_listing_not_held_is_refused(
        market) -> None:
    uow, _clock, ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(190_000, KRW),
                                  proposed_by="api:seller-new")
    with pytest.raises(Conflict) as moved:
        _send_back(uow, listing_id, "가격 오타로 보입니다", expected=Money(19_900, KRW))
    assert moved.value.details["reason"] == "listing_price_moved"
    assert _status(uow, listing_id) is ListingStatus.HELD
    with pytest.raises(IllegalTransition) as live:
        _send_back(uow, ids[0], "가격 오타로 보입니다")
    assert live.value.details == {"status": "live", "trigger": "send_back",
                                  "reason": "listing_status"}
    _send_back(uow, listing_id, "가격 오타로 보입니다")
    with pytest.raises(IllegalTransition):  # a draft is not held: nothing to send back
        _send_back(uow, listing_id, "가격 오타로 보입니다")


def test_approving_a_big_move_or_rejecting_takes_no_reason_that_says_too_little(market) -> None:
    uow, _clock, ids, _product_id = market
    change = listings.propose_price_change(uow(), listing_id=ids[0], new_price=Money(19_900, KRW),
                                           proposed_by="seller:0", gate=GATE)
    assert change.status is PriceChangeStatus.HELD
    for reason in (".", "ok", "확!"):  # "확인" would do: two syllables weigh four letters
        with pytest.raises(InvalidInput) as approval:
            price_review.approve_price_change(uow(), change_id=change.id,
                                              reviewer="reviewer:park", reason=reason)
        assert approval.value.details["reason"] == "reason_too_short"
        with pytest.raises(InvalidInput) as rejection:
            price_review.reject_price_change(uow(), change_id=change.id,
                                             reviewer="reviewer:park", reason=reason)
        assert rejection.value.details["reason"] == "reason_too_short"
    with pytest.raises(InvalidInput) as blank:
        price_review.reject_price_change(uow(), change_id=change.id, reviewer="reviewer:park",
                                         reason=" ")
    assert blank.value.details == {"field": "reason", "reason": "reason_required"}
    rejected = price_review.reject_price_change(uow(), change_id=change.id,
                                                reviewer="reviewer:park", reason=" 오타 ")
    assert rejected.status is PriceChangeStatus.REJECTED and rejected.decision_reason == "오타"


def test_approving_a_small_move_keeps_any_note(market) -> None:
    """149,000 from 199,000, held (by a gate that holds everything): not a big move, so the
    reviewer's note is optional and not checked."""
    uow, _clock, ids, _product_id = market
    change = listings.propose_price_change(
        uow(), listing_id=ids[0], new_price=Money(149_000, KRW), proposed_by="seller:0",
        gate=lambda _uow, _listing, _proposal: listings.GateDecision(hold=True, reason="test"))
    assert change.status is PriceChangeStatus.HELD
    approved = price_review.approve_price_change(uow(), change_id=change.id,
                                                 reviewer="reviewer:park", reason=".")
    assert approved.status is PriceChangeStatus.APPROVED


def _draft(uow, product_id: int, price: int) -> int:
    seller = catalog.register_seller(uow(), code="s-draft", name="초안판매자", actor="t")
    return listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                   price=Money(price, KRW), actor="api:s-draft").id


def test_the_dry_run_on_a_draft_judges_the_price_as_publishing_will(market) -> None:
    """A draft at 19,900 (list price 199,000): the dry run does not call 19,900 "within range of
    the current price" — it holds it, against the list price, as publishing then does."""
    uow, _clock, _ids, product_id = market
    draft_id = _draft(uow, product_id, 19_900)
    dry = price_review.check_price_change(uow(), listing_id=draft_id,
                                          new_price=Money(19_900, KRW), rules=RULES)
    assert dry.holds and "current price" not in dry.reason_en
    published = listings.change_listing_status(uow(), listing_id=draft_id,
                                               trigger=ListingTrigger.PUBLISH, actor="api:s-draft",
                                               gate=GATE)
    assert published.status is ListingStatus.HELD
    with uow() as u:
        hold = listings.publication_hold(u, draft_id)
    assert hold is not None and (dry.reason_code, dry.error_type) == (
        u.audit.latest_for_entity("listing", str(draft_id), "listing.hold").event.after[
            "guard"]["reason_code"], hold.error_type)


def test_a_draft_price_near_the_list_price_passes_the_dry_run_and_its_proposal(market) -> None:
    """A draft at 19,900 corrected to 195,000: a first price near the list price, not a tenfold
    rise from the draft's price — allowed by the dry run and applied by the proposal."""
    uow, _clock, _ids, product_id = market
    draft_id = _draft(uow, product_id, 19_900)
    dry = price_review.check_price_change(uow(), listing_id=draft_id,
                                          new_price=Money(195_000, KRW), rules=RULES)
    assert not dry.holds
    change = listings.propose_price_change(uow(), listing_id=draft_id,
                                           new_price=Money(195_000, KRW),
                                           proposed_by="api:s-draft", gate=GATE)
    assert change.status is PriceChangeStatus.APPLIED
    assert change.guard is not None and change.guard.facts.get("old_price_kind") in (
        None, "list_price")


def test_a_price_in_another_currency_is_refused_with_its_reason_code(market) -> None:
    uow, _clock, ids, _product_id = market
    for attempt in (
        lambda: price_review.check_price_change(uow(), listing_id=ids[0],
                                                new_price=Money(19_900, "USD"), rules=RULES),
        lambda: listings.propose_price_change(uow(), listing_id=ids[0],
                                              new_price=Money(19_900, "USD"),
                                              proposed_by="seller:0", gate=GATE),
    ):
        with pytest.raises(InvalidInput) as refused:
            attempt()
        assert refused.value.details == {"field": "currency", "reason": "currency_mismatch",
                                         "currency": KRW}
    with uow() as u:
        assert u.market.price_changes_for(ids[0]) == []
