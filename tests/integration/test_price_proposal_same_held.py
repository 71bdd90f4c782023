"""Saving again exactly what already waits for review keeps that change and its place in the
queue: a seller's change that had waited 41 days went to the back of the (oldest-first) queue
when the seller typed the same price again, and repeated saves left a row of identical
superseded changes. A different price or promotion still supersedes the held change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from test_price_review import ipod_market

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.errors import IdempotencyMismatch
from sagwa.priceguard import load_rules
from sagwa.services import listings, price_review

GATE = price_review.guard_gate(load_rules())
KRW = "KRW"
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def market(session_factory):
    """The iPod nano sold by four sellers of test_price_review (:func:`ipod_market`)."""
    return ipod_market(session_factory)


def _propose(uow, listing_id, price, *, promotion=None, key=None, by="seller:0"):
    return listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(price, KRW),
                                         proposed_by=by, promotion=promotion, gate=GATE,
                                         idempotency_key=key)


def _rows_and_actions(uow, listing_id):
    with uow() as u:
        rows = [(c.id, c.status) for c in u.market.price_changes_for(listing_id)]
        actions = [e.event.action for e in u.audit.for_entity("listing", str(listing_id))]
    return rows, actions


def test_the_same_held_price_saved_again_keeps_its_change_and_its_place(market) -> None:
    uow, clock, ids, _ = market
    waiting = _propose(uow, ids[0], 19_900)
    clock.now += timedelta(days=2)
    newer = _propose(uow, ids[1], 18_900)  # another seller's held change, proposed later
    clock.now += timedelta(days=39)
    before = _rows_and_actions(uow, ids[0])
    for _ in range(4):  # the reviewer found four re-saves
        again = _propose(uow, ids[0], 19_900)
        assert again.id == waiting.id and again.proposed_at == waiting.proposed_at
        assert again.status is PriceChangeStatus.HELD and again.guard == waiting.guard
    assert _rows_and_actions(uow, ids[0]) == before  # no new row, no superseded one, no audit
    queue = [item.change.id for item in price_review.review_queue(uow(), limit=1)]
    assert queue == [waiting.id]  # still first in the oldest-first queue
    assert newer.status is PriceChangeStatus.HELD


def test_the_seller_is_told_the_same_price_already_waits_and_for_how_long(market) -> None:
    uow, clock, ids, _ = market
    waiting = _propose(uow, ids[0], 19_900)
    clock.now += timedelta(days=41, hours=3)
    again = _propose(uow, ids[0], 19_900)
    assert isinstance(again, listings.AlreadyHeld)
    assert again.said_ko == (f"이미 같은 가격이 검토를 기다리고 있습니다(#{waiting.id}, 41일째). "
                             "검토 순서는 그대로입니다.")
    assert again.said_en == (f"The same price is already waiting for review (#{waiting.id}, "
                             "waiting 41 days). Its place in the review queue is kept.")
    first = _propose(uow, ids[1], 18_900)
    assert not isinstance(first, listings.AlreadyHeld)
    clock.now += timedelta(hours=5)
    assert f"(#{first.id}, 하루가 안 됨)" in _propose(uow, ids[1], 18_900).said_ko


def test_the_same_price_with_the_same_promotion_keeps_the_change(market) -> None:
    uow, clock, ids, _ = market
    start = clock.now
    promo = Promotion(90, start, start + timedelta(days=3))
    waiting = _propose(uow, ids[0], 19_900, promotion=promo)
    clock.now += timedelta(hours=1)
    # the same instants written in another offset, the percent as the form sends it: the same
    seoul = Promotion(90.0, start.astimezone(SEOUL), promo.ends_at)
    assert _propose(uow, ids[0], 19_900, promotion=seoul).id == waiting.id


#: (price, promotion) pairs: what is held, then what is proposed; the promotion as
#: (percent, days it runs from now), or None.
_DIFFERENT = [
    ((19_900, (90, 3)), (29_900, (90, 3))),  # another price
    ((19_900, None), (19_900, (90, 3))),  # a promotion declared where none was
    ((19_900, (90, 3)), (19_900, None)),  # the promotion dropped
    ((19_900, (90, 3)), (19_900, (90, 5))),  # the same percent ending later
    ((19_900, (90, 3)), (19_900, (80, 3))),  # another percent
]


@pytest.mark.parametrize(("held", "proposed"), _DIFFERENT)
def test_another_price_or_promotion_still_supersedes_the_held_change(
        market, held, proposed) -> None:
    uow, clock, ids, _ = market
    start = clock.now

    def promotion(said):
        return None if said is None else Promotion(said[0], start, start + timedelta(days=said[1]))

    waiting = _propose(uow, ids[0], held[0], promotion=promotion(held[1]))
    assert waiting.status is PriceChangeStatus.HELD
    clock.now += timedelta(minutes=5)
    newer = _propose(uow, ids[0], proposed[0], promotion=promotion(proposed[1]))
    assert newer.id != waiting.id and not isinstance(newer, listings.AlreadyHeld)
    with uow() as u:
        assert u.market.price_change(waiting.id).status is PriceChangeStatus.SUPERSEDED


def test_a_held_change_from_another_live_price_is_not_the_same_proposal(market) -> None:
    """The held change moved 199,000 to 19,900; once the live price is 195,000 (an applied
    change — which supersedes — is one way), 19,900 again is a new proposal from 195,000."""
    uow, clock, ids, _ = market
    first = _propose(uow, ids[0], 19_900)
    clock.now += timedelta(minutes=5)
    applied = _propose(uow, ids[0], 195_000)
    assert applied.status is PriceChangeStatus.APPLIED
    again = _propose(uow, ids[0], 19_900)
    assert again.id not in (first.id, applied.id) and again.old_price == Money(195_000, KRW)


def test_idempotency_keys_still_answer_their_first_result(market) -> None:
    uow, clock, ids, _ = market
    waiting = _propose(uow, ids[0], 19_900, key="form-1")
    clock.now += timedelta(days=1)
    assert _propose(uow, ids[0], 19_900, key="form-1").id == waiting.id  # a replay
    resaved = _propose(uow, ids[0], 19_900, key="form-2")  # a new form, the same price
    assert resaved.id == waiting.id
    assert _propose(uow, ids[0], 19_900, key="form-2").id == waiting.id  # its replay too
    with pytest.raises(IdempotencyMismatch):  # a key still covers what it was sent with
        _propose(uow, ids[0], 29_900, key="form-2")
    rows, _ = _rows_and_actions(uow, ids[0])
    assert rows == [(waiting.id, PriceChangeStatus.HELD)]


def test_a_held_change_is_compared_as_stored_not_as_typed() -> None:
    """The comparison itself, on records: a percent stored as NUMERIC(5,2) and instants in UTC
    match what the seller's form sends (90 or 90.0, +09:00)."""
    at = datetime(2026, 12, 6, 2, 47, tzinfo=UTC)
    held = PriceChangeRecord(
        6, 1, Money(16_100, KRW), Money(15_600, KRW), "seller:0", at, 10.0,
        PriceChangeStatus.HELD, None, None, promotion_starts_at=at,
        promotion_ends_at=at + timedelta(days=7))
    same = Promotion(10, at.astimezone(SEOUL), at + timedelta(days=7))
    assert listings.repeats_held(held, Money(16_100, KRW), Money(15_600, KRW), same)
    assert not listings.repeats_held(held, Money(16_100, KRW), Money(15_600, KRW), None)
    assert not listings.repeats_held(held, Money(16_000, KRW), Money(15_600, KRW), same)
    assert not listings.repeats_held(held, Money(16_100, KRW), Money(15_500, KRW), same)
    assert not listings.repeats_held(held, Money(16_100, KRW), Money(15_600, KRW),
                                     Promotion(10.5, same.starts_at, same.ends_at))
    assert not listings.repeats_held(held, Money(16_100, KRW), Money(15_600, KRW),
                                     Promotion(10, None, same.ends_at))


def test_a_repeat_the_guard_would_now_let_through_goes_live(market) -> None:
    """A reviewer's finding: the repeat was answered without asking the guard, so a price a new
    reference (or relaxed rules) would now allow stayed held. Judged anew, it goes live and
    supersedes the held change, as any allowed change does."""
    uow, _clock, ids, _ = market
    waiting = _propose(uow, ids[0], 19_900)
    assert waiting.status is PriceChangeStatus.HELD
    now_allowed = listings.propose_price_change(
        uow(), listing_id=ids[0], new_price=Money(19_900, KRW), proposed_by="seller:0",
        gate=listings.apply_every_change)
    assert not isinstance(now_allowed, listings.AlreadyHeld)
    assert now_allowed.id != waiting.id and now_allowed.status is PriceChangeStatus.APPLIED
    with uow() as u:
        assert u.market.listing(ids[0]).price == Money(19_900, KRW)
        assert u.market.price_change(waiting.id).status is PriceChangeStatus.SUPERSEDED
