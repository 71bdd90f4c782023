"""A listing's streak: the moves in one direction its live prices made in a row, quickly.

A repricer that walks a price away in small steps (3% cuts, or two repricers each pricing 27%
above the other) makes every step look ordinary next to the listing's recent prices, which walk
with it. The streak remembers where the walk began: the guard judges a change that continues a
long enough streak (``streak_min_moves``) also as one move from the streak's start
(``checks._from_streak_start``). Repricers are quick: a move more than ``streak_max_gap_hours``
after the one before starts a streak of its own, and a change proposed that long after the last
move continues none (a price climbing back from a deep promotion over months is no runaway) —
unless the price it moves from is a declared promotion's that still runs: a cut on top of a
running promotion continues the run of cuts however long ago that promotion began (where the
promotions' ends are known: one change's evidence, not the batch).
The batch keeps streaks in ``EvidenceState``; one change's evidence takes them from
:func:`streak_of` over the listing's live prices.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def streak_of(prices: Sequence[int], times: Sequence[float | None] | None = None, *,
              max_gap: float = math.inf, now: float | None = None,
              runs_until: Sequence[float | None] | None = None) -> tuple[int | None, int]:
    """``(start, moves)`` of the streak the last of ``prices`` (live prices, oldest first) ends:
    how many moves in one direction in a row (a repeated price moves nothing) and the price
    before the first of them; ``(None, 0)`` without a move.

    ``times``: when each price went live (seconds; None: unknown, no gap counts). A move more
    than ``max_gap`` seconds after the streak's last move starts a new streak; with ``now`` (when
    the change to judge is proposed), a streak whose last move is more than ``max_gap`` before
    it is none. ``runs_until``: until when each price is a running declared promotion's
    (seconds; ``math.inf`` for one without an end; None: no promotion's): a move made, or a change
    proposed, while the price it moves from still runs as a promotion is in time whatever the
    gap. A price of 0 or less is no price: the streak starts afresh after it (as in
    ``EvidenceState``)."""
    start: int | None = None
    moves, way, prev = 0, 0, None
    last_at: float | None = None
    for i, price in enumerate(prices):
        at = times[i] if times is not None else None
        if prev is None or prev <= 0:
            start, moves, way, last_at = None, 0, 0, None
        elif price != prev:
            step = 1 if price > prev else -1
            in_time = (at is None or last_at is None or at - last_at <= max_gap
                       or _still_runs(runs_until, i - 1, at))
            if step == way and in_time:
                moves += 1
            else:
                start, moves, way = prev, 1, step
            last_at = at
        prev = price
    if (moves and now is not None and last_at is not None and now - last_at > max_gap
            and not _still_runs(runs_until, len(prices) - 1, now)):
        return None, 0
    return start, moves


def _still_runs(runs_until: Sequence[float | None] | None, i: int, at: float) -> bool:
    """Whether price ``i`` is a declared promotion's that still runs at ``at``."""
    until = runs_until[i] if runs_until is not None else None
    return until is not None and at <= until
