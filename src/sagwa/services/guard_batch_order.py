"""The order of a batch run: what each change's evidence depends on, where a chunk must end so
every change sees exactly what went live before its own instant, and the feed that hands the
state the history and the allowed changes in time order.

A chunk ends before the first change that depends on something not yet live when it starts: an
earlier change of the same listing or product, a history row of them observed since, or a row
(change or history) that may have moved a listing to another product, which leaves the old
product's sellers. Changes proposed at the same instant never see each other.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
import polars as pl

from sagwa.priceguard.state import EvidenceState
from sagwa.priceguard.state_one import observe_one

#: At most this many live prices are handed to the state one by one (``observe_one``); more
#: go in one ``observe`` call, whose fixed cost is that of a few dozen single ones.
ONE_BY_ONE = 8
#: A chunk's first rows are looked at one by one (the chunk often ends there), the rest in
#: windows of rows.
_LOOK_ONE_BY_ONE = 4


def _seconds(times: pl.Series) -> np.ndarray:
    """Times as seconds since 1970 (float64; the streak's gaps are measured in them)."""
    return times.dt.epoch("s").cast(pl.Float64).fill_null(np.nan).to_numpy()


def _f64(chunk: pl.DataFrame, name: str, *, zero_is_none: bool = False) -> np.ndarray:
    values = chunk[name].cast(pl.Float64)
    if zero_is_none:  # a price of 0 is no price
        values = values.replace(0.0, None)
    return values.fill_null(np.nan).to_numpy()


#: The per-change numbers the check reads, as float64 (NaN: unknown): the ``PriceColumns``
#: field each fills, and the column of the changes it comes from.
FROM_CHANGES = {
    "new": "new_price_minor", "old": "old_price_minor", "list_price": "list_price_minor",
    "promotion_pct": "promotion_pct", "max_depth_pct": "max_depth_pct",
    "list_floor": "list_floor_minor", "list_ceiling": "list_ceiling_minor",
    "minor_per_major": "unit", "penny_minor": "penny_minor",
    "floor": "floor_minor", "ceiling": "ceiling_minor", "fx_set": "fx_set",
}
PRICE_INPUTS = tuple(FROM_CHANGES.values())


def _epoch_us(times: pl.Series) -> np.ndarray:
    """Times as whole microseconds since 1970 (int64): exact order and equality of instants."""
    return times.dt.epoch("us").to_numpy()


@dataclass(frozen=True)
class ChangeRows:
    """The numeric columns of the time-sorted changes as arrays, read once for every chunk
    (a chunk is a range of rows), and what each row's evidence depends on."""

    lidx: np.ndarray
    pidx: np.ndarray
    cidx: np.ndarray
    at_us: np.ndarray
    at_s: np.ndarray
    prices: dict[str, np.ndarray]
    #: the last row of the same listing or product, or that may move a listing to another
    #: product, proposed at an earlier instant (-1: none)
    before: np.ndarray
    #: the last history row (in the feed's order) of the same listing or product, or that may
    #: move a listing, observed before the row's instant (-1: none); when each was observed
    history_before: np.ndarray
    history_at_us: np.ndarray

    @classmethod
    def of(cls, todo: pl.DataFrame, live: LiveFeed, products: ListingProducts,
           history_upto: int) -> ChangeRows:
        """The rows of ``todo`` (one part of a run, in time order); ``products`` carries the
        listings' products from the parts before, and takes the history rows up to
        ``history_upto`` (those observed before the next part's first instant)."""
        lidx, pidx = todo["lidx"].to_numpy(), todo["pidx"].to_numpy()
        at_us = _epoch_us(todo["proposed_at"])
        prices = {name: _f64(todo, name, zero_is_none=name == "old_price_minor")
                  for name in PRICE_INPUTS}
        # a row that may move its listing to another product changes the other sellers of
        # the product it leaves too: every later row depends on it
        moves, history_moves = products.moves(lidx, pidx, at_us, live, history_upto)
        # the history rows this part's changes may wait for: those fed before it are live
        # already, and those observed from the next part's instant on come after them all
        window = (live.done, max(history_upto, live.done))
        return cls(
            lidx, pidx, todo["cidx"].to_numpy(), at_us, _seconds(todo["proposed_at"]), prices,
            np.maximum.reduce([_last_before(lidx, at_us), _last_before(pidx, at_us),
                               _last_flagged(moves, at_us)]),
            np.maximum.reduce([_last_observed(lidx, at_us, live.lidx, live.at_us, window),
                               _last_observed(pidx, at_us, live.pidx, live.at_us, window),
                               _last_moving_observed(history_moves, live.at_us, at_us)]),
            live.at_us,
        )

    def chunk_end(self, start: int, chunk_rows: int) -> int:
        """Where the chunk from ``start`` ends: at most ``chunk_rows`` rows, and before the
        first row that depends on something not live when the chunk starts (``before``,
        ``history_before``: an earlier change of its listing or product within the chunk or at
        the chunk's first instant, a history row of them observed since, or such a row that may
        move a listing to another product), so every change sees what went live before its own
        instant, whatever the chunk size."""
        end = min(start + chunk_rows, self.lidx.size)
        moment = self.at_us[start]
        # rows are in time order: a row before this instant's first is live when it starts
        instant = int(np.searchsorted(self.at_us, moment, side="left"))
        fed = int(np.searchsorted(self.history_at_us, moment, side="left"))
        before, history_before = self.before, self.history_before
        for row in range(start + 1, min(start + 1 + _LOOK_ONE_BY_ONE, end)):
            if before[row] >= instant or history_before[row] >= fed:
                return row
        # then in growing windows: where chunks are short, the look stays short
        low, width = start + 1 + _LOOK_ONE_BY_ONE, 16
        while low < end:
            high = min(low + width, end)
            unseen = (before[low:high] >= instant) | (history_before[low:high] >= fed)
            first = int(np.argmax(unseen))
            if unseen[first]:
                return low + first
            low, width = high, width * 8
        return end


def _last_before(key: np.ndarray, at_us: np.ndarray) -> np.ndarray:
    """For rows in time order: the last earlier row with the same ``key`` proposed at an
    earlier instant (changes at one instant never see each other), or -1."""
    n = key.size
    order = np.argsort(key, kind="stable")  # each key's rows, in time order
    sl, st = key[order], at_us[order]
    same = np.concatenate(([False], sl[1:] == sl[:-1]))
    new_instant = ~same | np.concatenate(([True], st[1:] != st[:-1]))
    first = np.maximum.accumulate(np.where(new_instant, np.arange(n), 0))  # its instant's first
    has = same[first]
    before = np.full(n, -1, dtype=np.int64)
    before[order[has]] = order[first[has] - 1]
    return before


class ListingProducts:
    """Which rows may move their listing to another product, carried from one part of a run
    to the next: every row of a listing from its first row under a product other than its
    first on (history and changes merged in time, history first at one instant). Which of its
    changes go live is not known yet, so its live product may be any it had before.

    Per listing it keeps the product of its first row (-1: none yet) and whether a row since
    named another, so a run judged in parts flags the rows a run judged whole would."""

    def __init__(self, n_listings: int) -> None:
        self.first = np.full(n_listings, -1, dtype=np.int64)
        self.moved = np.zeros(n_listings, dtype=bool)
        self.history_done = 0  # the history rows (in time order) taken so far

    def moves(self, lidx: np.ndarray, pidx: np.ndarray, at_us: np.ndarray, live: LiveFeed,
              history_upto: int) -> tuple[np.ndarray, np.ndarray]:
        """For the changes given (one part, in time order) and the history rows not yet taken
        up to ``history_upto``: whether each change may move its listing, and the indices of
        the history rows that may (ascending)."""
        hist = np.arange(self.history_done, max(history_upto, self.history_done))
        self.history_done = max(history_upto, self.history_done)
        n_hist = hist.size
        listing = np.concatenate((live.lidx[hist], lidx))
        product = np.concatenate((live.pidx[hist], pidx))
        times = np.concatenate((live.at_us[hist], at_us))
        is_change = np.concatenate((np.zeros(n_hist, dtype=np.int8),
                                    np.ones(lidx.size, dtype=np.int8)))
        n = listing.size
        order = np.lexsort((np.arange(n), is_change, times, listing))
        sorted_listing, sorted_product = listing[order], product[order]
        same = np.concatenate(([False], sorted_listing[1:] == sorted_listing[:-1]))
        first = np.maximum.accumulate(np.where(same, 0, np.arange(n)))  # its listing's first
        carried = self.first[sorted_listing]
        base = np.where(carried >= 0, carried, sorted_product[first])
        differs = sorted_product != base
        count = np.cumsum(differs)
        seen = count - (count[first] - differs[first]) > 0  # another product by this row
        flagged = self.moved[sorted_listing] | seen
        starts = ~same
        self.first[sorted_listing[starts]] = base[starts]
        last = np.concatenate((~same[1:], [True])) if n else same
        self.moved[sorted_listing[last]] |= seen[last]
        rows = order[flagged]
        return (np.isin(np.arange(lidx.size), rows[rows >= n_hist] - n_hist),
                np.sort(hist[rows[rows < n_hist]]))


def _last_flagged(flagged: np.ndarray, at_us: np.ndarray) -> np.ndarray:
    """For rows in time order: the last flagged row at an earlier instant, or -1."""
    n = flagged.size
    running = np.maximum.accumulate(np.where(flagged, np.arange(n), -1)) if n else flagged
    first = np.searchsorted(at_us, at_us, side="left")  # the first row of each row's instant
    return np.where(first > 0, running[np.maximum(first - 1, 0)], -1).astype(np.int64)


def _last_moving_observed(history_moves: np.ndarray, hist_at_us: np.ndarray,
                          at_us: np.ndarray) -> np.ndarray:
    """For each change: the last of ``history_moves`` (history rows, ascending) observed
    strictly before it, or -1."""
    k = np.searchsorted(hist_at_us[history_moves], at_us, side="left") - 1
    return np.where(k >= 0, history_moves[np.maximum(k, 0)] if history_moves.size else -1,
                    -1).astype(np.int64)


def _last_observed(key: np.ndarray, at_us: np.ndarray, hist_key: np.ndarray,
                   hist_at_us: np.ndarray, window: tuple[int, int] | None = None) -> np.ndarray:
    """For each change (``key``, ``at_us``): the last history row (rows in time order) with the
    same key observed strictly before the change's instant, or -1; only the rows of
    ``window`` (``(first, end)``) are looked at, when given (a part of a run: the rows before
    were fed already, so none of them is waited for)."""
    first, end = window if window is not None else (0, hist_key.size)
    hist_key, hist_at_us = hist_key[first:end], hist_at_us[first:end]
    if hist_key.size == 0 or key.size == 0:
        return np.full(key.size, -1, dtype=np.int64)
    n_hist = hist_key.size
    keys = np.concatenate((hist_key, key))
    times = np.concatenate((hist_at_us, at_us))
    # at one instant the change comes first: history observed then is not before it
    is_hist = np.concatenate((np.ones(n_hist, dtype=np.int8), np.zeros(key.size, dtype=np.int8)))
    order = np.lexsort((is_hist, times, keys))
    k = keys[order]
    group = np.cumsum(np.concatenate(([0], k[1:] != k[:-1])))
    big = n_hist + 1  # a group's values stay above every earlier group's
    index = np.concatenate((np.arange(n_hist), np.full(key.size, -1)))[order]
    running = np.maximum.accumulate(np.where(index >= 0, index, -1) + group * big)
    last = running - group * big
    out = np.empty(key.size, dtype=np.int64)
    mine = order >= n_hist
    out[order[mine] - n_hist] = last[mine]
    return np.where(out >= 0, out + first, -1)


class LiveFeed:
    """Hands the state what went live strictly before a given time: the history, and the
    changes the guard allowed, which wait here until a chunk starts strictly after them (so a
    change never sees another proposed at its own instant, whatever the chunk size)."""

    def __init__(self, hist: pl.DataFrame) -> None:
        self.lidx = hist["lidx"].to_numpy()
        self.pidx = hist["pidx"].to_numpy()
        self.cidx = hist["cidx"].to_numpy()
        self.price = hist["price_minor"].cast(pl.Float64).to_numpy()
        self.at_us = _epoch_us(hist["observed_at"])
        self.at_s = _seconds(hist["observed_at"])
        self.done = 0
        self.waiting: list[int] = []  # allowed changes (rows), in time order

    def judged(self, rows: ChangeRows, start: int, end: int, allowed: np.ndarray) -> None:
        """Take the changes of rows ``start:end`` the guard allowed: a held price never went
        live, nor did a price of 0 (no price)."""
        live = allowed & (rows.prices["new_price_minor"][start:end] > 0)
        self.waiting.extend((start + np.flatnonzero(live)).tolist())

    def feed_before(self, moment: int, rows: ChangeRows, state: EvidenceState) -> None:
        """Observe, in time order, the allowed changes (of ``rows``) and the history rows
        before ``moment`` (microseconds since 1970).

        The two are merged by time (history first at the same instant) so each listing's
        prices reach the state in the order they went live: a history row observed before an
        allowed change of the previous chunk must not come after it (a listing's streak of
        moves would read it as a move back)."""
        upto = max(int(np.searchsorted(self.at_us, moment, side="left")), self.done)
        hist, self.done = range(self.done, upto), upto
        waiting, at_us = self.waiting, rows.at_us
        ready = (len(waiting) if not waiting or at_us[waiting[-1]] < moment
                 else bisect_left(waiting, moment, key=lambda i: at_us[i]))
        go, self.waiting = waiting[:ready], waiting[ready:]
        if len(hist) + len(go) > ONE_BY_ONE:
            self._feed_at_once(np.arange(hist.start, hist.stop), np.asarray(go, dtype=np.int64),
                               rows, state)
            return
        new = rows.prices["new_price_minor"]
        # history first at the same instant (a stable sort, history ahead)
        for _when, is_change, j in sorted([(int(self.at_us[j]), 0, j) for j in hist]
                                          + [(int(at_us[i]), 1, i) for i in go]):
            if not is_change:
                observe_one(state, int(self.lidx[j]), int(self.pidx[j]), float(self.price[j]),
                            int(self.cidx[j]), float(self.at_s[j]))
            else:
                observe_one(state, int(rows.lidx[j]), int(rows.pidx[j]), float(new[j]),
                            int(rows.cidx[j]), float(rows.at_s[j]))

    def _feed_at_once(self, hist: np.ndarray, go: np.ndarray, rows: ChangeRows,
                      state: EvidenceState) -> None:
        """``feed_before``'s merge as one ``observe`` call (many rows)."""
        if go.size == 0:
            state.observe(self.lidx[hist], self.pidx[hist], self.price[hist], self.cidx[hist],
                          self.at_s[hist])
            return
        at_us = np.concatenate((self.at_us[hist], rows.at_us[go]))
        order = np.argsort(at_us, kind="stable")  # history first at the same instant
        state.observe(
            np.concatenate((self.lidx[hist], rows.lidx[go]))[order],
            np.concatenate((self.pidx[hist], rows.pidx[go]))[order],
            np.concatenate((self.price[hist], rows.prices["new_price_minor"][go]))[order],
            np.concatenate((self.cidx[hist], rows.cidx[go]))[order],
            np.concatenate((self.at_s[hist], rows.at_s[go]))[order],
        )
