"""Run the price guard over files of changes, streaming in time order, and measure it.

``run_guard`` replays history into an :class:`EvidenceState`, then walks the changes in
``proposed_at`` order in chunks: each chunk is judged on the state built from everything
strictly before its first instant, and only the changes it allowed go live into the state (no
lookahead). A chunk holds at most ``chunk_rows`` changes and ends before the first change that
depends on something not yet live when it starts — an earlier change of the same listing or
product, a history row of them observed since, or a row (change or history) that may have moved
a listing to another product, which leaves the old product's sellers — so every change is judged
on exactly what went live before its own instant (the history and the allowed changes, its
listing's and the other sellers'): verdicts do not depend on the chunk size. Changes proposed at
the same instant never see each other. Small chunks cost little: the state answers from the
chunk's own listings and products, not a pass over all of them; but where a product changes
every few rows the chunks are that short. ``blind_chunks`` gives the old behaviour for speed:
chunks of exactly ``chunk_rows`` changes that do not see each other (verdicts then depend on
the chunk size).
``evaluate`` compares verdicts with labels: recall, false-hold rate, per error type, PR curve.

A price of 0 is no price (out of stock, not listed), never evidence: a history row at 0 is
skipped (counted in :attr:`GuardRun.zero_price_rows`), a list price of 0 is no list price, and
an old price of 0 is no current price (the change is judged, like a first price, against the
listing's recent prices, other sellers and the list price). A new price of 0 is judged: the
guard holds it as a penny price.

Evidence in another currency than the change's is not used: the listing's own prices in another
currency, other sellers' prices in another currency, a list price in another currency (as in
the single check, which gathers evidence in the change's currency only).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import polars as pl

from sagwa.domain.money import CURRENCY_EXPONENTS
from sagwa.errors import InvalidInput
from sagwa.priceguard.checks import GuardResult, PriceColumns, check_prices
from sagwa.priceguard.explain import render_reasons
from sagwa.priceguard.rules import PriceRules, category_key
from sagwa.priceguard.state import EvidenceState
from sagwa.priceguard.vocabulary import ERROR_TYPES

Progress = Callable[[int, int], None]
DEFAULT_CHUNK_ROWS = 2_000
_NO_VERDICTS = pl.DataFrame(
    schema={
        "change_id": pl.Utf8,
        "verdict": pl.Utf8,
        "score": pl.Float64,
        "error_type": pl.Utf8,
        "reason": pl.Utf8,
    }
)


@dataclass(frozen=True)
class GuardRun:
    """Verdicts (``change_id, verdict, score, error_type, reason``) plus the evidence used, and
    how many history rows at price 0 were skipped as no evidence."""

    verdicts: pl.DataFrame
    evidence: pl.DataFrame
    zero_price_rows: int = 0


def run_guard(
    *,
    history: pl.DataFrame,
    changes: pl.DataFrame,
    rules: PriceRules,
    products: pl.DataFrame | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    blind_chunks: bool = False,
    progress: Progress | None = None,
    lang: str = "en",
) -> GuardRun:
    """Judge every change in ``changes`` (typed frames from ``adapters.guard_input``).

    No changes (a header-only file, or every row skipped as malformed) is not an error: the
    run has no verdicts, with the verdict columns all the same. ``lang`` ("en" or "ko") is the
    language of the ``reason`` column. ``blind_chunks``: every chunk is ``chunk_rows`` long and
    its changes do not see each other (faster when a few products change all the time; the
    verdicts then depend on the chunk size, as before 2026-12-02).
    """
    if lang not in ("en", "ko"):
        raise InvalidInput(f"lang must be en or ko (got {lang!r})", field="lang")
    if chunk_rows < 1:
        raise InvalidInput(f"chunk_rows must be 1 or more (got {chunk_rows})", field="chunk_rows")
    priced = pl.col("price_minor") > 0
    zero_price_rows = history.height - history.filter(priced).height
    if changes.height == 0:
        return GuardRun(_NO_VERDICTS, _NO_VERDICTS, zero_price_rows)
    history = history.filter(priced)
    ids = _id_maps(history, changes)
    state = EvidenceState(window=rules.recent_window, capacity=ids.listings.height + 1,
                          streak_max_gap=rules.streak_max_gap_seconds)
    live = _LiveFeed(_with_ids(history.sort("observed_at", maintain_order=True), ids))
    todo = _with_ids(changes.sort("proposed_at", maintain_order=True), ids)
    todo = _attach_policy(todo, rules, products)
    rows = _ChangeRows.of(todo, live)
    judged: list[_Judged] = []
    start = 0
    while start < todo.height:
        end = (min(start + chunk_rows, todo.height) if blind_chunks
               else rows.chunk_end(start, chunk_rows))
        live.feed_before(int(rows.at_us[start]), rows, state)
        judged.append(_judge_chunk(rows, start, end, state, rules))
        live.judged(rows, start, end, ~judged[-1].result.hold)
        if progress is not None:
            progress(end, todo.height)
        start = end
    evidence = _Judged.concat(judged, rows).frame(todo, lang)
    verdicts = evidence.select("change_id", "verdict", "score", "error_type", "reason")
    return GuardRun(verdicts, evidence, zero_price_rows)


def categories_without_rules(
    products: pl.DataFrame | None, rules: PriceRules
) -> list[tuple[str, int]]:
    """The categories of ``products`` that match no category the rules name (their products
    get the default limits), each as first written (without surrounding spaces) with how many
    products carry it; spellings the rules would read alike (``Toys``, `` toys``) count as one."""
    if products is None or products.height == 0:
        return []
    named = products.filter(pl.col("category").str.strip_chars() != "")
    unknown = [c for c in named["category"].unique().to_list() if not rules.has_category(c)]
    if not unknown:
        return []
    keys = {c: category_key(c) for c in unknown}
    counted = (
        named.filter(pl.col("category").is_in(unknown))
        .with_columns(key=pl.col("category").replace_strict(keys),
                      shown=pl.col("category").str.strip_chars())
        .group_by("key", maintain_order=True)
        .agg(pl.col("shown").first(), n=pl.len())
    )
    return list(zip(counted["shown"].to_list(), counted["n"].to_list(), strict=True))


def _epoch_us(times: pl.Series) -> np.ndarray:
    """Times as whole microseconds since 1970 (int64): exact order and equality of instants."""
    return times.dt.epoch("us").to_numpy()


@dataclass(frozen=True)
class _ChangeRows:
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
    def of(cls, todo: pl.DataFrame, live: _LiveFeed) -> _ChangeRows:
        lidx, pidx = todo["lidx"].to_numpy(), todo["pidx"].to_numpy()
        at_us = _epoch_us(todo["proposed_at"])
        prices = {name: _f64(todo, name, zero_is_none=name == "old_price_minor")
                  for name in _PRICE_INPUTS}
        # a row that may move its listing to another product changes the other sellers of
        # the product it leaves too: every later row depends on it
        moves, history_moves = _product_moves(lidx, pidx, at_us, live.lidx, live.pidx,
                                              live.at_us)
        return cls(
            lidx, pidx, todo["cidx"].to_numpy(), at_us, _seconds(todo["proposed_at"]), prices,
            np.maximum.reduce([_last_before(lidx, at_us), _last_before(pidx, at_us),
                               _last_flagged(moves, at_us)]),
            np.maximum.reduce([_last_observed(lidx, at_us, live.lidx, live.at_us),
                               _last_observed(pidx, at_us, live.pidx, live.at_us),
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
        if end - start < 2:
            return end
        moment = self.at_us[start]
        before = self.before[start + 1:end]
        unseen = (before >= start) | ((before >= 0) & (self.at_us[np.maximum(before, 0)]
                                                       >= moment))
        fed = int(np.searchsorted(self.history_at_us, moment, side="left"))
        unseen |= self.history_before[start + 1:end] >= fed
        first = int(np.argmax(unseen))
        return start + 1 + first if unseen[first] else end


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


def _product_moves(lidx: np.ndarray, pidx: np.ndarray, at_us: np.ndarray, hist_lidx: np.ndarray,
                   hist_pidx: np.ndarray, hist_at_us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which changes, and which history rows (their indices), may move their listing to another
    product: every row of a listing from its first row under a product other than its first on
    (history and changes merged in time, history first at one instant). Which of its changes
    go live is not known yet, so its live product may be any it had before."""
    n_hist = hist_lidx.size
    listing = np.concatenate((hist_lidx, lidx))
    product = np.concatenate((hist_pidx, pidx))
    times = np.concatenate((hist_at_us, at_us))
    is_change = np.concatenate((np.zeros(n_hist, dtype=np.int8), np.ones(lidx.size, dtype=np.int8)))
    order = np.lexsort((np.arange(listing.size), is_change, times, listing))
    sorted_listing, sorted_product = listing[order], product[order]
    same = np.concatenate(([False], sorted_listing[1:] == sorted_listing[:-1]))
    other = same & np.concatenate(([False], sorted_product[1:] != sorted_product[:-1]))
    seen = np.cumsum(other)
    first = np.maximum.accumulate(np.where(same, 0, np.arange(order.size)))  # its listing's first
    rows = order[seen > seen[first]]  # a product other than before, at this row or earlier
    return (np.isin(np.arange(lidx.size), rows[rows >= n_hist] - n_hist),
            np.sort(rows[rows < n_hist]))


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
                   hist_at_us: np.ndarray) -> np.ndarray:
    """For each change (``key``, ``at_us``): the last history row (rows in time order) with the
    same key observed strictly before the change's instant, or -1."""
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
    return out


