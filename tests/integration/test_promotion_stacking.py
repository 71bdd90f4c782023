"""A promotion declared on top of one still running is measured from the price before both.

The cut-in-steps rule links cuts made within ``streak_max_gap_hours`` of each other; a declared
promotion keeps the price it set for as long as it runs, so a second promotion declared days
later, while the first still runs, is a cut on top of it all the same (the guard's sentence
says "in steps or on top of a running promotion"). A review found two 59% promotions four days
apart (83% off in all on electronics, limit 60%) went live without a reviewer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_price_review import RULES, ipod_market

from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.services import listings, price_review

KRW = "KRW"


@pytest.fixture
def market(session_factory):
    return ipod_market(session_factory)


def _promote(uow, clock, listing_id: int, price: int, pct: float, days: float):
    promotion = Promotion(pct, clock.now - timedelta(minutes=1), clock.now + timedelta(days=days))
    return listings.propose_price_change(
        uow(), listing_id=listing_id, new_price=Money(price, KRW), proposed_by="seller:0",
        promotion=promotion, gate=price_review.guard_gate(RULES))


def _live(uow, listing_id: int) -> Money:
    with uow() as u:
        return u.market.listing(listing_id).price


def test_a_promotion_stacked_days_later_on_a_running_one_is_held(market) -> None:
    uow, clock, ids, _ = market
    first = _promote(uow, clock, ids[0], 81_590, 59, days=14)  # 199,000 less 59%
    assert first.status is PriceChangeStatus.APPLIED
    clock.advance(timedelta(days=4))  # past the 72 h that link cuts made in steps
    second = Promotion(59, clock.now - timedelta(minutes=1), clock.now + timedelta(days=7))
    dry = price_review.check_price_change(uow(), listing_id=ids[0], new_price=Money(33_452, KRW),
                                          rules=RULES, promotion=second)
    assert (dry.verdict, dry.reason_code) == ("hold", "cut_too_deep_in_steps")
    held = _promote(uow, clock, ids[0], 33_452, 59, days=7)  # 81,590 less 59%: 83% off in all
    assert held.status is PriceChangeStatus.HELD
    assert held.guard is not None and held.guard.reason_code == "cut_too_deep_in_steps"
    assert "(199,000 KRW)" in held.guard.reason_en
    assert _live(uow, ids[0]) == Money(81_590, KRW)


def test_an_undeclared_cut_days_later_on_a_running_promotion_is_held(market) -> None:
    uow, clock, ids, _ = market
    assert _promote(uow, clock, ids[0], 99_500, 50, days=30).status is PriceChangeStatus.APPLIED
    clock.advance(timedelta(days=10))
    held = listings.propose_price_change(  # 30% more off: 65% below the regular price
        uow(), listing_id=ids[0], new_price=Money(69_650, KRW), proposed_by="seller:0",
        gate=price_review.guard_gate(RULES))
    assert held.status is PriceChangeStatus.HELD
    assert held.guard is not None and held.guard.reason_code == "cut_too_deep_in_steps"


def test_a_shallow_stack_on_a_running_promotion_goes_live(market) -> None:
    """30% on top of 30%: 51% off in all, within the 60% electronics may go without review."""
    uow, clock, ids, _ = market
    assert _promote(uow, clock, ids[0], 139_300, 30, days=14).status is PriceChangeStatus.APPLIED
    clock.advance(timedelta(days=5))
    stacked = _promote(uow, clock, ids[0], 97_510, 30, days=3)
    assert stacked.status is PriceChangeStatus.APPLIED
    assert _live(uow, ids[0]) == Money(97_510, KRW)


def test_after_the_promotion_ended_a_cut_is_measured_from_the_price_it_left(market) -> None:
    """The first promotion is over (its end job has not run yet: the listing is still at its
    price): a promotion declared now is a move of its own, not a cut on top of a running one."""
    uow, clock, ids, _ = market
    assert _promote(uow, clock, ids[0], 81_590, 59, days=3).status is PriceChangeStatus.APPLIED
    clock.advance(timedelta(days=4))
    later = _promote(uow, clock, ids[0], 65_272, 20, days=7)  # 20% off 81,590
    assert later.status is PriceChangeStatus.APPLIED
