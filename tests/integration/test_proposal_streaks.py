"""Repricer walks through real proposals: the streak the guard reads from the database.

A seller's repricer cuts 3% at a time, an hour apart, on a listing nobody else sells and with no
list price: each step is ordinary next to the listing's recent prices, which walk down with it.
The proposal path reads the listing's streak from its applied changes (``streak_prices``) and
holds the step that takes the price as far from where the walk began as one cut would have to go
to be held. Steps days apart are no repricer; a reviewer's approval starts the walk afresh.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

RULES = load_rules()
START = 35_540
#: How far one cut may go before it is held (score z/(1+z) reaches hold_score).
ONE_CUT_LIMIT = RULES.down_ratio ** (RULES.hold_score / (1 - RULES.hold_score))


@pytest.fixture
def lone_listing(session_factory):
    clock = ManualClock(datetime(2011, 4, 8, 9, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="The Making of a Fly", category="books/used",
                                       actor="t")
    seller = catalog.register_seller(uow(), code="repricer", name="리프라이서", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(START, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    return uow, clock, listing.id


def _propose(uow, listing_id: int, price: int):
    return listings.propose_price_change(
        uow(), listing_id=listing_id, new_price=Money(price, "KRW"), proposed_by="seller:repricer",
        gate=price_review.guard_gate(RULES))


def _live(uow, listing_id: int) -> int:
    with uow() as u:
        return u.market.listing(listing_id).price.amount_minor


def _walk(uow, clock, listing_id: int, *, every: timedelta, until: int):
    """3% cuts ``every`` apart until one is held or the price would go below ``until``: the
    held change, or None."""
    while True:
        clock.advance(every)
        new = round(_live(uow, listing_id) * 0.97)
        if new < until:
            return None
        change = _propose(uow, listing_id, new)
        if change.status is PriceChangeStatus.HELD:
            return change


def test_an_hourly_walk_is_held_where_one_cut_that_deep_would_be(lone_listing) -> None:
    uow, clock, listing_id = lone_listing
    held = _walk(uow, clock, listing_id, every=timedelta(hours=1), until=1)
    assert held is not None, "walked down to nothing"
    price = held.new_price.amount_minor
    assert ONE_CUT_LIMIT * START * 0.97 <= price < ONE_CUT_LIMIT * START
    assert (held.guard.reason_code, held.guard.error_type) == (
        "far_below_references", "repricer_runaway")
    assert held.guard.facts["reference_kind"] == "streak_start"
    assert held.guard.facts["reference_price_minor"] == START
    assert held.guard.facts["streak_moves"] >= 40
    assert "35,540원" in held.guard.reason_ko and "연속 인하" in held.guard.reason_ko
    assert _live(uow, listing_id) > price  # the held price never went live
    # the dry run reads the same streak
    dry = price_review.check_price_change(uow(), listing_id=listing_id,
                                          new_price=Money(price, "KRW"), rules=RULES)
    assert (dry.verdict, dry.error_type) == ("hold", "repricer_runaway")


def test_a_walk_with_days_between_its_steps_is_no_repricer(lone_listing) -> None:
    """Four days apart (past the 72-hour gap) each cut starts a streak of its own: the walk
    passes where the hourly one was held (nothing else here sees it: no list price, no other
    seller)."""
    uow, clock, listing_id = lone_listing
    held = _walk(uow, clock, listing_id, every=timedelta(days=4),
                 until=round(ONE_CUT_LIMIT * START * 0.9))
    assert held is None
    assert _live(uow, listing_id) < ONE_CUT_LIMIT * START


def test_after_a_reviewer_approves_the_walk_starts_afresh(lone_listing) -> None:
    """The reviewer approved the held step (a clearance the seller explained): the next
    hourly cut is judged from the approved price, not from where the walk began."""
    uow, clock, listing_id = lone_listing
    held = _walk(uow, clock, listing_id, every=timedelta(hours=1), until=1)
    assert held is not None
    price_review.approve_price_change(uow(), change_id=held.id, reviewer="reviewer:kim",
                                      reason="판매자 확인: 재고 정리")
    assert _live(uow, listing_id) == held.new_price.amount_minor
    clock.advance(timedelta(hours=1))
    after = _propose(uow, listing_id, round(held.new_price.amount_minor * 0.97))
    assert after.status is PriceChangeStatus.APPLIED, after.guard


@pytest.mark.parametrize(("wait", "held"), [(timedelta(hours=1), True), (timedelta(days=4), False)])
def test_a_cut_days_after_the_walk_stopped_continues_no_streak(lone_listing, wait, held) -> None:
    """Five quick 25% cuts (each ordinary next to the recent prices), then a sixth: an hour
    later it continues the walk and is held; four days later the walk has stopped (the last
    move is past the 72-hour gap) and the cut is judged on its own."""
    uow, clock, listing_id = lone_listing
    for _ in range(5):
        clock.advance(timedelta(hours=1))
        assert _propose(uow, listing_id, round(_live(uow, listing_id) * 0.75)).status is (
            PriceChangeStatus.APPLIED)
    clock.advance(wait)
    change = _propose(uow, listing_id, round(_live(uow, listing_id) * 0.75))
    assert (change.status is PriceChangeStatus.HELD) is held, change.guard
    if held:
        assert change.guard.error_type == "repricer_runaway"


def test_price_edits_of_a_draft_are_no_moves(session_factory) -> None:
    """A seller edits a draft's price five times (+30% each; never on sale), publishes it, and
    an hour later raises it 30%: the streak starts when the listing went on sale, so the first
    live change is judged on its own (it was held as the 6th rise of a run from 10,000)."""
    clock = ManualClock(datetime(2026, 4, 8, 9, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="위젯", category="books/used", actor="t")
    seller = catalog.register_seller(uow(), code="s1", name="판매자", actor="t")
    listing_id = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                         price=Money(10_000, "KRW"), actor="t").id
    price = 10_000
    for _ in range(5):
        clock.advance(timedelta(minutes=5))
        price = round(price * 1.3)
        assert _propose(uow, listing_id, price).status is PriceChangeStatus.APPLIED
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=ListingTrigger.PUBLISH,
                                   actor="t", gate=price_review.guard_gate(RULES))
    clock.advance(timedelta(hours=1))
    change = _propose(uow, listing_id, round(price * 1.3))
    assert change.status is PriceChangeStatus.APPLIED, change.guard.reason_en