class _LiveFeed:
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
        self.waiting = np.zeros(0, dtype=np.int64)  # allowed changes (rows), in time order

    def judged(self, rows: _ChangeRows, start: int, end: int, allowed: np.ndarray) -> None:
        """Take the changes of rows ``start:end`` the guard allowed: a held price never went
        live, nor did a price of 0 (no price)."""
        live = allowed & (rows.prices["new_price_minor"][start:end] > 0)
        if live.any():
            self.waiting = np.concatenate((self.waiting, start + np.flatnonzero(live)))

    def feed_before(self, moment: int, rows: _ChangeRows, state: EvidenceState) -> None:
        """Observe, in time order, the allowed changes (of ``rows``) and the history rows
        before ``moment`` (microseconds since 1970).

        The two are merged by time (history first at the same instant) so each listing's
        prices reach the state in the order they went live: a history row observed before an
        allowed change of the previous chunk must not come after it (a listing's streak of
        moves would read it as a move back)."""
        upto = int(np.searchsorted(self.at_us, moment, side="left"))
        hist = np.arange(self.done, max(upto, self.done))
        self.done = max(upto, self.done)
        go = np.zeros(0, dtype=np.int64)
        if self.waiting.size:
            go = self.waiting[: int(np.searchsorted(rows.at_us[self.waiting], moment,
                                                    side="left"))]
            self.waiting = self.waiting[go.size:]
        if hist.size == 0 and go.size == 0:
            return
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


