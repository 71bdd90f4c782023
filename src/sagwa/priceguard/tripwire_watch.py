"""What the order tripwire watches: from which moment, started by what, and for how long. Pure.

A listing is watched for ``watch_for`` hours *on sale* after its first time on sale or after a
price move, whichever came last. Hours on sale, not hours on the clock: a price changed while
the listing was paused is watched when it goes back on sale, however long after.

Small moves — within :data:`TWEAK` of the price before, such as a seller's or a repricer's
10-won adjustments — made while a watch runs continue that watch instead of starting a new
one. The count, the draft incident's window and "the price before" stay those of the move that
began the watch, so nudging the price cannot reset the count, and a repricer stepping a price
down in small steps is judged from where it started. A bigger move starts a watch of its own.
A run of small moves is followed back no further than ``longest`` hours on sale before now.

A rise (the new price at or above the one before) starts no watch: the tripwire is for prices
too low, and a raise is not one (an operator's raise of 12,600 to 12,800 KRW was paused, and its
draft offered the lower price as the correct one). Made during a watch, a rise continues it,
as a small move does: a wrong price raised part of the way back is still watched.

An operator who dismissed the tripwire's draft as a false alarm cleared the listing at its
price: :func:`count_after_clearance` says whether the clearance still holds (the price is within
``TWEAK`` under it, or above) and, once the price has left it, from when orders count again —
never from before the clearance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

#: What the tripwire watches from: a price move, or the listing's first time on sale.
Anchor = Literal["price_change", "first_sale"]
#: ``(when, on_sale)``: the listing went on sale (``True``) or was taken off (``False``).
SaleChange = tuple[datetime, bool]
#: ``(when it went live, old price, new price)`` in minor units, oldest first.
Move = tuple[datetime, int, int]

#: A move within this share of the price before it continues a running watch.
TWEAK = 0.05
#: ``(when, price in minor units)``: an operator cleared the listing at that price (dismissed
#: the tripwire's draft as a false alarm).
Clearance = tuple[datetime, int]


@dataclass(frozen=True)
class Watch:
    """A running watch: it started at ``start`` (the first sale, or the move ``began_with``,
    an index into the moves given); ``last_move`` is the index of the latest move in it (the
    one that set the price now), None when there is none after the first sale."""

    start: datetime
    anchor: Anchor
    began_with: int | None = None
    last_move: int | None = None


def hours_on_sale(changes: Sequence[SaleChange], *, start: datetime, end: datetime) -> float:
    """Hours within ``[start, end)`` the listing was on sale, from its sale changes in the order
    they happened. Before the first change it was off sale (a listing starts as a draft)."""
    total = 0.0
    on_since: datetime | None = None
    for at, on_sale in [*changes, (end, False)]:
        if on_sale and on_since is None:
            on_since = at
        elif not on_sale and on_since is not None:
            lo, hi = max(on_since, start), min(at, end)
            total += max((hi - lo).total_seconds(), 0.0) / 3600.0
            on_since = None
    return total


def watch_start(*, moves: Sequence[Move], first_on_sale_at: datetime | None,
                sale_changes: Sequence[SaleChange], now: datetime, watch_for: timedelta,
                longest: timedelta | None = None, tweak: float = TWEAK) -> Watch | None:
    """The watch running at ``now``, or None when the listing is not watched: its last first
    sale or price cut was more than ``watch_for`` on sale ago, or there is neither (a rise
    starts no watch). Moves at or before the first sale went on sale with it and are not moves
    of their own."""
    events: list[tuple[datetime, int | None]] = []
    if first_on_sale_at is not None:
        events.append((first_on_sale_at, None))
    events += [(at, i) for i, (at, _, _) in enumerate(moves)
               if first_on_sale_at is None or at > first_on_sale_at]
    if not events:
        return None
    window = watch_for.total_seconds() / 3600.0
    reach = (longest or 3 * watch_for).total_seconds() / 3600.0

    def on_sale(start: datetime, end: datetime) -> float:
        return hours_on_sale(sale_changes, start=start, end=end)

    starts = [n for n, (_, move) in enumerate(events) if move is None or not _is_rise(moves[move])]
    if not starts or on_sale(events[starts[-1]][0], now) > window:
        return None
    first = starts[-1]
    while first > 0:
        at, move = events[first]
        if move is None or not _continues(moves[move], tweak):
            break
        before = events[first - 1][0]
        if on_sale(before, at) > window or on_sale(before, now) > reach:
            break
        first -= 1
    while first < starts[-1] and first not in starts:  # a rise begins nothing
        first += 1
    start, began_with = events[first]
    return Watch(start, "first_sale" if began_with is None else "price_change", began_with,
                 events[-1][1])


def _is_rise(move: Move) -> bool:
    _, old, new = move
    return new >= old


def _continues(move: Move, tweak: float) -> bool:
    """Whether a move made while a watch runs continues it: a small move, or a rise."""
    _, old, new = move
    return _is_rise(move) or abs(new - old) <= tweak * old


def count_after_clearance(clearances: Sequence[Clearance], moves: Sequence[Move], *,
                          price: int, start: datetime, tweak: float = TWEAK) -> datetime | None:
    """Where a watch's count may start, given the operator's clearances made during it
    (``clearances``, oldest first, each at or after the watch's ``start``): ``start`` with none.
    None while the listing's ``price`` now is within ``tweak`` under the latest clearance's
    price, or above it: a seller's nudge or a raise keeps the operator's word, and nothing is
    counted. Once the price is below that, the count starts at the move that last took it
    there (``moves``, oldest first): orders placed while the clearance held are never counted,
    and a seller stepping the price down in small steps is judged from where it left what
    the operator cleared."""
    if not clearances:
        return start
    cleared_at, cleared = clearances[-1]
    floor = (1 - tweak) * cleared
    if price >= floor:
        return None
    left = [at for at, old, new in moves if at >= cleared_at and new < floor <= old]
    return max([start, cleared_at, *left])


def lowest_held(moves: Sequence[Move], sale_changes: Sequence[SaleChange], *, start: datetime,
                price_before: int, within: timedelta = timedelta(hours=24),
                paused_at: Sequence[datetime] = (), cleared: Sequence[int] = ()) -> int:
    """The lowest price the listing held while on sale in its last ``within`` hours on sale
    before ``start`` (the watch's start), from its ``moves`` (oldest first) and sale changes;
    ``price_before`` (the price just before ``start``) when it held no other. A cut is judged
    from there, not from the move's old price alone: a raise to 20,000 undone the next day is
    a return to the usual 10,000, not a cut of half.

    A price the tripwire paused the listing at (``paused_at``: when it did) is no usual price,
    nor is anything within :data:`TWEAK` above it or lower: a wrong price on sale for minutes
    before the pause would otherwise vouch for the same mistake typed again the next hour.
    Unless an operator vouched for it since (``cleared``: the prices of the tripwire drafts
    dismissed as false alarms, within 2%)."""
    earlier = [m for m in moves if m[0] < start]
    bounds = [at for at, _, _ in earlier]
    # (from, to, price): the price before the first move, then each move's new price
    held = [(None, bounds[0] if bounds else start, earlier[0][1] if earlier else price_before),
            *((at, nxt, new) for (at, _, new), nxt in zip(earlier, [*bounds, start][1:],
                                                          strict=True))]
    suspect = [price for lo, hi, price in held
               if any((lo or hi - within) <= at <= hi for at in paused_at)
               and not any(abs(price - ok) <= 0.02 * ok for ok in cleared)]
    ceiling = (1 + TWEAK) * max(suspect) if suspect else None
    lowest, left = price_before, within.total_seconds() / 3600.0
    for lo, hi, price in reversed(held):
        hours = hours_on_sale(sale_changes, start=lo or hi - within, end=hi)
        if hours > 0 and (ceiling is None or price > ceiling):
            lowest = min(lowest, price)
        left -= hours
        if left <= 0:
            break
    return lowest
