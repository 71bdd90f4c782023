"""What a watched price is judged against, from a review of the bulk rule: an ordinary declared
promotion is not a likely mistake however deep; a raise undone is not a cut; a book's routine
discount comes from the guard's rules; a count restarted because the price left an operator's
clearance says so; the bulk reason names only the references that were known."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sagwa.priceguard.rules import PriceRules
from sagwa.priceguard.tripwire import (
    NormalRate,
    VelocityRules,
    assess_order_velocity,
    count_orders,
    count_start,
)
from sagwa.priceguard.tripwire_price import PriceContext
from sagwa.priceguard.tripwire_watch import lowest_held

CHANGED = datetime(2026, 12, 5, 5, 3, tzinfo=UTC)
H = timedelta(hours=1)
#: A listing that sells about one a day, one unit an order.
QUIET = NormalRate(0.04, units_per_order=1.0, units_spread=1.0, units_known=True)


def _one_order(units: int, price: PriceContext, normal: NormalRate, *, after: timedelta = 2 * H,
               **kwargs):  # type: ignore[no-untyped-def]
    at = CHANGED + after
    counts = count_orders([at], [units], start=kwargs.get("counted_from", CHANGED), now=at,
                          recent_hours=1.0)
    return assess_order_velocity(counts=counts, changed_at=CHANGED, now=at,
                                 baseline_per_hour=normal, price=price, **kwargs)


SEVENTY_OFF = PriceContext(price=3_000, currency="KRW", since=CHANGED, before=10_000, to=3_000)


def test_one_big_order_at_an_ordinary_promotions_price_is_left_alone() -> None:
    """70% off declared, no reviewer needed (the guard found it ordinary): a 60-unit order two
    hours in is the promotion selling, not a rush on a mistake."""
    promotion = replace(QUIET, promotion_pct=70.0)
    assert not _one_order(60, SEVENTY_OFF, promotion).tripped


def test_the_bulk_rule_still_applies_to_a_reviewed_or_ended_promotion_and_none() -> None:
    reviewed = NormalRate(0.04, units_known=True, promotion_pct=70.0, promotion_reviewed=True)
    assert _one_order(60, SEVENTY_OFF, reviewed).tripped_by == ("bulk",)
    ended = NormalRate(0.04, units_known=True, promotion_pct=70.0,
                       promotion_until=CHANGED + H)
    assert _one_order(60, SEVENTY_OFF, ended).tripped_by == ("bulk",)
    assert _one_order(60, SEVENTY_OFF, QUIET).tripped_by == ("bulk",)


def test_far_below_an_ordinary_promotions_price_is_still_a_likely_mistake() -> None:
    tenth = PriceContext(price=1_000, currency="KRW", before=10_000)
    assert tenth.far_below(70.0)
    assert not SEVENTY_OFF.far_below(70.0) and SEVENTY_OFF.far_below()


def test_a_raise_undone_the_next_day_is_judged_from_the_usual_price() -> None:
    """10,000 for weeks, raised to 20,000, back to 10,000 the next day: not a cut of half."""
    on_sale = [(CHANGED - 30 * 24 * H, True)]
    moves = [(CHANGED - 20 * H, 10_000, 20_000), (CHANGED, 20_000, 10_000)]
    usual = lowest_held(moves, on_sale, start=CHANGED, price_before=20_000)
    assert usual == 10_000
    back = PriceContext(price=10_000, currency="KRW", since=CHANGED, before=20_000, to=10_000,
                        usual=usual)
    assert not back.like_a_mistake() and not back.far_below()
    assert PriceContext(price=10_000, currency="KRW", before=20_000).far_below()  # the old way


def test_the_lowest_price_held_counts_only_a_day_on_sale_before_the_watch() -> None:
    on_sale = [(CHANGED - 30 * 24 * H, True)]
    moves = [(CHANGED - 40 * H, 10_000, 20_000), (CHANGED, 20_000, 10_000)]
    assert lowest_held(moves, on_sale, start=CHANGED, price_before=20_000) == 20_000
    # off sale for most of it: the day on sale reaches back further
    paused = [*on_sale, (CHANGED - 30 * H, False), (CHANGED - 2 * H, True)]
    assert lowest_held(moves, paused, start=CHANGED, price_before=20_000) == 10_000
    assert lowest_held([], on_sale, start=CHANGED, price_before=20_000) == 20_000


def test_a_price_the_tripwire_paused_at_is_no_usual_price_unless_vouched_for() -> None:
    """10,000 for weeks; cut to 1,000 for 20 minutes until the tripwire paused it; fixed back
    to 10,000 and resumed; cut to 1,000 again: judged from 10,000, not from the mistake."""
    on_sale = [(CHANGED - 30 * 24 * H, True), (CHANGED - 2.6 * H, False),
               (CHANGED - 2 * H, True)]
    moves = [(CHANGED - 3 * H, 10_000, 1_000), (CHANGED - 2.5 * H, 1_000, 10_000),
             (CHANGED, 10_000, 1_000)]
    paused = [CHANGED - 2.6 * H]
    assert lowest_held(moves, on_sale, start=CHANGED, price_before=10_000) == 1_000  # the old way
    assert lowest_held(moves, on_sale, start=CHANGED, price_before=10_000,
                       paused_at=paused) == 10_000
    # a nudge of the mistake (within 5% above it) or a lower price is no usual price either
    nudged = [(CHANGED - 3 * H, 10_000, 1_000), (CHANGED - 2.8 * H, 1_000, 1_040),
              (CHANGED - 2.5 * H, 1_040, 10_000), (CHANGED, 10_000, 1_000)]
    assert lowest_held(nudged, on_sale, start=CHANGED, price_before=10_000,
                       paused_at=paused) == 10_000
    # an operator who dismissed the pause as a false alarm vouched for the price
    assert lowest_held(moves, on_sale, start=CHANGED, price_before=10_000, paused_at=paused,
                       cleared=[1_000]) == 1_000
    # a pause at another price, or one outside the day, leaves the lowest as it was
    assert lowest_held(moves, on_sale, start=CHANGED, price_before=10_000,
                       paused_at=[CHANGED - 20 * 24 * H]) == 1_000


def test_a_books_routine_discount_comes_from_the_guards_rules() -> None:
    assert abs(VelocityRules().list_discount("Books / Novel") - 0.10) < 1e-9
    assert VelocityRules().list_discount("bookshelves") == 0.0
    own = PriceRules(category_list_floor_pct={"Comics": 80.0})
    rules = VelocityRules(price_rules=own)
    assert abs(rules.list_discount(" comics / manga ") - 0.20) < 1e-9
    assert rules.list_discount("books") == 0.0  # the operator's file names no books


def test_a_count_moved_by_the_price_leaving_a_clearance_says_so() -> None:
    left = CHANGED + 2 * H
    assert count_start([], watch_start=CHANGED, after_clearance=left, now=left + H) == (
        left, "left_clearance")
    back = left + 0.5 * H
    assert count_start([(back, True)], watch_start=CHANGED, after_clearance=left,
                       now=left + H) == (back, "resumed")
    assert count_start([(back, True)], watch_start=CHANGED, after_clearance=CHANGED,
                       now=left + H) == (back, "resumed")
    result = _one_order(100, PriceContext(price=1_000, currency="KRW", since=CHANGED,
                                          before=10_000, to=1_000),
                        QUIET, after=3 * H, counted_from=left, count_moved="left_clearance")
    assert "since the price went below what an operator had cleared (after the price change" \
        in result.reason_en
    assert "went back on sale" not in result.reason_en
    assert ("에 가격을 10,000원 → 1,000원으로 바꿨습니다. 운영자가 확인한 가격 아래로 가격 인하 후 "
            in result.reason_ko)


def test_the_bulk_reason_names_only_the_references_known() -> None:
    result = _one_order(60, PriceContext(price=3_000, currency="KRW", since=CHANGED,
                                         before=10_000, to=3_000), QUIET)
    assert "at half or less of its price before, a likely mistake" in result.reason_en
    assert "references" not in result.reason_en
    assert "이전 가격의 절반 이하인 가격으로" in result.reason_ko
    market = PriceContext(price=3_000, currency="KRW", list_price=12_000, others=(9_000, 9_500))
    words = _one_order(60, market, QUIET).reason_en
    assert "half or less of the list price and the other sellers' prices, a likely" in words