@dataclass(frozen=True)
class _Ids:
    """Small integer ids for the state: listing, product and currency (``lidx, pidx, cidx``)."""

    listings: pl.DataFrame
    products: pl.DataFrame
    currencies: pl.DataFrame


def _id_maps(history: pl.DataFrame, changes: pl.DataFrame) -> _Ids:
    def index(column: str, name: str) -> pl.DataFrame:
        values = pl.concat([history[column], changes[column]]).unique(maintain_order=True)
        return values.to_frame().with_row_index(name).with_columns(pl.col(name).cast(pl.Int64))

    return _Ids(index("listing_id", "lidx"), index("product_id", "pidx"), index("currency", "cidx"))


def _with_ids(frame: pl.DataFrame, ids: _Ids) -> pl.DataFrame:
    for index, key in (
        (ids.listings, "listing_id"),
        (ids.products, "product_id"),
        (ids.currencies, "currency"),
    ):
        frame = frame.join(index, on=key, how="left", maintain_order="left")
    return frame


def _attach_policy(
    todo: pl.DataFrame, rules: PriceRules, products: pl.DataFrame | None
) -> pl.DataFrame:
    """Per-row policy numbers: list price, category depth, penny ceiling, seller limits (minor).

    A list price in another currency than the change's is no evidence (left out, as unknown).
    """
    if products is not None:
        info = products.select(
            "product_id",
            # a list price of 0 is no list price
            pl.col("list_price_minor").cast(pl.Float64).replace(0.0, None),
            "category",
            list_currency="currency",
        )
        same = pl.col("list_currency") == pl.col("currency")
        todo = (
            todo.join(info, on="product_id", how="left", maintain_order="left")
            .with_columns(list_price_minor=pl.when(same).then(pl.col("list_price_minor")))
            .drop("list_currency")
        )
    else:
        todo = todo.with_columns(
            list_price_minor=pl.lit(None, pl.Float64), category=pl.lit(None, pl.Utf8)
        )
    unit = pl.col("currency").replace_strict(
        {c: float(10**e) for c, e in CURRENCY_EXPONENTS.items()},
        default=100.0,
        return_dtype=pl.Float64,
    )
    currencies = todo["currency"].unique().to_list()
    penny = pl.col("currency").replace_strict(
        {c: rules.penny_major(c) for c in currencies}, return_dtype=pl.Float64
    )
    # the same lookup as a single check's: "electronics/mp3" falls back to "electronics"
    categories = todo["category"].drop_nulls().unique().to_list()
    depth = pl.col("category").replace_strict(
        {c: rules.max_depth_pct(c) for c in categories},
        default=rules.default_max_depth_pct,
        return_dtype=pl.Float64,
    )
    # the least share of the list price a category may sell at (the fixed book price law)
    shares = {c: rules.list_floor_pct(c) for c in categories}
    share = pl.col("category").replace_strict(
        {c: v for c, v in shares.items() if not math.isnan(v)}, default=None,
        return_dtype=pl.Float64,
    )
    floors = {s: lim.floor_major for s, lim in rules.sellers.items() if lim.floor_major is not None}
    ceilings = {
        s: lim.ceiling_major for s, lim in rules.sellers.items() if lim.ceiling_major is not None
    }
    return todo.with_columns(
        unit=unit,
        penny_minor=penny * unit,
        max_depth_pct=depth,
        list_floor_minor=pl.col("list_price_minor") * share / 100.0,
        floor_minor=pl.col("seller_id").replace_strict(
            floors, default=None, return_dtype=pl.Float64
        )
        * unit,
        ceiling_minor=pl.col("seller_id").replace_strict(
            ceilings, default=None, return_dtype=pl.Float64
        )
        * unit,
    )


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
_FROM_CHANGES = {
    "new": "new_price_minor", "old": "old_price_minor", "list_price": "list_price_minor",
    "promotion_pct": "promotion_pct", "max_depth_pct": "max_depth_pct",
    "list_floor": "list_floor_minor", "minor_per_major": "unit", "penny_minor": "penny_minor",
    "floor": "floor_minor", "ceiling": "ceiling_minor",
}
_PRICE_INPUTS = tuple(_FROM_CHANGES.values())


