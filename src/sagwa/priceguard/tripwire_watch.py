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
    sale or price move was more than ``watch_for`` on sale ago, or there is neither. Moves at or
    before the first sale went on sale with it and are not moves of their own."""
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

    last = len(events) - 1
    if on_sale(events[last][0], now) > window:
        return None
    first = last
    while first > 0:
        at, move = events[first]
        if move is None or not _is_tweak(moves[move], tweak):
            break
        before = events[first - 1][0]
        if on_sale(before, at) > window or on_sale(before, now) > reach:
            break
        first -= 1
    start, began_with = events[first]
    return Watch(start, "first_sale" if began_with is None else "price_change", began_with,
                 events[last][1])


def _is_tweak(move: Move, tweak: float) -> bool:
    _, old, new = move
    return abs(new - old) <= tweak * old
