"""What the tripwire watches: a while on sale after the first sale or a price move (a day in
these tests; the service watches three, ``services.tripwire.WATCH_FOR``, tested on PostgreSQL);
a price changed while paused is watched when it goes back on sale; small moves during a watch
continue it (a seller nudging the price cannot restart the count), a real move starts its
own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sagwa.priceguard.tripwire_watch import (
    Watch,
    count_after_clearance,
    hours_on_sale,
    watch_start,
)

ON_SALE = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
DAY = timedelta(hours=24)
ALWAYS = [(ON_SALE, True)]


def _watch(moves, now, *, first=ON_SALE, changes=ALWAYS, **kw):
    return watch_start(moves=moves, first_on_sale_at=first, sale_changes=changes, now=now,
                       watch_for=DAY, **kw)


def test_a_listing_first_on_sale_within_a_day_is_watched_from_then() -> None:
    assert _watch([], ON_SALE + 3 * H) == Watch(ON_SALE, "first_sale")
    long_ago = ON_SALE - 60 * DAY
    assert _watch([(long_ago, 100, 90)], ON_SALE + 3 * H) == Watch(ON_SALE, "first_sale")
    # a price set while it was still a draft went on sale with it: the sale is what counts
    assert _watch([(ON_SALE - 2 * H, 100, 10)], ON_SALE + H) == Watch(ON_SALE, "first_sale")
    assert _watch([(ON_SALE, 100, 10)], ON_SALE + H) == Watch(ON_SALE, "first_sale")


def test_a_real_price_move_starts_its_own_watch_and_a_day_on_sale_ends_it() -> None:
    moved = ON_SALE + 5 * H
    assert _watch([(moved, 100_000, 10_000)], moved + H) == Watch(moved, "price_change", 0, 0)
    assert _watch([], ON_SALE + DAY + timedelta(seconds=1)) is None
    assert _watch([(ON_SALE - 3 * DAY, 100, 90)], ON_SALE, first=ON_SALE - 2 * DAY,
                  changes=[(ON_SALE - 2 * DAY, True)]) is None
    assert _watch([], ON_SALE, first=None, changes=[]) is None


def test_a_price_changed_while_paused_is_watched_when_the_listing_is_back_on_sale() -> None:
    """Paused a week ago, repriced while paused, resumed three days later: the day on sale
    after the move has only begun (the clock says four days)."""
    paused, moved, resumed = ON_SALE + 30 * DAY, ON_SALE + 31 * DAY, ON_SALE + 34 * DAY
    changes = [(ON_SALE, True), (paused, False), (resumed, True)]
    now = resumed + 2 * H
    assert _watch([(moved, 199_000, 19_900)], now, changes=changes) == Watch(
        moved, "price_change", 0, 0)
    assert _watch([(moved, 199_000, 19_900)], resumed + DAY + H, changes=changes) is None


def test_small_moves_during_a_watch_continue_it() -> None:
    """A cut to a wrong price, then a 10-won nudge every hour: the watch, its count and the
    price before all stay those of the cut."""
    cut = ON_SALE + 10 * DAY
    moves = [(cut, 199_000, 19_900)] + [(cut + n * H, 19_900 - 10 * (n - 1), 19_900 - 10 * n)
                                        for n in range(1, 6)]
    assert _watch(moves, cut + 6 * H) == Watch(cut, "price_change", 0, 5)
    # a nudge after the watch ended starts a watch of its own
    late = [(cut, 199_000, 19_900), (cut + DAY + H, 19_900, 19_890)]
    assert _watch(late, cut + DAY + 2 * H) == Watch(cut + DAY + H, "price_change", 1, 1)


def test_a_real_move_after_small_ones_starts_anew() -> None:
    start = ON_SALE + 10 * DAY
    moves = [(start, 100_000, 99_000), (start + H, 99_000, 9_900)]
    assert _watch(moves, start + 2 * H) == Watch(start + H, "price_change", 1, 1)


def test_small_moves_on_the_first_day_continue_the_first_sales_watch() -> None:
    moves = [(ON_SALE + H, 50_000, 49_990), (ON_SALE + 2 * H, 49_990, 49_980)]
    assert _watch(moves, ON_SALE + 3 * H) == Watch(ON_SALE, "first_sale", None, 1)


def test_a_repricer_stepping_down_is_followed_back_only_so_far() -> None:
    """A 1% step every 12 hours for ten days: the watch reaches back three days on sale."""
    start = ON_SALE + 5 * DAY
    moves, price = [], 100_000
    for n in range(20):
        moves.append((start + n * 12 * H, price, price * 99 // 100))
        price = price * 99 // 100
    now = moves[-1][0] + H
    watch = _watch(moves, now)
    assert watch is not None and watch.last_move == 19
    assert hours_on_sale(ALWAYS, start=watch.start, end=now) <= 72
    assert watch.began_with == 14


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 10**6), st.integers(1, 10**6)),
                max_size=8), st.integers(0, 500))
def test_the_watch_never_starts_before_the_first_sale_nor_after_now(raw, later) -> None:
    moves = sorted(((ON_SALE + n * H, old, new) for n, old, new in raw), key=lambda m: m[0])
    now = ON_SALE + later * H
    moves = [m for m in moves if m[0] <= now]
    watch = _watch(moves, now)
    if watch is not None:
        assert ON_SALE <= watch.start <= now
        latest = watch.start if watch.last_move is None else moves[watch.last_move][0]
        assert hours_on_sale(ALWAYS, start=latest, end=now) <= 24


def test_a_rise_starts_no_watch() -> None:
    """An operator's raise of 12,600 to 12,800 KRW a month after the listing went on sale was
    watched, and paused by five orders; a raise is not a price too low."""
    raised = ON_SALE + 30 * DAY
    assert _watch([(raised, 12_600, 12_800)], raised + H) is None
    assert _watch([(raised, 17_700, 18_200)], raised + H) is None
    assert _watch([(raised, 17_700, 17_700)], raised + H) is None  # the same price again
    # a raise after a small cut: the cut still starts its own watch, which the raise continues
    cut = raised + 2 * H
    assert _watch([(raised, 12_600, 12_800), (cut, 12_800, 12_700)], cut + H) == Watch(
        cut, "price_change", 1, 1)


def test_a_rise_during_a_watch_continues_it() -> None:
    """A wrong price raised part of the way back is still watched, from the cut."""
    cut = ON_SALE + 10 * DAY
    moves = [(cut, 199_000, 19_900), (cut + H, 19_900, 59_900)]
    assert _watch(moves, cut + 2 * H) == Watch(cut, "price_change", 0, 1)
    # and on the first day, the first sale's watch
    assert _watch([(ON_SALE + H, 50_000, 60_000)], ON_SALE + 2 * H) == Watch(
        ON_SALE, "first_sale", None, 0)


def test_a_watch_never_begins_with_a_rise() -> None:
    """A raise long after the last watch, then a nudge down: the nudge begins the watch (the
    raise is reached back to, but begins nothing)."""
    raised = ON_SALE + 10 * DAY
    moves = [(raised, 12_600, 14_000), (raised + H, 14_000, 13_900)]
    watch = _watch(moves, raised + 2 * H)
    assert watch == Watch(raised + H, "price_change", 1, 1)


CLEARED = ON_SALE + 2 * H  # an operator dismissed the draft at 328,100 KRW


@pytest.mark.parametrize(("price", "held"), [
    (328_100, True),   # the price cleared
    (327_000, True),   # a seller's -0.3% nudge (a tester's listing 529)
    (340_000, True),   # a raise
    (311_700, True),   # 5% under: still the operator's price
    (311_600, False),  # past it
])
def test_an_operators_clearance_holds_for_a_nudge_or_a_rise(price: int, held: bool) -> None:
    moves = [(ON_SALE, 386_000, 328_100), (CLEARED + H, 328_100, price)]
    start = count_after_clearance([(CLEARED, 328_100)], moves, price=price, start=ON_SALE)
    assert (start is None) is held


def test_orders_before_the_clearance_are_never_counted_again() -> None:
    """Once the price leaves what the operator cleared, the count starts at the move that took
    it out — not at the watch's start, nor at the clearance: the orders placed while the
    clearance held were at a price the operator looked at."""
    out = CLEARED + 5 * H
    moves = [(ON_SALE, 386_000, 328_100), (CLEARED + H, 328_100, 320_000),
             (out, 320_000, 311_000), (out + H, 311_000, 310_990)]
    assert count_after_clearance([(CLEARED, 328_100)], moves, price=310_990,
                                 start=ON_SALE) == out
    # without a clearance, the watch's start; a clearance with no move out since: itself
    assert count_after_clearance([], moves, price=310_990, start=ON_SALE) == ON_SALE
    assert count_after_clearance([(CLEARED, 400_000)], moves[:1], price=328_100,
                                 start=ON_SALE) == CLEARED