@dataclass(frozen=True)
class _Judged:
    """What the check saw and said for a range of changes."""

    cols: PriceColumns
    result: GuardResult
    n_recent: np.ndarray
    n_peers: np.ndarray
    spread: np.ndarray

    @staticmethod
    def concat(parts: list[_Judged], rows: _ChangeRows) -> _Judged:
        """One for the whole run; the inputs read from the changes are taken whole from
        ``rows`` (the chunks hold views of them), only what the state said is joined."""
        if len(parts) == 1:
            return parts[0]

        def joined(name: str) -> np.ndarray:
            return np.concatenate([getattr(p.cols, name) for p in parts])

        cols = PriceColumns(**{
            f.name: rows.prices[_FROM_CHANGES[f.name]] if f.name in _FROM_CHANGES
            else joined(f.name) for f in fields(PriceColumns)})
        result = GuardResult(*(np.concatenate([getattr(p.result, f.name) for p in parts])
                               for f in fields(GuardResult)))
        n_recent, n_peers, spread = (np.concatenate([getattr(p, name) for p in parts])
                                     for name in ("n_recent", "n_peers", "spread"))
        return _Judged(cols, result, n_recent, n_peers, spread)

    def frame(self, todo: pl.DataFrame, lang: str) -> pl.DataFrame:
        """Verdicts and evidence, a row per change of ``todo`` (in its order); the reasons are
        rendered here, once for the run, not per chunk."""
        cols, result = self.cols, self.result
        reasons = render_reasons(result, cols, todo["currency"].to_list(),
                                 n_peers=self.n_peers, lang=lang)
        return pl.DataFrame(
            {
                "change_id": todo["change_id"],
                "verdict": result.verdicts(),
                "score": np.round(result.score, 4),
                "error_type": np.asarray(ERROR_TYPES)[result.error_code],
                "reason": reasons,
                "proposed_at": todo["proposed_at"],
                "old_price_minor": todo["old_price_minor"],
                "new_price_minor": todo["new_price_minor"],
                "promotion_pct": todo["promotion_pct"],
                "recent_median_minor": cols.recent_median,
                "peer_median_minor": cols.peer_median,
                "n_recent": self.n_recent,
                "n_peers": self.n_peers,
                "recent_log_range": self.spread,
            }
        )


def _judge_chunk(
    rows: _ChangeRows, start: int, end: int, state: EvidenceState, rules: PriceRules
) -> _Judged:
    lidx, pidx, cidx = rows.lidx[start:end], rows.pidx[start:end], rows.cidx[start:end]
    old = rows.prices["old_price_minor"][start:end]
    streak_start, streak_moves = state.streak(lidx, cidx, current=old,
                                              at=rows.at_s[start:end])
    peer, n_peers, peer_low, peer_high = state.peer_stats(lidx, pidx, cidx)
    cols = PriceColumns(
        **{field: rows.prices[column][start:end] for field, column in _FROM_CHANGES.items()},
        recent_median=state.recent_median(lidx, cidx),
        peer_median=peer,
        peer_low=peer_low,
        peer_high=peer_high,
        peer_count=n_peers.astype(np.float64),
        streak_start=streak_start,
        streak_moves=streak_moves.astype(np.float64),
    )
    return _Judged(cols, check_prices(cols, rules), state.recent_count(lidx, cidx), n_peers,
                   state.recent_log_range(lidx, cidx))
